"""The choices a therapist makes before a report is made."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("nl", "Nederlands"), ("en", "English")]


class ReportOptions(forms.Form):
    language = forms.ChoiceField(label=_("Language of the report"), choices=LANGUAGES)
    safety = forms.BooleanField(
        label=_("Include the safety answers (on a page of their own)"),
        required=False,
        help_text=_("Leave them out when the report goes beyond your own file."),
    )
