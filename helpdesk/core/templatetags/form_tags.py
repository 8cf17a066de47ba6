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
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = error_id
    control = field.as_widget(attrs=attrs)
    errors = (
        format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join("", "<p><strong>{}</strong></p>", ((e,) for e in field.errors)),
        )
        if field.errors
        else ""
    )
    help_text = format_html('<div class="form-text">{}</div>', field.help_text) if field.help_text else ""
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,
        errors,
        help_text,
    )
