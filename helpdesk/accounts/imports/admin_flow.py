"""The admin's Import button: upload, a preview of every row, then "Confirm import".

Built on django-import-export's admin mixin (its URLs, its Import button on
the change list, its temporary storage between the two steps) with the two
steps run through helpdesk.accounts.imports.runs, so the admin and
`manage.py import_directory` read, judge and write a file the same way.

- Step 1 (`import_action`): the upload form and the columns of this kind; a
  posted file is run dry and every row shown with its line: new, update (with
  the columns it changes), unchanged, or refused with the reasons. Only a
  file without a refused row gets the "Confirm import" button.
- Step 2 (`process_import`): the same file, kept between the steps in the
  cache (shared by all web machines when CACHE_URL is Redis, as production's
  is), run for real in one transaction; refused rows now (the database moved
  on) write nothing and show the preview again.
"""
from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin
from import_export.tmp_storages import CacheStorage

from helpdesk.core.errors import ActionRefused

from .kinds import ImportKind, import_kind
from .runs import ImportReport, import_run


class UploadCache(CacheStorage):
    """The uploaded file between preview and confirmation: an hour, not import-export's day
    (it holds people's names and numbers)."""

    CACHE_LIFETIME = 3600


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8, or CP949/EUC-KR from Korean systems) or an Excel workbook (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class ConfirmForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput, max_length=64)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def clean_upload(self) -> str:
        upload = self.cleaned_data["upload"]
        if not re.fullmatch(r"[0-9a-f]{32}", upload):
            raise forms.ValidationError(_("The file to import is missing; upload it again."))
        return upload


class DirectoryImportMixin(ImportMixin):
    """For a ModelAdmin whose model one kind of import writes (`import_kind_name`)."""

    import_kind_name: str = ""
    import_template_name = "admin/accounts/directory_import.html"
    tmp_storage_class = UploadCache

    def import_kind(self) -> ImportKind:
        kind = import_kind(self.import_kind_name)
        assert kind is not None, f"no import kind {self.import_kind_name!r}"
        return kind

    def get_import_resource_classes(self, request: HttpRequest) -> list[type]:
        return [self.import_kind().resource_class]

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import adds and changes rows: whoever may do both by hand may do it by file.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def admin_url(self, view: str) -> str:
        app_label, model_name = self.get_model_info()
        return reverse(f"admin:{app_label}_{model_name}_{view}", current_app=self.admin_site.name)

    def import_page(
        self, request: HttpRequest, *, form: UploadForm, report: ImportReport | None = None,
        confirm: ConfirmForm | None = None,
    ) -> TemplateResponse:
        kind = self.import_kind()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import %(kind)s") % {"kind": kind.label},
            "opts": self.model._meta,
            "kind": kind,
            "columns": kind.resource_class.column_help,
            "required": kind.resource_class.required_columns,
            "form": form,
            "report": report,
            "confirm_form": confirm,
            "process_url": self.admin_url("process_import"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self.import_page(request, form=form)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            report = import_run(
                kind=self.import_kind(), content=content, file_name=upload.name, dry_run=True, user=request.user
            )
        except ActionRefused as refusal:
            refusal.show_on(form)
            return self.import_page(request, form=form)
        confirm = None
        if not report.refused and report.writes:
            storage = self.get_tmp_storage_class()(read_mode="rb")
            storage.save(content)
            confirm = ConfirmForm(initial={"upload": storage.name, "file_name": upload.name})
        return self.import_page(request, form=UploadForm(), report=report, confirm=confirm)

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        import_url = self.admin_url("import")
        confirm = ConfirmForm(request.POST)
        content = None
        if confirm.is_valid():
            storage = self.get_tmp_storage_class()(name=confirm.cleaned_data["upload"], read_mode="rb")
            content = storage.read()
        if not content:
            messages.error(request, _("The previewed file is no longer kept (an hour at most); upload it again."))
            return HttpResponseRedirect(import_url)
        file_name = confirm.cleaned_data["file_name"]
        try:
            report = import_run(
                kind=self.import_kind(), content=content, file_name=file_name, dry_run=False, user=request.user
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(import_url)
        if report.refused:
            messages.error(request, _("Nothing was imported: the rows below are refused now. Correct the file and upload it again."))
            return self.import_page(request, form=UploadForm(), report=report)
        storage.remove()
        if report.result is not None:
            self.generate_log_entries(report.result, request)
        messages.success(request, _("Imported %(file)s: %(summary)s") % {"file": file_name, "summary": report.summary()})
        return HttpResponseRedirect(self.admin_url("changelist"))
