"""Forms built from an instrument's page, and the forms therapists and admins use."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dyade.clinic.instruments import LANGUAGES, Instrument, Item, ItemType, Page, text_in
from dyade.content import current_instruments

TEXT_MAX_LENGTH = 4000
UPLOAD_MAX_BYTES = 200_000
ITEM_TEXT_MAX_LENGTH = 600


def field_name(item: Item) -> str:
    return f"q-{item.link_id}"


class PageForm(forms.Form):
    """One page of a questionnaire. Every question may be left open.

    ``hidden_values`` lists linkIds whose saved answers are not shown back to
    the partner (clinical items): their fields start empty.
    """

    def __init__(
        self,
        *args: Any,
        page: Page,
        instrument: Instrument,
        language: str,
        question_texts: dict[str, str],
        anchors: dict[int, str],
        answers: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.items: list[tuple[Item, str, str]] = []  # (item, field name or "", text)
        for item in page.items:
            text = question_texts.get(item.link_id) or text_in(item.texts, language)
            if not text and item.number is not None:
                text = _("Question %(number)s") % {"number": item.number}
            if not item.is_question:
                self.items.append((item, "", text))
                continue
            name = field_name(item)
            self.fields[name] = self._field(item, text, language, anchors)
            shown = item.visibility != "clinical"
            if shown and item.link_id in answers:
                value = answers[item.link_id]
                self.initial[name] = [str(v) for v in value] if item.repeats else str(value)
            self.items.append((item, name, text))
        self.anchors = anchors

    def rows(self) -> list[dict[str, Any]]:
        """What the template draws, question by question, in order."""
        rows = []
        for item, name, text in self.items:
            if not name:
                rows.append({"kind": "display", "text": text, "visibility": item.visibility})
                continue
            if item.type == ItemType.TEXT:
                kind = "text"
            elif item.type == ItemType.INTEGER or (
                item.options[0].value is not None and not item.options[0].texts
            ):
                kind = "scale"
            else:
                kind = "multiple" if item.repeats else "choice"
            low = high = ""
            if kind == "scale" and item.options:
                low = self.anchors.get(item.options[0].value or 0, "")
                high = self.anchors.get(item.options[-1].value or 0, "")
            rows.append(
                {
                    "kind": kind,
                    "field": self[name],
                    "visibility": item.visibility,
                    "low": low,
                    "high": high,
                    "columns": len(getattr(self.fields[name], "choices", ())),
                }
            )
        return rows

    @staticmethod
    def _field(item: Item, text: str, language: str, anchors: dict[int, str]) -> forms.Field:
        if item.type == ItemType.TEXT:
            return forms.CharField(
                label=text,
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if item.type == ItemType.INTEGER:
            assert item.minimum is not None and item.maximum is not None
            choices = [(str(n), str(n)) for n in range(item.minimum, item.maximum + 1)]
            return forms.ChoiceField(
                label=text, required=False, choices=choices, widget=forms.RadioSelect
            )
        if item.options and item.options[0].value is not None:
            # numbered answers; those with their own words (the CSI's) show the words
            choices = [
                (option.code, text_in(option.texts, language) or option.code)
                for option in item.options
            ]
            return forms.ChoiceField(
                label=text, required=False, choices=choices, widget=forms.RadioSelect
            )
        choices = [(option.code, text_in(option.texts, language)) for option in item.options]
        if item.repeats:
            return forms.MultipleChoiceField(
                label=text, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
            )
        return forms.ChoiceField(
            label=text, required=False, choices=choices, widget=forms.RadioSelect
        )

    def answer_values(self) -> dict[str, Any]:
        """The cleaned answers by linkId, as they are stored (None for no answer)."""
        values: dict[str, Any] = {}
        for item, name, _text in self.items:
            if not name:
                continue
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                values[item.link_id] = None
            elif item.type == ItemType.INTEGER or (
                item.options and item.options[0].value is not None
            ):
                values[item.link_id] = int(value)
            elif item.type == ItemType.TEXT:
                # Browsers send a textarea's line breaks as CRLF; store plain newlines.
                values[item.link_id] = value.replace("\r\n", "\n").strip() or None
            else:
                values[item.link_id] = value
        return values


class AssignForm(forms.Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    instrument = forms.ChoiceField(label=gettext_lazy("Questionnaire"))
    who = forms.ChoiceField(label=gettext_lazy("For"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, offers: list[Any], slots: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [
            (offer.instrument.id, _offer_label(offer)) for offer in offers if offer.available
        ]
        self.fields["who"].choices = slots
        if slots:
            self.fields["who"].initial = slots[-1][0]


def _offer_label(offer: Any) -> str:
    """The questionnaire's name; a warning when its questions exist in one language only.

    A partner who reads the other language then sees them in this one (the page says so).
    """
    title = text_in(offer.instrument.titles, (get_language() or "nl")[:2])
    if tuple(offer.languages) == ("nl",):
        return _("%(title)s (questions only in Dutch)") % {"title": title}
    if tuple(offer.languages) == ("en",):
        return _("%(title)s (questions only in English)") % {"title": title}
    return title


def _answer_value(key: str, low: int | None, high: int | None) -> int | None:
    """An anchor's key as an answer value from ``low`` to ``high``, or None.

    Only ASCII digits count: ``"²".isdigit()`` is true but ``int("²")`` fails, and a
    5,000-digit key is too long to convert.
    """
    if low is None or high is None or not (key.isascii() and key.isdigit()) or len(key) > 6:
        return None
    value = int(key)
    return value if low <= value <= high else None


def _shown(key: str) -> str:
    """An unknown key from an uploaded file, short enough to show in a message."""
    return key if len(key) <= 20 else key[:20] + "…"


class ImportTextsForm(forms.Form):
    """A practice's item texts for a key-only instrument, as a JSON file.

    The file looks like ``{"instrument": "ecr-r", "language": "nl",
    "items": {"1": "…", …}, "anchors": {"1": "…", "7": "…"}}``; ``anchors``
    is optional. Every item of the instrument must have a text.
    """

    file = forms.FileField(label=gettext_lazy("File with the item texts (JSON)"))

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 200 kB)."))
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8 or JSON, a 5,000-digit number, too deep
            raise forms.ValidationError(
                _("This is not a JSON file in UTF-8. See the example on this page.")
            ) from None
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The file must hold one JSON object."))
        keys = {item.id: item for item in current_instruments() if item.key_only}
        instrument = keys.get(str(data.get("instrument", "")))
        if instrument is None:
            raise forms.ValidationError(
                _("Unknown instrument. Use one of: %(ids)s.") % {"ids": ", ".join(sorted(keys))}
            )
        language = data.get("language")
        if language not in LANGUAGES:
            raise forms.ValidationError(_('The language must be "nl" or "en".'))
        items = data.get("items")
        expected = {item.link_id for item in instrument.questions}
        if not isinstance(items, dict):
            raise forms.ValidationError(_('"items" must map each item number to its text.'))
        missing = sorted(expected - set(items), key=int)
        extra = [_shown(key) for key in sorted(set(items) - expected)[:10]]
        if missing or extra:
            raise forms.ValidationError(
                _(
                    "%(instrument)s has items 1 to %(count)s; "
                    "missing: %(missing)s; unknown: %(extra)s."
                )
                % {
                    "instrument": instrument.id,
                    "count": len(expected),
                    "missing": ", ".join(missing) or "-",
                    "extra": ", ".join(extra) or "-",
                }
            )
        for number, text in items.items():
            if not isinstance(text, str) or not text.strip():
                raise forms.ValidationError(_("Item %(number)s has no text.") % {"number": number})
            if len(text) > ITEM_TEXT_MAX_LENGTH:
                raise forms.ValidationError(
                    _("Item %(number)s is longer than %(max)s characters.")
                    % {"number": number, "max": ITEM_TEXT_MAX_LENGTH}
                )
            if "\x00" in text:  # PostgreSQL stores no NUL character
                raise forms.ValidationError(
                    _("Item %(number)s holds a character that cannot be stored.")
                    % {"number": number}
                )
        anchors = data.get("anchors", {})
        low, high = instrument.response_min, instrument.response_max
        if not isinstance(anchors, dict) or not all(
            isinstance(label, str)
            and len(label) <= ITEM_TEXT_MAX_LENGTH
            and "\x00" not in label
            and _answer_value(value, low, high) is not None
            for value, label in anchors.items()
        ):
            raise forms.ValidationError(
                _('"anchors" must map answer values from %(low)s to %(high)s to short labels.')
                % {"low": low, "high": high}
            )
        return {
            "instrument": instrument,
            "language": language,
            "items": {number: text.strip() for number, text in items.items()},
            "anchors": {
                str(_answer_value(value, low, high)): label.strip()
                for value, label in anchors.items()
            },
        }
