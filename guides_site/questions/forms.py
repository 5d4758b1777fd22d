from django import forms
from django.utils.translation import gettext_lazy as _

from guides_site.guides.forms import DescribedErrorsMixin

from .models import Question


class QuestionForm(DescribedErrorsMixin, forms.ModelForm):
    # A field people never see (hidden by CSS and from assistive technology); bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Question
        fields = ["text", "email"]
        labels = {
            "text": _("Your question"),
            "email": _("Your e-mail, if you would like the answer (optional)"),
        }
        help_texts = {
            "text": _(
                "Between 10 and 1,000 characters. Please leave out account numbers and passwords."
            ),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "minlength": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(self._min_length)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["text"].error_messages["required"] = _("Please write your question.")

    def _min_length(self, value):
        if len(value) < 10:
            raise forms.ValidationError(
                _("Please write at least 10 characters so we can understand the question.")
            )

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))
