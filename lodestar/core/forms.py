"""How every form of Lodestar renders: one field template with the label, help text and the
field's own error messages next to it (``class="field-error"``), one for the form's errors; and
what every form view shares: service errors shown next to their fields, safe id choices."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.template import engines


class LodestarFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"

    def get_template(self, template_name):
        """Django's engine only: the Jinja2 engine comes first in TEMPLATES and would find the
        widgets' Jinja2 copies that ship with django.forms."""
        return engines["django"].get_template(template_name)


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


# The largest id a database primary key holds; larger numbers typed into a form are simply not found.
_MAX_ID = 2**63 - 1


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that answers an out-of-range number with a field error
    (Django's IN lookup would pass it to the database, which refuses it with a server error)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not text.isdecimal() or not 0 < int(text) <= _MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def plain_number(value) -> str:
    """A stored decimal as typed (100.0000 → "100"), for the fields of an edit form."""
    if value is None:
        return ""
    normalized = value.normalize()
    return format(normalized.quantize(1) if normalized.as_tuple().exponent > 0 else normalized, "f")
