"""The caseload in the order of attention across the whole caseload, one page at a time.

A case that needs attention most comes first on page 1 however far down the
assignments it sits; paging by keyset holds every case once; the stored order
never shows anyone a case they could not open; the page costs the same number of
queries for 100 cases as for 1,000; cursors are opaque and garbage shows page 1.
"""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.accounts.models import Role, User
from dyade.audit.models import AuditEvent
from dyade.cases import caseload
from dyade.cases.models import Case, CaseKind, CaseStatus, Partner
from dyade.clinic import attention_order
from dyade.overview import attention, attention_page, refresh
from dyade.overview.models import AttentionState
from tests.conftest import A_INTAKE_ANSWERS, World, client_for, make_administration, make_user

URL = reverse("cases:list")


def _cases(therapist: User, count: int, prefix: str) -> list[Case]:
    """``count`` couples made as the product makes them (the assignment through .add)."""
    made = []
    for number in range(count):
        case = Case.objects.create(
            practice=therapist.practice,
            label=f"{prefix} {number:03d}",
            kind=CaseKind.COUPLE,
            created_by=therapist,
        )
        case.therapists.add(therapist)
        Partner.objects.create(case=case, slot="A", name=f"{prefix}-A-{number}")
        Partner.objects.create(case=case, slot="B", name=f"{prefix}-B-{number}")
        made.append(case)
    return made


def _bulk_cases(therapist: User, count: int, prefix: str) -> list[Case]:
    """``count`` couples made in bulk, as an import would (no signals, no states)."""
    made = Case.objects.bulk_create(
        Case(
            practice=therapist.practice,
            label=f"{prefix} {n:04d}",
            kind=CaseKind.COUPLE,
            created_by=therapist,
        )
        for n in range(count)
    )
    through = Case.therapists.through
    through.objects.bulk_create(through(case_id=case.pk, user_id=therapist.pk) for case in made)
    Partner.objects.bulk_create(
        Partner(case=case, slot=slot, name=f"{slot}{case.pk}") for case in made for slot in "AB"
    )
    return made


def _labels(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<a href="/cases/\d+/">({prefix} \d+)</a>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk(client: Client, prefix: str, query: str = "") -> list[list[str]]:
    pages = []
    link: str | None = "?" + query if query else ""
    while link is not None:
        html = client.get(URL + link).content.decode()
        pages.append(_labels(html, prefix))
        link = _link(html, "next")
        assert len(pages) < 200
    return pages


def _make_urgent(case: Case) -> None:
    """A sent intake with a safety answer (seed-free: the safety column's own rule)."""
    make_administration(case.partners.get(slot="A"), "dyade-intake", A_INTAKE_ANSWERS, sent=True)


# --- the order across the whole caseload ---------------------------------------------------


def test_a_case_that_needs_attention_on_page_40_comes_first_on_page_1(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caseload, "PAGE_SIZE", 3)
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    made = _cases(therapist, 120, "Stel")
    urgent = made[0]  # the oldest assignment: page 40 of 40 in the order of assignments
    _make_urgent(urgent)
    client = client_for(therapist)
    before = client.get(URL).context["rows"]
    assert urgent.pk not in [row.case.pk for row in before]  # not worked out yet
    call_command("refresh_attention", stdout=io.StringIO())
    rows = client.get(URL).context["rows"]
    assert len(rows) == 3
    assert rows[0].case == urgent and rows[0].attention.safety


def test_the_page_that_shows_a_case_stores_its_place(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caseload, "PAGE_SIZE", 3)
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    made = _cases(therapist, 12, "Stel")
    _make_urgent(made[0])
    client = client_for(therapist)
    pages = _walk(client, "Stel")  # no background refresh: only the pages work it out
    assert made[0].label in pages[-1]  # the oldest assignment: the last page the first time
    assert sum(len(page) for page in pages) == 12
    first = client.get(URL).context["rows"]
    assert first[0].case == made[0]


def test_after_a_refresh_every_case_is_on_one_page_once_in_order(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caseload, "PAGE_SIZE", 4)
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    made = _cases(therapist, 15, "Stel")
    for case in (made[2], made[9]):
        _make_urgent(case)
    refresh.refresh()
    pages = _walk(client_for(therapist), "Stel")
    seen = [label for page in pages for label in page]
    assert sorted(seen) == sorted(case.label for case in made) and len(seen) == 15
    # The two urgent cases first, newest assignment first; then the rest, newest first.
    rest = [case.label for case in reversed(made) if case not in (made[2], made[9])]
    assert seen == [made[9].label, made[2].label, *rest]
    assert [len(page) for page in pages] == [4, 4, 4, 3]


def test_back_from_a_page_shows_the_page_before(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caseload, "PAGE_SIZE", 5)
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    _cases(therapist, 12, "Stel")
    refresh.refresh()
    client = client_for(therapist)
    first = client.get(URL).content.decode()
    second = client.get(URL + (_link(first, "next") or "")).content.decode()
    back = client.get(URL + (_link(second, "prev") or "")).content.decode()
    assert _labels(back, "Stel") == _labels(first, "Stel")
    assert _link(first, "prev") is None


def test_filters_keep_working_in_the_order(world: World) -> None:
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    made = _cases(therapist, 6, "Stel")
    _make_urgent(made[1])
    Case.objects.filter(pk=made[4].pk).update(status=CaseStatus.CLOSED)
    refresh.refresh()
    client = client_for(therapist)
    shown = [row.case for row in client.get(URL).context["rows"]]
    assert shown[0] == made[1] and made[4] not in shown
    closed = [row.case for row in client.get(URL + "?status=closed").context["rows"]]
    assert closed == [made[4]]
    every = [row.case for row in client.get(URL + "?status=all").context["rows"]]
    assert every[0] == made[1] and every[-1] == made[4]  # closed cases below open ones
    found = [row.case for row in client.get(URL + "?q=stel+001").context["rows"]]
    assert found == [made[1]]
    assert client.get(URL + "?track=eft").context["rows"] == []


# --- access ----------------------------------------------------------------------------------


def test_another_therapists_states_never_feed_a_page(world: World) -> None:
    mine = _cases(world.colleague, 2, "Mijn")
    # A state for the colleague that points at a case they do not have (however it came).
    AttentionState.objects.create(
        case=world.case, therapist=world.colleague, assignment_id=10**12, rank=10**7
    )
    AttentionState.objects.create(
        case=world.other_case, therapist=world.colleague, assignment_id=10**12 + 1, rank=10**7
    )
    html = client_for(world.colleague).get(URL).content.decode()
    assert "Sanne" not in html and "Ines" not in html
    shown = [row.case for row in client_for(world.colleague).get(URL).context["rows"]]
    assert sorted(case.pk for case in shown) == sorted(case.pk for case in mine)
    other = client_for(world.other_therapist).get(URL).context["rows"]
    assert [row.case for row in other] == [world.other_case]


def test_nobody_but_a_therapist_is_shown_anything_from_the_states(world: World) -> None:
    for name in ("partner_a", "admin", "researcher"):
        person = world.person(name)
        # Even a state naming them as therapist of the case gives them nothing.
        AttentionState.objects.create(
            case=world.case, therapist=person, assignment_id=10**12 + person.pk, rank=10**7
        )
        assert attention_page.page(person).cases == []
        response = client_for(person).get(URL)
        assert response.status_code == 403, name
        assert b"Sanne" not in response.content
    stranger = Client().get(URL)
    assert stranger.status_code == 302 and "login" in stranger["Location"]
    other = client_for(world.other_therapist).get(URL).content.decode()
    assert "Sanne" not in other


def test_a_handover_moves_the_case_to_the_colleagues_list(world: World) -> None:
    refresh.refresh()
    world.case.therapists.remove(world.therapist)
    world.case.therapists.add(world.colleague)
    assert not AttentionState.objects.filter(case=world.case, therapist=world.therapist).exists()
    state = AttentionState.objects.get(case=world.case, therapist=world.colleague)
    assert state.is_stale
    assert client_for(world.therapist).get(URL).context["rows"] == []
    [row] = client_for(world.colleague).get(URL).context["rows"]
    assert row.case == world.case


def test_an_inactive_therapist_has_no_caseload_whatever_is_stored(world: World) -> None:
    refresh.refresh()
    User.objects.filter(pk=world.therapist.pk).update(is_active=False)
    world.therapist.refresh_from_db()
    assert attention_page.page(world.therapist).cases == []


# --- cost, audit, cursors ------------------------------------------------------------------


# Kept up every few minutes whatever the page (dyade/accounts/middleware.py and
# two_factor.py): the session's refresh stamp and the look for a second factor. In CI on
# PostgreSQL a measured page now and then did this upkeep (a device read and a session
# save in a savepoint: four statements) and the counts differed by exactly that. The
# page's own cost is what must not grow with the caseload, so the upkeep is not counted.
_UPKEEP = ('"accounts_session"', '"otp_totp_totpdevice"', "SAVEPOINT ")


def page_cost(sql: list[str]) -> list[str]:
    """The statements of a page that are its own, without the session's upkeep."""
    return [text for text in sql if not any(part in text for part in _UPKEEP)]


def _queries(client: Client, url: str = URL) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return page_cost([query["sql"] for query in captured.captured_queries])


def test_100_and_1000_cases_cost_the_same_queries(world: World) -> None:
    hundred = make_user("hundred@one.example", Role.THERAPIST, world.practice, "Honderd")
    thousand = make_user("thousand@one.example", Role.THERAPIST, world.practice, "Duizend")
    _bulk_cases(hundred, 100, "Honderd")
    _bulk_cases(thousand, 1000, "Duizend")
    attention.follow_assignments()  # as after an upgrade: every state there, none worked out
    first, second, deep = [], [], []
    for therapist in (hundred, thousand):
        client = client_for(therapist)
        warm = client.get(URL + "?q=no+such+case")  # warm the session; shows and writes nothing
        assert warm.status_code == 200
        first.append(len(_queries(client)))  # works out page 1 and writes it back
        second.append(len(_queries(client)))  # all in place: reads only
        html = client.get(URL).content.decode()
        deep.append(len(_queries(client, URL + (_link(html, "next") or ""))))
    assert first[0] == first[1]
    assert second[0] == second[1] == first[0] - 1  # the one write-back statement
    assert deep[0] == deep[1]
    stored = AttentionState.objects.filter(therapist=thousand)
    assert stored.exclude(rank=attention_order.UNKNOWN).count() == 2 * caseload.PAGE_SIZE


def test_assignments_made_in_bulk_appear_at_once(world: World) -> None:
    therapist = make_user("import@one.example", Role.THERAPIST, world.practice, "Import")
    made = _bulk_cases(therapist, 7, "Import")
    assert not AttentionState.objects.filter(therapist=therapist).exists()
    shown = [row.case for row in client_for(therapist).get(URL).context["rows"]]
    assert sorted(case.pk for case in shown) == sorted(case.pk for case in made)
    assert AttentionState.objects.filter(therapist=therapist).count() == 7


def test_the_page_writes_back_in_one_statement_and_audits_once(world: World) -> None:
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    _cases(therapist, 4, "Stel")
    sql = _queries(client_for(therapist))
    writes = [text for text in sql if text.startswith("UPDATE") and "attentionstate" in text]
    assert len(writes) == 1
    assert sum(1 for text in sql if text.startswith('INSERT INTO "audit_auditevent"')) == 1
    assert AttentionState.objects.filter(therapist=therapist, computed_at__isnull=True).count() == 0
    before = AuditEvent.objects.count()
    refresh.refresh(everything=True)  # no person reads: no audit event
    assert AuditEvent.objects.count() == before


def test_a_cursor_says_nothing_and_works_only_for_its_owner(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caseload, "PAGE_SIZE", 2)
    _cases(world.therapist, 4, "Stel")
    _cases(world.colleague, 4, "Hun")
    html = client_for(world.therapist).get(URL).content.decode()
    link = _link(html, "next")
    assert link is not None
    token = link.split("older=", 1)[1]
    state = AttentionState.objects.filter(therapist=world.therapist).order_by("-rank").first()
    assert state is not None and str(state.rank) not in token
    raw = base64.urlsafe_b64decode(token.replace("%3D", "=").encode())
    assert str(state.rank).encode() not in raw and b":" not in raw[9:25]
    # The colleague following the therapist's link gets their own first page.
    theirs = client_for(world.colleague).get(URL + link).content.decode()
    assert _labels(theirs, "Hun") == _labels(
        client_for(world.colleague).get(URL).content.decode(), "Hun"
    )
    assert not _labels(theirs, "Stel")


GARBAGE = [
    "abc",
    "-3",
    "0",
    "9" * 40,
    "%00",
    "gAAAAA" + "A" * 100,
    "x" * 5000,
    "%F0%9F%92%A9",
    "1:2:3",
]


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_cursors_show_the_first_page(world: World, value: str) -> None:
    client = client_for(world.therapist)
    for name in ("older", "newer"):
        response = client.get(f"{URL}?{name}={value}")
        assert response.status_code == 200, (name, value)
        assert [row.case for row in response.context["rows"]] == [world.case]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_as_a_cursor_is_refused(world: World, value: str) -> None:
    assert attention_page.decode(world.therapist, value) is None


def test_a_tampered_cursor_is_refused(world: World) -> None:
    token = attention_page.encode(world.therapist, attention_page.Key(5, 7))
    assert attention_page.decode(world.therapist, token) == attention_page.Key(5, 7)
    assert attention_page.decode(world.colleague, token) is None
    flipped = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    assert attention_page.decode(world.therapist, flipped) is None
