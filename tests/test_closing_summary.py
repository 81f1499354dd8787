"""The closing summary for the partners: given, withdrawn, previewed; who may see it.

The summary is given by an explicit action of one of the case's therapists on a
closed case; the partners of that case then read it on their closed-therapy page
and download it as a PDF. Every other person is refused, a partner never sees a
summary that was not given or was withdrawn, and no text of a partner's private
places (diary notes, intake answers, the safety screen, notes on an exercise
given to one partner, the therapist's observations) ever reaches it.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, CaseStatus
from dyade.exercises.models import Assignment, Log
from dyade.sessions.models import CycleVersion, Observation, PartnerSummary
from tests.conftest import (
    A_INTAKE_HOPE,
    A_PRIVATE,
    A_SHARED,
    B_INTAKE_HOPE,
    B_PRIVATE,
    World,
    client_for,
)

NOTE = "Jullie hebben hard gewerkt. Veel sterkte samen."
INTERNAL = "Intern: A noemde X; niet voor de partners."
CYCLE_A = "ik-zoek-contact-marker"
CYCLE_DRAFT = "concept-kaart-marker"
ONE_PARTNER_LOG = "B-own-exercise-log-marker"
OBSERVATION = "therapist-observation-marker"
PRIVATE_MARKERS = (
    A_PRIVATE,
    B_PRIVATE,
    A_SHARED,  # shared with the other partner, still no part of the summary
    A_INTAKE_HOPE,
    B_INTAKE_HOPE,
    ONE_PARTNER_LOG,
    OBSERVATION,
    CYCLE_DRAFT,
    INTERNAL,
    "sometimes",  # A's safety screen answers
    "often",
    "eft.contra",  # no signal ids
)


def _cycle(world: World, number: int, text: str, published: bool) -> CycleVersion:
    data = {"A": {"daily": {"position": "pursue", "behaviour": text}}, "B": {}}
    return CycleVersion.objects.create(
        case=world.case,
        number=number,
        data_json=json.dumps(data),
        created_by=world.therapist,
        published_at=timezone.now() if published else None,
        published_by=world.therapist if published else None,
    )


def _work(world: World) -> None:
    """A published map and a later draft, one exercise for both, one for B alone with a log."""
    _cycle(world, 1, CYCLE_A, published=True)
    _cycle(world, 2, CYCLE_DRAFT, published=False)
    Assignment.objects.create(case=world.case, slug="hug-till-relaxed", assigned_by=world.therapist)
    own = Assignment.objects.create(
        case=world.case, partner=world.partner_b, slug="self-soothing", assigned_by=world.therapist
    )
    Log.objects.create(
        assignment=own,
        partner=world.partner_b,
        date=timezone.localdate(),
        values_json=json.dumps({"note": ONE_PARTNER_LOG}),
    )
    Observation.objects.create(
        case=world.case, date=timezone.localdate(), created_by=world.therapist, note=OBSERVATION
    )


def _close(world: World) -> None:
    response = client_for(world.therapist).post(
        reverse("cases:close", args=[world.case.pk]),
        {"outcome": "ended_respectfully", "note": INTERNAL},
    )
    assert response.status_code == 302


def _url(world: World) -> str:
    return reverse("cases:partner_summary", args=[world.case.pk])


def _give(world: World, request_id: str | None = None, **data: str) -> Any:
    values = {
        "note": NOTE,
        "cycle": "on",
        "exercises": "on",
        "request_id": request_id or str(uuid.uuid4()),
        "action": "give",
        **data,
    }
    return client_for(world.therapist).post(_url(world), values)


@pytest.fixture
def closed(world: World) -> World:
    _work(world)
    _close(world)
    return world


def _home(world: World, user: Any) -> str:
    response = client_for(user).get(reverse("diary:home"))
    assert response.status_code == 200
    return response.content.decode()


def _pdf_text(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- the therapist's page ------------------------------------------------------------


def test_the_form_is_prefilled_with_the_closing_note_and_gives_nothing_by_itself(
    closed: World,
) -> None:
    page = client_for(closed.therapist).get(_url(closed))
    html = page.content.decode()
    assert page.status_code == 200
    assert INTERNAL in html  # prefilled, for the therapist to edit
    assert not PartnerSummary.objects.exists()  # closing gave nothing
    assert "summary-outcome" not in _home(closed, closed.user_a)


def test_the_preview_shows_what_the_partners_will_read_and_gives_nothing(closed: World) -> None:
    response = client_for(closed.therapist).post(
        _url(closed),
        {
            "note": NOTE,
            "cycle": "on",
            "exercises": "on",
            "request_id": str(uuid.uuid4()),
            "action": "preview",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview"' in html
    preview = html.split('id="preview"', 1)[1].split('id="summaries-given"', 1)[0]
    assert NOTE in preview and CYCLE_A in preview
    assert "Knuffelen tot je ontspant" in preview  # given to both
    assert "Jezelf kalmeren" not in preview  # given to B alone
    for marker in PRIVATE_MARKERS:
        assert marker not in preview, marker
    assert not PartnerSummary.objects.exists()
    event = AuditEvent.objects.filter(event="partner_summary.read").latest("pk")
    assert event.detail == "preview: outcome, note, cycle v1, exercises 1"


def test_giving_twice_with_one_form_gives_one_and_logs_its_parts(closed: World) -> None:
    request_id = str(uuid.uuid4())
    assert _give(closed, request_id).status_code == 302
    assert _give(closed, request_id).status_code == 302
    summary = PartnerSummary.objects.get()
    assert summary.note == NOTE and summary.outcome == "ended_respectfully"
    assert summary.cycle_version.number == 1 and summary.exercises == ["hug-till-relaxed"]
    given = AuditEvent.objects.get(event="partner_summary.create")
    assert given.detail == "outcome, note, cycle v1, exercises 1"
    assert given.case_id == closed.case.pk and given.user_id == closed.therapist.pk
    # The internal closing note is a text of its own and did not change.
    assert Case.objects.get(pk=closed.case.pk).closing_note == INTERNAL


def test_the_parts_the_therapist_leaves_out_stay_out(closed: World) -> None:
    assert _give(closed, cycle="", exercises="").status_code == 302
    summary = PartnerSummary.objects.get()
    assert summary.cycle_version is None and summary.exercises == []
    assert AuditEvent.objects.get(event="partner_summary.create").detail == "outcome, note"
    html = _home(closed, closed.user_a)
    assert "summary-cycle" not in html and "summary-exercises" not in html
    assert CYCLE_A in html  # their own copy of the published map stays, on its own


def test_an_empty_text_gives_nothing_and_keeps_the_choices(closed: World) -> None:
    response = _give(closed, note="   ", exercises="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Schrijf een paar woorden voor de partners." in html
    assert re.search(r'<input[^>]*name="cycle"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="exercises"[^>]*checked', html)
    assert not PartnerSummary.objects.exists()
    assert AuditEvent.objects.filter(event="partner_summary.create", outcome="invalid").exists()


def test_a_text_too_long_gives_nothing_and_keeps_what_was_typed(closed: World) -> None:
    typed = "woord " * 1000 + "einde-marker"
    response = _give(closed, note=typed)
    assert response.status_code == 400
    assert "einde-marker" in response.content.decode()
    assert not PartnerSummary.objects.exists()


def test_an_open_case_gives_no_summary(world: World) -> None:
    _work(world)
    response = _give(world)
    assert response.status_code == 302
    assert not PartnerSummary.objects.exists()
    refused = AuditEvent.objects.get(event="partner_summary.create")
    assert (refused.outcome, refused.detail) == ("invalid", "case open")
    page = client_for(world.therapist).get(_url(world)).content.decode()
    assert 'id="summary-open"' in page and 'id="summary-form"' not in page


def test_a_request_id_of_another_case_is_refused(closed: World) -> None:
    request_id = str(uuid.uuid4())
    other = Case.objects.create(
        practice=closed.practice,
        label="Ander",
        kind="couple",
        created_by=closed.therapist,
        status=CaseStatus.CLOSED,
        closed_at=timezone.now(),
        outcome="grown_closer",
    )
    other.therapists.add(closed.therapist)
    PartnerSummary.objects.create(
        case=other,
        outcome="grown_closer",
        given_by=closed.therapist,
        request_id=uuid.UUID(request_id),
    )
    response = _give(closed, request_id)
    assert response.status_code == 400
    assert not PartnerSummary.objects.filter(case=closed.case).exists()


# --- what the partners see -----------------------------------------------------------


def test_both_partners_read_the_given_summary_and_nothing_private(closed: World) -> None:
    _give(closed)
    for user in (closed.user_a, closed.user_b):
        html = _home(closed, user)
        assert 'id="closing-summary"' in html
        assert "De therapie is respectvol afgerond" in html  # the outcome in kind words
        assert NOTE in html and CYCLE_A in html
        assert "Knuffelen tot je ontspant" in html
        for marker in PRIVATE_MARKERS:
            assert marker not in html, marker
        assert "respectvol afgerond" in html and "ended_respectfully" not in html
    reads = AuditEvent.objects.filter(event="partner_summary.read", detail="page")
    assert {e.user_id for e in reads} == {closed.user_a.pk, closed.user_b.pk}


def test_the_pdf_holds_the_summary_and_nothing_private(closed: World) -> None:
    _give(closed)
    text = _pdf_text(client_for(closed.user_a).get(reverse("closing_pdf")))
    flat = " ".join(text.split())
    assert "Afsluitende samenvatting" in flat
    assert "Jullie hebben hard gewerkt." in flat
    assert "Knuffelen tot je ontspant" in flat
    for marker in PRIVATE_MARKERS:
        assert marker not in flat, marker
    event = AuditEvent.objects.filter(event="partner_summary.read").latest("pk")
    assert (event.detail, event.user_id) == ("pdf", closed.user_a.pk)


def test_an_english_partner_reads_it_in_english(closed: World) -> None:
    closed.user_b.language = "en"
    closed.user_b.save(update_fields=["language"])
    _give(closed)
    html = _home(closed, closed.user_b)
    assert "The therapy has been rounded off with a respectful ending" in html
    assert "Hug till relaxed" in html


def test_a_formal_practice_says_u_on_the_summary(closed: World) -> None:
    closed.practice.formal_dutch = True
    closed.practice.save(update_fields=["formal_dutch"])
    Case.objects.filter(pk=closed.case.pk).update(outcome="stopped_early")
    _give(closed)
    html = _home(closed, closed.user_a)
    assert "U bent welkom om terug te komen als u dat wilt." in html
    assert "Hoe uw therapie is afgerond" in html
    assert "Je bent welkom" not in html


def test_a_summary_not_given_is_not_seen(closed: World) -> None:
    html = _home(closed, closed.user_a)
    assert 'id="closing-summary"' not in html
    assert CYCLE_A in html  # the published map is their own copy all the same
    assert CYCLE_DRAFT not in html


def test_a_withdrawn_summary_is_seen_no_more(closed: World) -> None:
    _give(closed)
    summary = PartnerSummary.objects.get()
    url = reverse("cases:partner_summary_withdraw", args=[closed.case.pk, summary.pk])
    assert client_for(closed.therapist).post(url).status_code == 302
    assert client_for(closed.therapist).post(url).status_code == 302  # twice: once
    events = AuditEvent.objects.filter(event="partner_summary.delete")
    assert [e.detail for e in events] == ["withdrawn"]
    html = _home(closed, closed.user_a)
    assert 'id="closing-summary"' not in html and NOTE not in html
    pdf = client_for(closed.user_a).get(reverse("closing_pdf"))
    assert NOTE not in _pdf_text(pdf)


def test_a_new_summary_takes_the_place_of_the_one_before(closed: World) -> None:
    _give(closed, note="eerste versie")
    _give(closed, note="tweede versie")
    assert PartnerSummary.objects.filter(withdrawn_at__isnull=True).count() == 1
    html = _home(closed, closed.user_b)
    assert "tweede versie" in html and "eerste versie" not in html
    assert AuditEvent.objects.get(event="partner_summary.delete").detail == "replaced"


def test_a_reopened_case_shows_its_partners_their_ordinary_home(closed: World) -> None:
    _give(closed)
    client_for(closed.therapist).post(reverse("cases:reopen", args=[closed.case.pk]))
    assert NOTE not in _home(closed, closed.user_a)


# --- everyone else is refused --------------------------------------------------------


@pytest.mark.parametrize("name", ["colleague", "other_therapist", "admin", "researcher"])
def test_nobody_but_the_case_therapists_reaches_the_page(closed: World, name: str) -> None:
    client = client_for(closed.person(name))
    assert client.get(_url(closed)).status_code in (403, 404)
    values = {"note": NOTE, "request_id": str(uuid.uuid4()), "action": "give"}
    answer = client.post(_url(closed), values)
    assert answer.status_code in (403, 404)
    assert NOTE not in answer.content.decode()
    assert not PartnerSummary.objects.exists()


@pytest.mark.parametrize("name", ["partner_a", "partner_b", "stranger"])
def test_partners_and_strangers_cannot_give_one(closed: World, name: str) -> None:
    client = client_for(closed.person(name))
    values = {"note": NOTE, "request_id": str(uuid.uuid4()), "action": "give"}
    assert client.post(_url(closed), values).status_code in (302, 403)
    assert not PartnerSummary.objects.exists()


@pytest.mark.parametrize(
    "name", ["colleague", "other_therapist", "admin", "researcher", "partner_a", "stranger"]
)
def test_nobody_else_withdraws_it(closed: World, name: str) -> None:
    _give(closed)
    summary = PartnerSummary.objects.get()
    url = reverse("cases:partner_summary_withdraw", args=[closed.case.pk, summary.pk])
    assert client_for(closed.person(name)).post(url).status_code in (302, 403, 404)
    summary.refresh_from_db()
    assert summary.withdrawn_at is None


def test_a_summary_of_another_case_cannot_be_withdrawn_through_this_one(closed: World) -> None:
    other = Case.objects.create(
        practice=closed.practice, label="Ander", kind="couple", created_by=closed.therapist
    )
    theirs = PartnerSummary.objects.create(
        case=other, outcome="grown_closer", given_by=closed.therapist
    )
    url = reverse("cases:partner_summary_withdraw", args=[closed.case.pk, theirs.pk])
    assert client_for(closed.therapist).post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None
    assert AuditEvent.objects.get(event="partner_summary.delete").outcome == "denied"


def test_the_partner_of_another_couple_sees_nothing_of_it(closed: World) -> None:
    from tests.conftest import make_user

    _give(closed)
    stranger_partner = make_user("ines@partner.example", "partner", closed.other_practice, "Ines")
    closed.other_partner.user = stranger_partner
    closed.other_partner.save(update_fields=["user"])
    client = client_for(stranger_partner)
    home = client.get(reverse("diary:home")).content.decode()
    assert NOTE not in home and CYCLE_A not in home
    assert client.get(reverse("closing_pdf")).status_code in (403, 404)


@pytest.mark.parametrize("name", ["therapist", "researcher", "admin", "other_therapist"])
def test_the_partners_pdf_is_for_partners(closed: World, name: str) -> None:
    _give(closed)
    assert client_for(closed.person(name)).get(reverse("closing_pdf")).status_code == 403


def test_a_stranger_is_sent_to_log_in(closed: World) -> None:
    _give(closed)
    for url in (reverse("closing_pdf"), _url(closed)):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "login" in response.url


def test_the_pdf_draws_the_cycle_map_with_its_own_colours() -> None:
    """WeasyPrint reads an SVG's styles only from inside it (without them it is black)."""
    from dyade.documents import pdf

    html = pdf.with_svg_style('<svg class="cycle-map"></svg>', (pdf.CYCLE_SVG_STYLE,))
    inside = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "svg.cycle-map .partner-b .cycle-card { stroke: #b5523b;" in inside
    assert "var(" not in inside  # no custom properties: the page's :root is not in the SVG


@pytest.mark.parametrize(
    "data",
    [
        {"note": "nul\x00teken"},
        {"request_id": "not-a-uuid"},
        {"cycle": "x" * 10_000},
    ],
)
def test_bad_input_gives_nothing_and_no_server_error(closed: World, data: dict[str, str]) -> None:
    response = _give(closed, **data)
    assert response.status_code in (302, 400)
    if "cycle" not in data:
        assert response.status_code == 400
        assert not PartnerSummary.objects.exists()


def test_a_summary_id_that_does_not_fit_is_not_found(closed: World) -> None:
    url = f"/cases/{closed.case.pk}/manage/summary/{2**70}/withdraw/"
    assert client_for(closed.therapist).post(url).status_code == 404


def test_a_form_without_its_request_id_gives_nothing(closed: World) -> None:
    values = {"note": NOTE, "action": "give", "request_id": ""}
    response = client_for(closed.therapist).post(_url(closed), values)
    assert response.status_code == 400
    assert NOTE in response.content.decode()  # what was typed stays
    assert not PartnerSummary.objects.exists()
