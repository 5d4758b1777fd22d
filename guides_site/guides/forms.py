from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STEP_ANSWER_DETAIL_CHARS, Vote

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DescribedErrorsMixin:
    """Point each invalid field at its error message, so screen readers read it out."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                described_by = [f"{self[name].auto_id}_error"]
                if self.fields[name].help_text:
                    described_by.append(f"{self[name].auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)


class VoteForm(forms.Form):
    helpful = forms.ChoiceField(choices=YES_NO)

    @property
    def is_helpful(self):
        return self.cleaned_data["helpful"] == "yes"


class FeedbackForm(DescribedErrorsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What went wrong?"),
        choices=Vote.Reason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Tell us more (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StepAnswerForm(DescribedErrorsMixin, forms.Form):
    worked = forms.ChoiceField(choices=YES_NO)
    what_happened = forms.CharField(
        label=_("What happened instead? (optional)"),
        help_text=_("A few words help our editors fix this step. No account numbers, please."),
        max_length=STEP_ANSWER_DETAIL_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
