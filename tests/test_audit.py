"""Every read and write of client data leaves an audit event (NEN 7513 fields)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.cases.models import Invitation
from dyade.cases.services import issue_invitation
from dyade.research.models import PreparedExport
from dyade.research.tasks import build_export
from tests.audit_walks_new import CLIENT_DATA_MORE, NO_CLIENT_DATA_MORE, Walk
from tests.conftest import World, client_for
from tests.diary_data import diary_form


def _diary_post(w: World) -> dict[str, object]:
    return {**diary_form(note="vandaag")}


def _case_post(w: World) -> dict[str, object]:
    return {
        "request_id": str(uuid.uuid4()),
        "label": "Nieuw",
        "kind": "couple",
        "a_name": "Noor",
        "a_language": "nl",
        "b_name": "Fleur",
        "b_language": "nl",
    }


def _pending_invitation(w: World) -> str:
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = w.other_therapist
    invitation, _ = issue_invitation(request, w.other_partner)
    return reverse("accept_invitation", args=[invitation.token])


def _accept_post(w: World) -> dict[str, object]:
    return {
        "email": "ines@partner.example",
        "password1": "a-long-and-fine-password",
        "password2": "a-long-and-fine-password",
        "language": "nl",
    }


def _texts_upload(w: World) -> dict[str, object]:
    import io
    import json

    payload = {"instrument": "ecr-rs-partner", "language": "nl"}
    payload["items"] = {str(n): f"tekst {n}" for n in range(1, 10)}
    upload = io.BytesIO(json.dumps(payload).encode())
    upload.name = "ecr-rs.json"
    return {"file": upload}


def _cycle_version(w: World) -> str:
    from dyade.sessions.models import CycleVersion

    CycleVersion.objects.create(case=w.case, number=1, data_json="{}", created_by=w.therapist)
    return reverse("cases:cycle_publish", args=[w.case.pk, 1])


def _reading(w: World) -> str:
    from dyade.reading.models import ReadingAssignment

    ReadingAssignment.objects.create(partner=w.partner_a, slug="basic-needs")
    return reverse("diary:read", args=["basic-needs"])


def _assignment(w: World, slug: str = "hug-till-relaxed") -> int:
    from dyade.exercises.models import Assignment

    found = Assignment.objects.filter(case=w.case, slug=slug).first()
    if found is None:
        found = Assignment.objects.create(
            case=w.case, slug=slug, step=1, minutes=5, assigned_by=w.therapist
        )
    return found.pk


def _run_post(w: World) -> object:
    import json as _json

    events = [{"id": "event-0001", "kind": "start", "at": "2026-11-21T20:00:00+00:00"}]
    return _json.dumps({"run": "run-00000001", "events": events})


def _log(w: World) -> str:
    from dyade.exercises.models import Log

    pk = _assignment(w)
    log = Log.objects.create(assignment_id=pk, partner=w.partner_a, date=timezone.localdate())
    return reverse("diary:exercise_log", args=[pk, log.pk])


def _rid(**values: object) -> Callable[[World], dict[str, object]]:
    return lambda w: {"request_id": str(uuid.uuid4()), **values}


def _prepared_export(w: World) -> str:
    """The link to an export prepared in the background for the researcher."""
    item = PreparedExport.objects.create(study=w.study, researcher=w.researcher, format="csv")
    build_export.enqueue(item.pk)
    return reverse("research:download", args=[w.study.pk, item.token])


TODAY = lambda w: reverse("diary:entry", args=[timezone.localdate().isoformat()])  # noqa: E731

# Every URL that reads or writes client data, with who exercises it and the
# events it must write. A new URL must be added here or to NO_CLIENT_DATA.
CLIENT_DATA: dict[str, list[Walk]] = {
    "cases:brief": [
        Walk(
            "therapist",
            lambda w: reverse("cases:brief", args=[w.case.pk]),
            {"brief.read", "diary.read", "guidance.read", "questionnaire.list"},
        )
    ],
    "cases:report": [
        Walk(
            "therapist",
            lambda w: reverse("cases:report", args=[w.case.pk, "intake"]),
            {"report.read", "questionnaire.read"},
        ),
        Walk(
            "therapist",
            lambda w: reverse("cases:report", args=[w.case.pk, "intake"]),
            {"report.create", "questionnaire.read"},
            "post",
            lambda w: {"action": "pdf", "language": "en", "safety": "on"},
        ),
    ],
    "cases:since": [
        Walk("therapist", lambda w: reverse("cases:since", args=[w.case.pk]), {"diary.read"})
    ],
    "cases:diary_items": [
        Walk(
            "therapist",
            lambda w: reverse("cases:diary_items", args=[w.case.pk]),
            {"diary_items.read"},
        ),
        Walk(
            "therapist",
            lambda w: reverse("cases:diary_items", args=[w.case.pk]),
            {"diary_items.update"},
            "post",
            lambda w: {"on": ["bid_answer"]},
        ),
    ],
    "cases:in_session": [
        Walk(
            "therapist",
            lambda w: reverse("cases:in_session", args=[w.case.pk, "forearm-stroking"]),
            {"session_exercise.list"},
        ),
        Walk(
            "therapist",
            lambda w: reverse("cases:in_session", args=[w.case.pk, "forearm-stroking"]),
            {"session_exercise.create"},
            "post",
            _rid(date="2026-11-20", **{"f-attention": "afwisselend"}),
        ),
    ],
    "diary:reminders": [
        Walk("partner_a", lambda w: reverse("diary:reminders"), {"reminder.read"}),
        Walk(
            "partner_a",
            lambda w: reverse("diary:reminders"),
            {"reminder.update"},
            "post",
            lambda w: {"exercises-active": "on", "exercises-at": "20:30", "diary-at": "21:00"},
        ),
    ],
    "cases:exercises": [
        Walk(
            "therapist", lambda w: reverse("cases:exercises", args=[w.case.pk]), {"exercise.list"}
        ),
        Walk(
            "therapist",
            lambda w: reverse("cases:exercises", args=[w.case.pk]),
            {"exercise.create"},
            "post",
            _rid(slug="self-soothing", who="A"),
        ),
    ],
    "cases:exercise": [
        Walk(
            "therapist",
            lambda w: reverse("cases:exercise", args=[w.case.pk, _assignment(w)]),
            {"exercise.read", "exercise_log.list"},
        )
    ],
    "cases:exercise_step": [
        Walk(
            "therapist",
            lambda w: reverse(
                "cases:exercise_step", args=[w.case.pk, _assignment(w, "sensate-focus")]
            ),
            {"exercise.update"},
            "post",
            lambda w: {"direction": "up"},
        )
    ],
    "diary:exercises": [Walk("partner_a", lambda w: reverse("diary:exercises"), {"exercise.list"})],
    "diary:exercise": [
        Walk(
            "partner_a",
            lambda w: reverse("diary:exercise", args=[_assignment(w)]),
            {"exercise.read"},
        ),
        Walk(
            "partner_a",
            lambda w: reverse("diary:exercise", args=[_assignment(w)]),
            {"exercise_log.create"},
            "post",
            _rid(date="2026-11-20", role="both"),
        ),
    ],
    "diary:exercise_timer": [
        Walk(
            "partner_a",
            lambda w: reverse("diary:exercise_timer", args=[_assignment(w)]),
            {"exercise.read"},
        )
    ],
    "diary:exercise_runs": [
        Walk(
            "partner_a",
            lambda w: reverse("diary:exercise_runs", args=[_assignment(w)]),
            {"exercise_run.create"},
            "json",
            _run_post,
        )
    ],
    "diary:exercise_log": [
        Walk("partner_a", _log, {"exercise_log.read"}),
        Walk(
            "partner_a", _log, {"exercise_log.update"}, "post", _rid(date="2026-11-20", role="both")
        ),
    ],
    "cases:guidance": [
        Walk(
            "therapist",
            lambda w: reverse("cases:guidance", args=[w.case.pk]),
            {"guidance.read", "observation.list", "signal.list", "track.list"},
        )
    ],
    "cases:observation_new": [
        Walk(
            "therapist",
            lambda w: reverse("cases:observation_new", args=[w.case.pk]),
            {"observation.create"},
            "post",
            _rid(date="2026-11-20", love_felt="true"),
        )
    ],
    "cases:decide_signal": [
        Walk(
            "therapist",
            lambda w: reverse("cases:decide_signal", args=[w.case.pk, "safety.timeout-programme"]),
            {"signal.create", "track.create"},
            "post",
            _rid(decision="accepted", reason="veiligheid eerst"),
        )
    ],
    "cases:change_track": [
        Walk(
            "therapist",
            lambda w: reverse("cases:change_track", args=[w.case.pk]),
            {"track.create"},
            "post",
            _rid(track="eft", stage="1", reason="start"),
        )
    ],
    "cases:cycle": [
        Walk("therapist", lambda w: reverse("cases:cycle", args=[w.case.pk]), {"cycle.read"})
    ],
    "cases:cycle_edit": [
        Walk(
            "therapist",
            lambda w: reverse("cases:cycle_edit", args=[w.case.pk]),
            {"questionnaire.read"},  # the first map is filled in from the intake
        ),
        Walk(
            "therapist",
            lambda w: reverse("cases:cycle_edit", args=[w.case.pk]),
            {"cycle.create"},
            "post",
            _rid(**{"A-daily-position": "pursue"}),
        ),
    ],
    "cases:cycle_publish": [Walk("therapist", _cycle_version, {"cycle.update"}, "post")],
    "cases:reading": [
        Walk("therapist", lambda w: reverse("cases:reading", args=[w.case.pk]), {"reading.list"}),
        Walk(
            "therapist",
            lambda w: reverse("cases:reading", args=[w.case.pk]),
            {"reading.create"},
            "post",
            lambda w: {"slug": "basic-needs", "who": "both"},
        ),
    ],
    "diary:cycle": [Walk("partner_a", lambda w: reverse("diary:cycle"), {"cycle.read"})],
    "diary:reading": [Walk("partner_b", lambda w: reverse("diary:reading"), {"reading.list"})],
    "diary:read": [Walk("partner_a", _reading, {"reading.read"})],
    "cases:list": [Walk("therapist", lambda w: reverse("cases:list"), {"case.list"})],
    "cases:create": [
        Walk(
            "therapist",
            lambda w: reverse("cases:create"),
            {"case.create", "partner.create"},
            "post",
            _case_post,
        )
    ],
    "cases:detail": [
        Walk(
            "therapist",
            lambda w: reverse("cases:detail", args=[w.case.pk]),
            {"case.read", "diary.read"},
        ),
    ],
    "cases:invite": [
        Walk(
            "other_therapist",
            lambda w: reverse("cases:invite", args=[w.other_case.pk, "A"]),
            {"invitation.create"},
            "post",
            lambda w: {"request_id": str(uuid.uuid4())},
        ),
    ],
    "diary:home": [Walk("partner_a", lambda w: reverse("diary:home"), {"diary.list"})],
    "diary:entry": [
        Walk(
            "partner_a",
            lambda w: reverse("diary:entry", args=[w.entry_a_shared.date]),
            {"diary.read"},
        ),
        Walk("partner_a", TODAY, {"diary.create"}, "post", _diary_post),
    ],
    "accept_invitation": [
        Walk("stranger", _pending_invitation, {"invitation.read"}),
        Walk(
            "stranger",
            _pending_invitation,
            {"invitation.update", "auth.login"},
            "post",
            _accept_post,
        ),
    ],
    "practice:audit": [Walk("admin", lambda w: reverse("practice:audit"), {"audit.read"})],
    "practice:audit_csv": [
        Walk("admin", lambda w: reverse("practice:audit_csv"), {"audit.export.read"})
    ],
    "practice:instruments": [
        Walk(
            "admin",
            lambda w: reverse("practice:instruments"),
            {"instrument_text.create"},
            "post",
            _texts_upload,
        ),
    ],
    "cases:questionnaires": [
        Walk(
            "therapist",
            lambda w: reverse("cases:questionnaires", args=[w.case.pk]),
            {"questionnaire.list", "questionnaire.read"},
        )
    ],
    "cases:assign_questionnaire": [
        Walk(
            "therapist",
            lambda w: reverse("cases:assign_questionnaire", args=[w.case.pk]),
            {"questionnaire.create"},
            "post",
            lambda w: {"request_id": str(uuid.uuid4()), "instrument": "hits", "who": "B"},
        )
    ],
    "cases:questionnaire": [
        Walk(
            "therapist",
            lambda w: reverse("cases:questionnaire", args=[w.case.pk, w.intake_a.pk]),
            {"questionnaire.read"},
        )
    ],
    "cases:reopen_questionnaire": [
        Walk(
            "therapist",
            lambda w: reverse("cases:reopen_questionnaire", args=[w.case.pk, w.intake_a.pk]),
            {"questionnaire.update"},
            "post",
        )
    ],
    "cases:questionnaire_fhir": [
        Walk(
            "therapist",
            lambda w: reverse("cases:questionnaire_fhir", args=[w.case.pk, w.intake_a.pk]),
            {"questionnaire.read"},
        )
    ],
    "diary:questionnaires": [
        Walk("partner_b", lambda w: reverse("diary:questionnaires"), {"questionnaire.list"})
    ],
    "diary:questionnaire_page": [
        Walk(
            "partner_b",
            lambda w: reverse("diary:questionnaire_page", args=[w.intake_b.pk, 1]),
            {"questionnaire.read"},
        ),
        Walk(
            "partner_b",
            lambda w: reverse("diary:questionnaire_page", args=[w.intake_b.pk, 1]),
            {"questionnaire.update"},
            "post",
            lambda w: {"q-story.hopes": "samen", "action": "next"},
        ),
    ],
    "diary:questionnaire_review": [
        Walk(
            "partner_a",
            lambda w: reverse("diary:questionnaire_review", args=[w.intake_a.pk]),
            {"questionnaire.read"},
        ),
        Walk(
            "partner_b",
            lambda w: reverse("diary:questionnaire_review", args=[w.intake_b.pk]),
            {"questionnaire.update"},
            "post",
        ),
    ],
    "practice:toggle": [
        Walk(
            "admin",
            lambda w: reverse("practice:toggle", args=[w.colleague.pk]),
            {"therapist.update"},
            "post",
        ),
    ],
    "practice:reset_2fa": [
        Walk(
            "admin",
            lambda w: reverse("practice:reset_2fa", args=[w.colleague.pk]),
            {"therapist.update"},
            "post",
        ),
    ],
    "practice:therapists": [
        Walk(
            "admin",
            lambda w: reverse("practice:therapists"),
            {"therapist.create"},
            "post",
            lambda w: {"name": "Nieuw", "email": "new@one.example", "language": "nl"},
        ),
    ],
    "practice:researchers": [
        Walk(
            "admin",
            lambda w: reverse("practice:researchers"),
            {"researcher.create"},
            "post",
            lambda w: {"name": "Nieuw", "email": "lab@one.example", "language": "en"},
        ),
    ],
    "research:study": [
        Walk(
            "researcher",
            lambda w: reverse("research:study", args=[w.study.pk]),
            {"research.study.read"},
        )
    ],
    "research:export": [
        Walk(
            "researcher",
            lambda w: reverse("research:export", args=[w.study.pk]),
            {"research.export.create", "research.data.read"},
            "post",
            _rid(format="csv"),
        )
    ],
    "research:download": [
        Walk("researcher", _prepared_export, {"research.prepared.read", "research.data.read"})
    ],
    "research:analysis": [
        Walk(
            "researcher",
            lambda w: reverse("research:analysis", args=[w.study.pk]),
            {"research.data.read"},
            "get",
            lambda w: {"model": "growth", "outcome": "closeness", "method": "reml"},
        )
    ],
    "diary:studies": [Walk("partner_a", lambda w: reverse("diary:studies"), {"consent.list"})],
    "diary:study": [
        Walk("partner_a", lambda w: reverse("diary:study", args=[w.study.pk]), {"consent.read"}),
        Walk(
            "partner_b",
            lambda w: reverse("diary:study", args=[w.study.pk]),
            {"consent.update"},
            "post",
            lambda w: {"decision": "no"},
        ),
    ],
    "rights:my_data": [
        Walk(
            "partner_a",
            lambda w: reverse("rights:my_data"),
            {"rights.data.read", "rights.shared.read"},
        )
    ],
    "rights:download": [
        Walk(
            "partner_a",
            lambda w: reverse("rights:download"),
            {"rights.export.read", "rights.shared.read"},
        )
    ],
    "rights:seen": [Walk("partner_a", lambda w: reverse("rights:seen"), {"rights.seen.list"})],
    "rights:copy_request": [
        Walk(
            "admin",
            lambda w: reverse("rights:copy_request"),
            {"rights.export.read", "rights.shared.read"},
            "post",
            lambda w: {"email": "a@partner.example", "reference": "brief van 3 maart"},
        )
    ],
}

NO_CLIENT_DATA = {
    "home",
    "service_worker",  # the installable app's script, the same for everyone
    "reflection:profile",  # the therapist's own profile, no client data (still logged)
    "accounts:login",
    "accounts:logout",
    "accounts:language",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:2fa_setup",
    "accounts:2fa_verify",
    "accounts:2fa_recovery",  # the recovery-code prompt (logins are logged)
    "accounts:account",  # one's own account: password, two-step login (changes are logged)
    "accounts:password_change",
    "accounts:2fa_new_phone",
    "accounts:recovery_codes",
    "diary:today",
    "diary:questionnaire",  # only redirects to the page to resume; that page reads
    "research:home",  # the researcher's studies and how many couples take part (logged)
    "practice:studies",  # study set-up and counts, no client data (changes are logged)
    "practice:study_new",
    "practice:study",
    "practice:language",  # the practice's formal or informal Dutch; no client data (logged)
    # the practice's SD and reliability per measure for reliable change; no client data
    # (entering, changing and removing them is logged)
    "practice:change_values",
    "practice:change_value_edit",
    "practice:change_value_delete",
    "quick_exit",
    "health",  # answers "ok" for monitoring; reads nothing
    "cases:reports",  # links to a case's four reports; each report is logged when read or made
}


CLIENT_DATA.update(CLIENT_DATA_MORE)
NO_CLIENT_DATA |= NO_CLIENT_DATA_MORE


def _url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern.url_patterns, space)
        elif pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_classified() -> None:
    names = _url_names(get_resolver().url_patterns)
    unclassified = names - set(CLIENT_DATA) - NO_CLIENT_DATA
    assert not unclassified, f"say whether these read client data: {sorted(unclassified)}"
    assert not (set(CLIENT_DATA) | NO_CLIENT_DATA) - names


WALKS = [(name, walk) for name, walks in CLIENT_DATA.items() for walk in walks]


@pytest.mark.parametrize(("name", "walk"), WALKS, ids=[f"{n}-{w.method}" for n, w in WALKS])
def test_client_data_url_writes_audit_event(world: World, name: str, walk: Walk) -> None:
    url = walk.url(world)
    client = client_for(world.person(walk.person))
    if walk.setup is not None:
        walk.setup(world, client)
    before = AuditEvent.objects.count()
    if walk.method == "json":
        response = client.post(url, walk.data(world), content_type="application/json")
    else:
        response = getattr(client, walk.method)(url, walk.data(world))
    assert response.status_code in (200, 302), (name, response.status_code)
    new = AuditEvent.objects.order_by("id")[before:]
    events = {event.event for event in new}
    assert walk.events <= events, (name, events)
    if name in CLIENT_DATA_MORE:  # these walks name every event the request writes
        assert walk.events == events, (name, events)
    for event in new:
        if event.event in walk.events and not event.event.startswith("auth."):
            assert event.outcome == "success"
            assert event.ip_address == "127.0.0.1"
            assert event.access_point.endswith(url.split("?")[0])
            assert event.time is not None
            person = world.person(walk.person)
            if person is not None:
                assert event.user_id == person.pk
                assert event.role == person.role


def test_case_read_names_the_client_and_object(world: World) -> None:
    client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    reads = AuditEvent.objects.filter(event="diary.read", case_id=world.case.pk)
    assert {event.partner_slot for event in reads} == {"A", "B"}
    case_read = AuditEvent.objects.get(event="case.read")
    assert case_read.object_type == "cases.Case"
    assert case_read.object_id == str(world.case.pk)
    assert case_read.practice_id == world.practice.pk


def test_refused_access_is_audited_as_denied(world: World) -> None:
    client_for(world.other_therapist).get(reverse("cases:detail", args=[world.case.pk]))
    event = AuditEvent.objects.get(event="case.read", outcome="denied")
    assert event.user_id == world.other_therapist.pk
    # The refusal is logged without revealing the case to the other practice's log.
    assert event.case_id is None


def test_reading_the_audit_log_is_itself_logged(world: World) -> None:
    client = client_for(world.admin)
    client.get(reverse("practice:audit"))
    client.get(reverse("practice:audit"))
    assert AuditEvent.objects.filter(event="audit.read", user_id=world.admin.pk).count() == 2


def test_failed_login_is_audited_without_the_typed_address(world: World) -> None:
    # An address of no account is not stored (one of an account is: the event is that
    # account's, see tests/test_accounts_pages.py).
    client_for(None).post(
        reverse("accounts:login"), {"username": "typo@partner.example", "password": "wrong"}
    )
    event = AuditEvent.objects.get(event="auth.login", outcome="denied")
    assert event.user_id is None
    assert "typo@partner.example" not in (event.user_label + event.detail)


def test_audit_event_and_write_share_one_transaction(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """If the audit event cannot be written, the diary entry is not saved either."""
    from dyade.diary import services

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "record", broken)
    client = client_for(world.user_a)
    client.raise_request_exception = False
    response = client.post(TODAY(world), _diary_post(world))
    assert response.status_code == 500
    assert not world.partner_a.diary_entries.filter(date=timezone.localdate()).exists()


def test_invitation_token_is_not_in_the_audit_log(world: World) -> None:
    client_for(world.other_therapist).post(
        reverse("cases:invite", args=[world.other_case.pk, "A"]),
        {"request_id": str(uuid.uuid4())},
    )
    invitation = Invitation.objects.get(partner=world.other_partner)
    for event in AuditEvent.objects.all():
        assert invitation.token not in f"{event.detail}{event.access_point}{event.object_id}"
