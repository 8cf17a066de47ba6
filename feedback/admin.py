from __future__ import annotations

from django.contrib import admin

from .models import Feedback, FeedbackEvent, TrainingAssignment


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "channel", "customer_name", "employee", "state", "due_at")
    list_filter = ("kind", "channel", "state")
    raw_id_fields = ("customer", "employee", "handler", "ticket", "answered_by", "decided_by", "created_by")
    list_select_related = ("employee",)


@admin.register(TrainingAssignment)
class TrainingAssignmentAdmin(admin.ModelAdmin):
    list_display = ("pk", "employee", "training", "due_at", "completed_at", "confirmed_at")
    raw_id_fields = ("employee", "complaint", "assigned_by", "completed_by", "confirmed_by")
    list_select_related = ("employee",)


@admin.register(FeedbackEvent)
class FeedbackEventAdmin(admin.ModelAdmin):
    list_display = ("feedback", "kind", "actor", "at")
    raw_id_fields = ("feedback", "actor")
