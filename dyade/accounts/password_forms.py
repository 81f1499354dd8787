"""Password forms with Dyade's own help text (informal Dutch: partners use them too)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.utils.translation import gettext


def password_help() -> str:
    lengths = [
        validator.min_length
        for validator in get_default_password_validators()
        if isinstance(validator, MinimumLengthValidator)
    ]
    return gettext(
        "At least %(length)d characters. Not only digits, not a common password, and not "
        "like your name or e-mail address."
    ) % {"length": max(lengths, default=8)}


class FriendlySetPasswordForm(SetPasswordForm):
    """Django's form to choose a password, with the help text above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_help()
        self.fields["new_password2"].help_text = ""
