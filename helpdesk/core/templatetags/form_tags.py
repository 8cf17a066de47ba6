"""`{% plain_field form.x %}`: a form field drawn as crispy-bootstrap5 draws it
(label, control, error, help), built in Python.

crispy renders each field through a template of a few hundred nodes; the work
queue's filter form has nine fields on every page view and they cost as much
as its 25 rows. Pages whose forms are drawn on every view of a busy list use
this; forms people fill in once keep crispy's richer layouts.
"""
from __future__ import annotations

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _control_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "form-select"
    return "form-control"


@register.simple_tag
def plain_field(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    if widget.is_hidden:
        return field.as_widget()
    attrs = {"class": " ".join(filter(None, [widget.attrs.get("class", ""), _control_class(widget)]))}
    error_id = f"{field.auto_id}_error"
    help_id = f"{field.auto_id}_helptext"
    described_by = []
    if field.help_text:
        described_by.append(help_id)
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described_by.append(error_id)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    control = field.as_widget(attrs=attrs)
    errors = (
        format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join(
                "",
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((n, field.auto_id, e) for n, e in enumerate(field.errors, 1)),
            ),
        )
        if field.errors
        else ""
    )
    help_text = format_html('<div id="{}" class="form-text">{}</div>', help_id, field.help_text) if field.help_text else ""
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            control,
            field.id_for_label,
            field.label,
            errors,
            help_text,
        )
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        SafeString('<span class="asteriskField">*</span>') if required else "",
        control,
        errors,
        help_text,
    )


@register.simple_tag
def plain_form(form: forms.BaseForm) -> SafeString:
    """A whole form as crispy's `|crispy` draws it (its errors above, then every
    field), for forms drawn on every view of a busy page (the staff ticket page)."""
    errors = form.non_field_errors()
    head = (
        format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((e,) for e in errors)),
        )
        if errors
        else ""
    )
    return format_html("{}{}", head, format_html_join("", "{}", ((plain_field(f),) for f in form)))
