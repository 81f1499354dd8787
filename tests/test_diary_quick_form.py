"""The diary send read without the form (dyade.diary.quick_form) agrees with the form.

Whatever :func:`quick_form.clean` accepts, ``DiaryForm`` accepts too, with the
same cleaned values; and what Dyade's own page sends (every answer one of the
values it offers) is accepted, so the submit does not build the form for it.
"""

from __future__ import annotations

import uuid

from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.clinic import diary as rules
from dyade.diary import quick_form
from dyade.diary.forms import DiaryForm
from tests.diary_data import diary_form

# Texts near the edges of what the form reads: the quick reading must leave to the
# form every one it is not sure of.
_NEAR_NUMBERS = ["0", "5", "10", "11", "-1", "05", " 5", "5 ", "5.0", "+5", "٥", "1e1", "", "x"]
_NEAR_WORDS = ["yes", "no", "Yes", "NO", " yes", "yes\n", "true", "1", "", "ja"]
_NEAR_CODES = [code for field in rules.FIELDS for code in field.codes] + [
    "Touch",
    " me",
    "both ",
    "",
    "none",
]
_NEAR_VERSIONS = ["0", "1", "7", "007", " 3", "2147483647", "2147483648", "-1", "1.0", "", "x"]


def _near_ids() -> st.SearchStrategy[str]:
    made = st.uuids().map(str)
    return st.one_of(
        made,
        made.map(str.upper),
        made.map(lambda text: "{" + text + "}"),
        made.map(lambda text: text.replace("-", "")),
        made.map(lambda text: f" {text}"),
        st.sampled_from(["", "not-a-uuid", "urn:uuid:" + str(uuid.UUID(int=1))]),
    )


def _near_notes() -> st.SearchStrategy[str]:
    limit = rules.NOTE_MAX_LENGTH
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(["", " ", "\x00", "a\x00b", "  Samen gekookt.  ", "\n\t"]),
        st.integers(limit - 2, limit + 2).map(lambda n: "a" * n),
        st.integers(limit - 2, limit + 2).map(lambda n: " " + "b" * n + " "),
    )


def _value(field: rules.DiaryField) -> st.SearchStrategy[str]:
    if field.kind == rules.FieldKind.SCALE:
        return st.one_of(st.sampled_from(_NEAR_NUMBERS), st.text(max_size=3))
    if field.kind == rules.FieldKind.YES_NO:
        return st.sampled_from(_NEAR_WORDS)
    if field.kind == rules.FieldKind.CHOICE:
        return st.sampled_from(_NEAR_CODES)
    return _near_notes()


@st.composite
def page_sends(draw: st.DrawFn) -> tuple[QueryDict, list[str]]:
    """A send as Dyade's page makes it: every answer one the page offers, or left open."""
    data = QueryDict(mutable=True)
    disabled = draw(st.lists(st.sampled_from(rules.OPTIONAL), unique=True))
    contact = draw(st.booleans())
    for field in rules.FIELDS:
        if field.name in disabled:
            continue
        if field.kind == rules.FieldKind.SCALE:
            choices = [str(n) for n in range(rules.SCALE_MIN, rules.SCALE_MAX + 1)]
        elif field.kind == rules.FieldKind.YES_NO:
            choices = (
                ["yes" if contact else "no"] if field.name == "sexual_contact" else ["yes", "no"]
            )
        elif field.kind == rules.FieldKind.CHOICE:
            choices = list(field.codes)
        else:
            data["note"] = draw(st.text(max_size=200).filter(lambda text: "\x00" not in text))
            continue
        if field.optional and (draw(st.booleans()) or (field.needs_contact and not contact)):
            if draw(st.booleans()):
                data[field.name] = ""
            continue
        data[field.name] = draw(st.sampled_from(choices))
    data["note_visibility"] = draw(st.sampled_from(["private", "shared"]))
    data["request_id"] = str(draw(st.uuids()))
    data["based_on"] = str(draw(st.integers(0, 2**31 - 1)))
    return data, disabled


@st.composite
def sends(draw: st.DrawFn) -> tuple[QueryDict, list[str]]:
    """A send as the page makes it, then changed as any client could: a few answers
    replaced by texts near the edges, left out, or sent twice."""
    data, disabled = draw(page_sends())
    near = {field.name: _value(field) for field in rules.FIELDS}
    near["note_visibility"] = st.sampled_from(["private", "shared", "Private", "", "all"])
    near["request_id"] = _near_ids()
    near["based_on"] = st.sampled_from(_NEAR_VERSIONS)
    for name in draw(st.lists(st.sampled_from(sorted(near)), max_size=3, unique=True)):
        how = draw(st.sampled_from(["replace", "leave out", "twice"]))
        if how == "leave out":
            data.pop(name, None)
        elif how == "twice":
            data.appendlist(name, draw(near[name]))
        else:
            data[name] = draw(near[name])
    return data, disabled


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sends())
def test_what_the_quick_reading_accepts_the_form_accepts_alike(sent):
    data, disabled = sent
    quick = quick_form.clean(data, disabled)
    form = DiaryForm(data, disabled=disabled)
    if quick is not None:
        assert form.is_valid(), form.errors
        assert quick == form.cleaned_data


@settings(max_examples=400, deadline=None)
@given(page_sends())
def test_every_send_of_the_page_is_read_without_the_form(sent):
    data, disabled = sent
    form = DiaryForm(data, disabled=disabled)
    assert form.is_valid(), form.errors
    assert quick_form.clean(data, disabled) == form.cleaned_data


def test_a_send_the_form_refuses_is_left_to_the_form():
    refused = diary_form(closeness="11")
    data = QueryDict(mutable=True)
    data.update(refused)
    assert quick_form.clean(data) is None
    assert not DiaryForm(data).is_valid()
    data["closeness"] = "10"
    form = DiaryForm(data)
    assert form.is_valid(), form.errors
    assert quick_form.clean(data) == form.cleaned_data


def test_a_note_of_the_longest_length_is_kept_and_one_more_character_is_not():
    data = QueryDict(mutable=True)
    data.update(diary_form(note_visibility="shared", note="n" * rules.NOTE_MAX_LENGTH))
    assert quick_form.clean(data)["note"] == "n" * rules.NOTE_MAX_LENGTH
    data["note"] = "n" * (rules.NOTE_MAX_LENGTH + 1)
    assert quick_form.clean(data) is None
