"""Reports: who may make them, what each holds (read back from the PDF), what the audit says."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dyade.audit.models import AuditEvent
from dyade.cases.models import CaseStatus, Outcome, StoppedBy
from dyade.sessions.models import SignalDecision, TrackChange
from tests.conftest import (
    A_INTAKE_HOPE,
    A_PRIVATE,
    A_SHARED,
    B_PRIVATE,
    World,
    client_for,
    make_administration,
)
from tests.progress.helpers import add_sessions

KINDS = ("intake", "progress", "referral", "closing")


def _url(world: World, kind: str) -> str:
    return reverse("cases:report", args=[world.case.pk, kind])


def _pages(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    return [page.extract_text() for page in reader.pages]


def _make(world: World, kind: str, **data: str) -> list[str]:
    values = {"action": "pdf", "language": "en", "safety": "on", **data}
    if kind == "referral":
        values.setdefault("recipient", "sexologist")
        values.setdefault("letter", "Dear colleague, please see them.")
    return _pages(client_for(world.therapist).post(_url(world, kind), values))


def _last_report(world: World) -> AuditEvent:
    return AuditEvent.objects.filter(event="report.create", case_id=world.case.pk).latest("pk")


def _never_private(pages: list[str]) -> None:
    text = "\n".join(pages)
    for marker in (A_PRIVATE, B_PRIVATE, A_SHARED):
        assert marker not in text


# --- each report, read back ------------------------------------------------------------


def _ecr(world: World) -> None:
    """Both partners sent the ECR-R: scores side by side and the attachment plot."""
    for partner, value in ((world.partner_a, 6), (world.partner_b, 2)):
        make_administration(partner, "ecr-r", {str(n): value for n in range(1, 37)}, sent=True)


def test_the_intake_report_holds_both_partners_and_the_safety_page_apart(world: World) -> None:
    _ecr(world)
    pages = _make(world, "intake")
    text = "\n".join(pages)
    for heading in (
        "Intake report",
        "Intake summaries side by side",
        "Scores side by side",
        "Attachment plot",
        "Where they differ",
        "Hopes, in their own words",
        "Safety (for the therapist only)",
    ):
        assert heading in text
    assert "Praktijk Een" in pages[0] and "CONFIDENTIAL" in pages[0]
    assert f"page 1 of {len(pages)}" in pages[0]
    assert A_INTAKE_HOPE in text and "Sanne" in text and "Thomas" in text
    # The safety part starts a page of its own.
    safety_page = next(i for i, page in enumerate(pages) if "Safety (for the" in page)
    assert safety_page > 0 and "Hopes, in their own words" not in pages[safety_page]
    _never_private(pages)
    detail = _last_report(world).detail
    assert detail.startswith("intake en:") and "summaries" in detail and "safety" in detail


def test_the_intake_report_leaves_the_safety_page_out_when_asked(world: World) -> None:
    pages = _make(world, "intake", safety="")
    text = "\n".join(pages)
    assert "Safety (for the" not in text and "Physical violence" not in text
    assert "hits" not in text.lower()  # the violence screen is a safety answer too
    assert "safety" not in _last_report(world).detail


def test_the_intake_report_in_dutch(world: World) -> None:
    pages = _make(world, "intake", language="nl")
    assert "Intakeverslag" in pages[0] and "VERTROUWELIJK" in pages[0]
    assert f"pagina 1 van {len(pages)}" in pages[0]
    assert _last_report(world).detail.startswith("intake nl:")


def test_the_progress_report_holds_the_track_and_the_signals_taken(world: World) -> None:
    TrackChange.objects.create(
        case=world.case,
        track="eft",
        stage=1,
        reason="Love and motivation are there.",
        changed_by=world.therapist,
    )
    SignalDecision.objects.create(
        case=world.case,
        signal="eft.indicated",
        kind="indication",
        fingerprint="x",
        reasons_json="[]",
        decision="accepted",
        reason="Both want to go on.",
        decided_by=world.therapist,
    )
    pages = _make(world, "progress")
    text = "\n".join(pages)
    for heading in (
        "Progress report",
        "The track over time",
        "Signals taken and why",
        "Outcome over sessions",
        "Exercises and their course",
    ):
        assert heading in text
    assert "Love and motivation are there." in text and "Both want to go on." in text
    _never_private(pages)
    assert "signals" in _last_report(world).detail


def test_the_progress_report_holds_the_outcome_over_sessions(world: World) -> None:
    add_sessions(
        world.case,
        world.therapist,
        {"A": [8, 10, 20], "B": [12, None, 11]},
        {"A": [7, 8, 9], "B": [4, 3, 2]},
    )
    text = "\n".join(_make(world, "progress"))
    assert "3 sessions held." in text
    assert "Reliable change (Jacobson & Truax 1991)" in text  # shown with measured outcome
    assert "No outcome measures over sessions yet" not in text
    assert "alliance" not in text.lower()  # the alliance stays between partner and therapist
    assert "outcome" in _last_report(world).detail


def test_the_closing_summary_holds_the_outcome_and_the_note(world: World) -> None:
    case = world.case
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.outcome = Outcome.ENDED_RESPECTFULLY
    case.stopped_by = StoppedBy.BOTH
    case.closing_note = "They part as parents who talk."
    case.save()
    pages = _make(world, "closing")
    text = "\n".join(pages)
    assert "Closing summary" in text and "How the therapy ended" in text
    assert "ended respectfully" in text and "They part as parents who talk." in text
    _never_private(pages)
    assert _last_report(world).detail.startswith("closing en: closing")


def test_the_closing_summary_of_an_open_case_says_it_is_open(world: World) -> None:
    text = "\n".join(_make(world, "closing"))
    assert "This case is still open" in text


# --- the referral letter ------------------------------------------------------------------


def _with_referral_answers(world: World) -> None:
    answers = world.intake_a.answers
    answers.update({"health.dysfunction": "yes", "health.illness": "yes"})
    answers["health.illness-detail"] = "diabetes-marker"
    answers["health.linked"] = "yes"
    world.intake_a.set_answers(answers)
    world.intake_a.save()


def test_the_referral_letter_is_prefilled_without_anything_private(world: World) -> None:
    _with_referral_answers(world)
    response = client_for(world.therapist).get(_url(world, "referral") + "?language=en")
    assert response.status_code == 200
    draft = response.context["form"].initial["letter"]
    assert "refer Sanne to you" in draft  # only A's intake points to a referral
    for private in ("diabetes-marker", A_PRIVATE, A_INTAKE_HOPE, "dysfunction"):
        assert private not in draft
    # The guidance signal is on the page for the therapist, with its reasons, not in the draft.
    assert response.context["signal"]["title"] == "Refer to a sexologist or physician"
    assert 'id="referral-signal"' in response.content.decode()
    offered = dict(response.context["form"].fields["items"].choices)
    assert "A:health.dysfunction" in offered and "A:health.illness" in offered


def test_the_letter_holds_a_private_answer_only_when_chosen_and_marks_it(world: World) -> None:
    _with_referral_answers(world)
    pages = _make(world, "referral", addressee="Dr. Jansen, Utrecht")
    text = "\n".join(pages)
    assert "Referral letter" in text and "Dr. Jansen, Utrecht" in text
    assert "diabetes-marker" not in text and "Sexual dysfunction" not in text
    assert _last_report(world).detail == "referral en: letter"
    client = client_for(world.therapist)
    response = client.post(
        _url(world, "referral"),
        {
            "action": "pdf",
            "language": "en",
            "recipient": "physician",
            "letter": "Dear colleague.",
            "items": ["A:health.illness"],
        },
    )
    text = "\n".join(_pages(response))
    assert "diabetes-marker" in text
    assert "A private answer of Sanne in the intake, included by the therapist." in text
    assert "Sexual dysfunction" not in text
    _never_private([text])
    assert _last_report(world).detail == "referral en: letter, private A:health.illness"


def test_a_letter_without_text_keeps_what_was_typed(world: World) -> None:
    response = client_for(world.therapist).post(
        _url(world, "referral"),
        {"action": "pdf", "recipient": "sexologist", "addressee": "Kept-addressee", "letter": ""},
    )
    assert response.status_code == 400
    assert "Kept-addressee" in response.content.decode()
    assert not AuditEvent.objects.filter(event="report.create", outcome="success").exists()


def test_an_item_of_another_case_cannot_be_chosen(world: World) -> None:
    response = client_for(world.therapist).post(
        _url(world, "referral"),
        {"action": "pdf", "recipient": "sexologist", "letter": "x", "items": ["A:safety.fear"]},
    )
    assert response.status_code == 400


# --- previews and refusals ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_preview_is_the_same_template_and_is_logged(world: World, kind: str) -> None:
    response = client_for(world.therapist).get(_url(world, kind))
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(event="report.create").exists()
    if kind != "referral":
        assert 'id="preview"' in response.content.decode()
        read = AuditEvent.objects.filter(event="report.read", case_id=world.case.pk).latest("pk")
        assert read.detail.startswith(kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("partner_a", 403),
        ("partner_b", 403),
        ("admin", 403),
        ("researcher", 403),
        ("colleague", 404),
        ("other_therapist", 404),
    ],
)
def test_nobody_else_makes_or_previews_a_report(
    world: World, kind: str, person: str, status: int
) -> None:
    client = client_for(world.person(person))
    data = {"action": "pdf", "language": "en", "recipient": "sexologist", "letter": "x"}
    for response in (client.get(_url(world, kind)), client.post(_url(world, kind), data)):
        assert response.status_code == status
        assert response.get("Content-Type") != "application/pdf"
        assert A_INTAKE_HOPE not in response.content.decode()
    assert not AuditEvent.objects.filter(event="report.create", outcome="success").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_stranger_is_sent_to_the_login(world: World, kind: str) -> None:
    response = client_for(None).post(_url(world, kind), {"action": "pdf"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_practice_is_refused_and_logged(world: World) -> None:
    client_for(world.other_therapist).post(_url(world, "intake"), {"action": "pdf"})
    assert AuditEvent.objects.filter(event="report.create", outcome="denied").exists()


def test_an_unknown_report_is_a_404(world: World) -> None:
    response = client_for(world.therapist).get(_url(world, "diary"))
    assert response.status_code == 404


def test_a_bad_language_is_a_clear_400(world: World) -> None:
    response = client_for(world.therapist).post(
        _url(world, "intake"), {"action": "pdf", "language": "xx"}
    )
    assert response.status_code == 400
    assert response.get("Content-Type") != "application/pdf"


def test_the_reports_page_lists_the_four(world: World) -> None:
    response = client_for(world.therapist).get(reverse("cases:reports", args=[world.case.pk]))
    body = response.content.decode()
    for kind in KINDS:
        assert _url(world, kind) in body
    url = reverse("cases:reports", args=[world.case.pk])
    for person, status in (
        ("partner_a", 403),
        ("partner_b", 403),
        ("admin", 403),
        ("researcher", 403),
        ("colleague", 404),
        ("other_therapist", 404),
        ("stranger", 302),
    ):
        assert client_for(world.person(person)).get(url).status_code == status, person
