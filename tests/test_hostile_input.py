"""Hostile input never gives a server error (issue 18).

Each class of input that gave a 500 is sent as every role to the pages it
reaches: JSON bodies for the exercise timer (deep nesting, times in year 1 or
9999 at ±14:00, NUL in ids), instrument import files (superscript digits and
5,000-digit numbers as keys, deep nesting, NUL), superscript digits and NUL in
query strings, NUL in addresses and headers, and huge or odd numbers in the
multi-selects of people. Every answer is a refusal (4xx, a sign-in redirect or
the form again with its error), never a 500, and nothing is half saved. At the
end a property-based test (hypothesis) posts generated bad values to the same
forms and query parameters as each role. Runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import io
import json
import os
import uuid
from typing import Any
from urllib.parse import quote

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, Invitation, Partner
from dyade.exercises.models import Assignment, Entry, Log, Run, SessionRecord
from dyade.questionnaires.models import InstrumentText
from dyade.research.models import Consent, Study
from dyade.sessions.models import CycleVersion
from tests.conftest import PEOPLE, World, client_for

DEEP = 20_000  # far past Python's recursion limit, well inside the 64 kB body limit
ODD_NUMBERS = [
    "²",  # "²".isdigit() is true, int("²") fails
    "¹²",
    "١",  # an Arabic-Indic one: isdigit() and int() both accept it
    "9" * 30,  # past 64-bit integers: SQLite raises OverflowError
    "9" * 5000,  # past Python's 4,300-digit limit for int()
    str(2**63),
    "-1",
    "0",
    "1.5",
    "1e3",
    " 1",
    "\x00",
    "1\x00",
]


def _client(world: World, name: str) -> Client:
    return client_for(world.person(name))


def _forms(response: HttpResponse) -> list[Any]:
    context = getattr(response, "context", None)
    if not context:
        return []
    contexts = context if isinstance(context, list) else [context]
    return [
        value
        for one in contexts
        for value in one.flatten().values()
        if hasattr(value, "errors") and hasattr(value, "is_bound")
    ]


def assert_refused(response: HttpResponse, what: str = "") -> None:
    """A 4xx, a redirect to sign in, or the form shown again with an error; never a 500."""
    status = response.status_code
    assert status < 500, f"{what}: server error {status}"
    if 400 <= status < 500:
        return
    if status == 302 and reverse("accounts:login") in response["Location"]:
        return
    assert status == 200, f"{what}: {status} {response.get('Location', '')}"
    assert any(form.errors for form in _forms(response)), f"{what}: no form error"


def _no_nul_in_the_audit_trail() -> None:
    for event in AuditEvent.objects.all():
        assert "\x00" not in event.access_point + event.detail + event.user_agent


# --- the exercise timer ------------------------------------------------------------------


def _event(kind: str, at: str, event_id: str | None = None) -> dict[str, str]:
    return {"id": event_id or f"ev-{kind}-000001", "kind": kind, "at": at, "slot": ""}


def _run(*events: dict[str, str], run: str = "run-hostile-01") -> str:
    return json.dumps({"run": run, "events": list(events)})


NOW = "2024-05-08T10:00:00+02:00"
TIMER_BODIES = {
    "deep array": "[" * DEEP + "]" * DEEP,
    "deep events": '{"run": "run-hostile-01", "events": ' + "[" * DEEP + "]" * DEEP + "}",
    "deep object": '{"a": ' * 10_000 + "1" + "}" * 10_000,
    "5000-digit number": '{"run": ' + "9" * 5000 + ', "events": []}',
    "not UTF-8": "\udcff",
    "null": "null",
    "a list": "[1, 2]",
    "run as a number": json.dumps({"run": 12345678, "events": []}),
    "NUL in the run id": _run(_event("start", NOW), run="run-\x00-000001"),
    "NUL in an event id": _run(_event("start", NOW, "ev-\x00-0000001")),
    "control character in the run id": _run(_event("start", NOW), run="run-\x1b-000001"),
    "slot is an object": json.dumps(
        {"run": "run-hostile-01", "events": [{**_event("start", NOW), "slot": {"a": 1}}]}
    ),
}
for _at in (
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-14:00",
):
    TIMER_BODIES[f"start at {_at}"] = _run(_event("start", _at))
    TIMER_BODIES[f"stop at {_at}"] = _run(_event("start", NOW), _event("stop", _at))


@pytest.fixture
def couple_exercise(world: World) -> Assignment:
    return Assignment.objects.create(
        case=world.case, partner=None, slug="hug-till-relaxed", assigned_by=world.therapist
    )


@pytest.mark.parametrize("name", PEOPLE)
def test_hostile_timer_bodies_are_refused(
    world: World, couple_exercise: Assignment, name: str
) -> None:
    client = _client(world, name)
    url = reverse("diary:exercise_runs", args=[couple_exercise.pk])
    for label, body in TIMER_BODIES.items():
        data = body.encode("utf-8", "surrogateescape")
        response = client.post(url, data, content_type="application/json")
        assert_refused(response, label)
        if name in ("partner_a", "partner_b"):
            assert response.status_code in (400, 413), label
    assert not Run.objects.exists() and not Log.objects.exists()
    _no_nul_in_the_audit_trail()


# --- instrument import files ---------------------------------------------------------------

HITS_ITEMS = {str(n): f"hits vraag {n}" for n in range(1, 5)}


def _file(data: Any) -> io.BytesIO:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    upload = io.BytesIO(raw)
    upload.name = "teksten.json"
    return upload


def _hits(**changes: Any) -> dict[str, Any]:
    return {"instrument": "hits", "language": "en", "items": dict(HITS_ITEMS), **changes}


IMPORT_FILES: dict[str, Any] = {
    "superscript anchor key": _hits(anchors={"²": "vaak"}),
    "Arabic-Indic anchor key": _hits(anchors={"١": "nooit"}),
    "5000-digit anchor key": _hits(anchors={"1" * 5000: "nooit"}),
    "negative anchor key": _hits(anchors={"-1": "nooit"}),
    "superscript item key": _hits(items={**HITS_ITEMS, "²": "extra"}),
    "5000-digit item key": _hits(items={**HITS_ITEMS, "9" * 5000: "extra"}),
    "NUL in an item": _hits(items={**HITS_ITEMS, "2": "vraag\x00twee"}),
    "NUL in an anchor": _hits(anchors={"1": "nooit\x00"}),
    "NUL in an item key": _hits(items={**HITS_ITEMS, "1\x00": "extra"}),
    "NUL in the instrument": _hits(instrument="hits\x00"),
    "deep nesting": b'{"instrument": "hits", "items": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    "deep nesting in an item": _hits(items={**HITS_ITEMS, "3": [[[["diep"]]]]}),
    "5000-digit number": b'{"instrument": "hits", "language": ' + b"7" * 5000 + b"}",
    "language as an object": _hits(language={"nl": 1}),
    "not UTF-8": b"\xff\xfe{}",
    "anchor label too long": _hits(anchors={"1": "x" * 10_000}),
}


@pytest.mark.parametrize("name", PEOPLE)
def test_hostile_instrument_files_are_refused(world: World, name: str) -> None:
    client = _client(world, name)
    before = list(InstrumentText.objects.values_list("pk", "language", "items", "anchors"))
    for label, data in IMPORT_FILES.items():
        response = client.post(reverse("practice:instruments"), {"file": _file(data)})
        assert_refused(response, label)
    assert list(InstrumentText.objects.values_list("pk", "language", "items", "anchors")) == before
    _no_nul_in_the_audit_trail()


def test_good_anchors_are_stored_as_plain_numbers(world: World) -> None:
    data = _hits(anchors={"1": "nooit", "05": "altijd"})
    response = _client(world, "admin").post(reverse("practice:instruments"), {"file": _file(data)})
    assert response.status_code == 302
    assert InstrumentText.objects.get(language="en").anchors == {"1": "nooit", "5": "altijd"}


# --- query strings, addresses and headers ----------------------------------------------------


@pytest.mark.parametrize("name", PEOPLE)
def test_odd_numbers_and_nul_in_query_parameters(
    world: World, couple_exercise: Assignment, name: str
) -> None:
    CycleVersion.objects.create(
        case=world.case, number=1, data_json="{}", created_by=world.therapist
    )
    client = _client(world, name)
    pages = [
        (reverse("cases:list"), ["older", "newer"]),
        (reverse("cases:cycle", args=[world.case.pk]), ["version"]),
        (reverse("diary:exercise", args=[couple_exercise.pk]), ["page"]),
        (reverse("diary:home"), ["day"]),
    ]
    for url, names in pages:
        for param in names:
            for value in [*ODD_NUMBERS, "%00", "1%00", "%%0000"]:
                query = f"{param}={value}" if "%" in value else f"{param}={_quote(value)}"
                response = client.get(f"{url}?{query}")
                assert response.status_code < 500, f"{url}?{query}"
    _no_nul_in_the_audit_trail()


def _quote(value: str) -> str:
    return quote(value, safe="")


@pytest.mark.parametrize("name", PEOPLE)
def test_nul_in_an_address_or_a_header_is_a_bad_request(world: World, name: str) -> None:
    client = _client(world, name)
    pk = world.case.pk
    for url in ["/invite/%00/", "/me/diary/%00/", f"/cases/{pk}/partners/%00/invite/"]:
        assert client.get(url).status_code == 400, url
        assert client.post(url, {"request_id": str(uuid.uuid4())}).status_code == 400, url
    assert client.post(f"/cases/{pk}/guidance/a%00b/decide/", {}).status_code == 400
    assert client.get("/", HTTP_USER_AGENT="Mozilla\x00").status_code == 400
    assert client.get("/me/", HTTP_COOKIE="sessionid=abc\x00def").status_code == 400
    assert not Invitation.objects.exists()
    _no_nul_in_the_audit_trail()


def test_an_ordinary_unknown_link_is_still_refused_with_its_audit_event(world: World) -> None:
    response = Client().get("/invite/not-a-token/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event="invitation.read", outcome="denied").exists()


# --- numbers in the multi-selects of people ---------------------------------------------------


def _case_form(**changes: Any) -> dict[str, Any]:
    return {
        "request_id": str(uuid.uuid4()),
        "label": "Vijandig",
        "kind": "couple",
        "a_name": "Ada",
        "a_language": "nl",
        "b_name": "Bo",
        "b_language": "nl",
        **changes,
    }


def _study_form(**changes: Any) -> dict[str, Any]:
    return {
        "request_id": str(uuid.uuid4()),
        "title": "Vijandige studie",
        "information_nl": "Wat de studie vraagt.",
        "information_en": "What the study asks.",
        "data_from": timezone.localdate().isoformat(),
        "status": "draft",
        **changes,
    }


@pytest.mark.parametrize("name", PEOPLE)
def test_odd_ids_in_multi_selects_are_form_errors(world: World, name: str) -> None:
    client = _client(world, name)
    cases, partners, studies = Case.objects.count(), Partner.objects.count(), Study.objects.count()
    researchers = list(world.study.researchers.all())
    for value in ODD_NUMBERS:
        for key in ("co_therapists", "researchers"):
            values = [
                value,
                str(world.colleague.pk if key == "co_therapists" else world.researcher.pk),
            ]
            response = client.post(reverse("cases:create"), _case_form(co_therapists=values))
            assert_refused(response, f"case {value!r}")
            response = client.post(reverse("practice:study_new"), _study_form(researchers=values))
            assert_refused(response, f"new study {value!r}")
            response = client.post(
                reverse("practice:study", args=[world.study.pk]),
                _study_form(researchers=values, status="open"),
            )
            assert_refused(response, f"study {value!r}")
    assert (Case.objects.count(), Partner.objects.count()) == (cases, partners)
    assert Study.objects.count() == studies
    assert list(world.study.researchers.all()) == researchers


# --- the property: generated bad values, every form and parameter, every role -------------------

EXAMPLES = int(os.environ.get("DYADE_HOSTILE_EXAMPLES", "30"))

hostile_text = st.one_of(
    st.sampled_from([*ODD_NUMBERS, "", " ", "%00", "null", "[]", "{}", "true", "<script>"]),
    st.text(max_size=40),
    st.integers().map(str),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=20),
    st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "-1-01-01", "१२"]),
)
hostile_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)


def _targets(
    world: World, exercise: Assignment, boundary: Assignment
) -> list[tuple[str, str, list[str]]]:
    """(method, url, field names) of the forms and query strings this test sends to."""
    case = world.case.pk
    return [
        ("post", reverse("cases:create"), [*_case_form(), "co_therapists"]),
        ("post", reverse("cases:invite", args=[case, "A"]), ["request_id"]),
        (
            "post",
            reverse("diary:exercise", args=[exercise.pk]),
            [
                "request_id",
                "date",
                "role",
                "agreements_held",
                "feeling",
                "intensity",
                "thoughts",
                "needed",
                "note",
                "shared",
            ],
        ),
        (
            "post",
            reverse("diary:exercise", args=[boundary.pk]),
            ["request_id", "date", "f-bid", "f-answer", "shared"],
        ),
        ("post", reverse("practice:study_new"), [*_study_form(), "researchers"]),
        (
            "post",
            reverse("practice:study", args=[world.study.pk]),
            [*_study_form(), "researchers"],
        ),
        ("post", reverse("diary:study", args=[world.study.pk]), ["decision"]),
        (
            "post",
            reverse("cases:exercises", args=[case]),
            ["request_id", "slug", "who", "frequency", "minutes", "review_date", "own_agreements"],
        ),
        (
            "post",
            reverse("cases:in_session", args=[case, "forearm-stroking"]),
            ["request_id", "date", "f-attention", "f-approval-seeking"],
        ),
        ("get", reverse("cases:list"), ["older", "newer"]),
        ("get", reverse("cases:cycle", args=[case]), ["version"]),
        ("post", reverse("cases:report", args=[case, "intake"]), ["action", "language", "safety"]),
        (
            "post",
            reverse("cases:report", args=[case, "referral"]),
            ["action", "language", "recipient", "addressee", "letter", "items"],
        ),
        ("get", reverse("cases:report", args=[case, "referral"]), ["language"]),
        ("post", reverse("cases:observation_new", args=[case]), ["from_brief", "note"]),
        ("json", reverse("diary:exercise_runs", args=[exercise.pk]), []),
        ("file", reverse("practice:instruments"), []),
    ]


@pytest.mark.parametrize("name", PEOPLE)
def test_no_generated_input_gives_a_server_error(world: World, name: str) -> None:
    exercise = Assignment.objects.create(
        case=world.case, partner=None, slug="sensate-focus", assigned_by=world.therapist, step=1
    )
    boundary = Assignment.objects.create(
        case=world.case, partner=None, slug="loving-boundary", assigned_by=world.therapist
    )
    CycleVersion.objects.create(
        case=world.case, number=1, data_json="{}", created_by=world.therapist
    )
    client = _client(world, name)
    targets = _targets(world, exercise, boundary)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def send(data: st.DataObject) -> None:
        method, url, fields = data.draw(st.sampled_from(targets))
        if method == "json":
            body = json.dumps(data.draw(hostile_json))
            response = client.post(url, body, content_type="application/json")
        elif method == "file":
            payload = {"instrument": "hits", "language": "nl", "items": data.draw(hostile_json)}
            response = client.post(url, {"file": _file(payload)})
        else:
            chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
            values = {
                field: data.draw(st.lists(hostile_text, min_size=1, max_size=3)) for field in chosen
            }
            response = getattr(client, method)(url, values)
        assert response.status_code < 500, (method, url)

    before = _records()
    send()
    _every_new_record_has_its_audit_event(before)
    _no_nul_in_the_audit_trail()


AUDITED = (
    Case,
    Invitation,
    Assignment,
    SessionRecord,
    Log,
    Entry,
    Run,
    Study,
    Consent,
    InstrumentText,
)


def _records() -> dict[Any, set[str]]:
    return {
        model: {str(pk) for pk in model.objects.values_list("pk", flat=True)} for model in AUDITED
    }


def _every_new_record_has_its_audit_event(before: dict[Any, set[str]]) -> None:
    """Nothing half saved: each record that was made carries its "create" audit event."""
    for model, made in _records().items():
        audited = set(
            AuditEvent.objects.filter(
                object_type=model._meta.label, event__endswith=".create", outcome="success"
            ).values_list("object_id", flat=True)
        )
        assert made - before[model] <= audited, model.__name__
