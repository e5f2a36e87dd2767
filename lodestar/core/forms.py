"""How every form of Lodestar renders: one field template with the label, help text and the
field's own error messages next to it (``class="field-error"``), one for the form's errors."""

from django.forms.renderers import TemplatesSetting


class LodestarFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
