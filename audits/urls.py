from __future__ import annotations

from django.urls import path

from .views import case_pages, report_pages

app_name = "audits"
urlpatterns = [
    path("", case_pages.case_list, name="cases"),
    path("<int:pk>/", case_pages.case_page, name="case"),
    path("<int:pk>/take/", case_pages.case_take_action, name="case_take"),
    path("<int:pk>/findings/", case_pages.case_findings_action, name="case_findings"),
    path("<int:pk>/decide/", case_pages.case_decide_action, name="case_decide"),
    path("report/", report_pages.report_form, name="report"),
    path("report/received/<str:reference>/", report_pages.report_received, name="report_received"),
]
