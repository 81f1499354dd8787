"""The caseload in pages: every case once (newest first among equals), only the therapist's own."""

from __future__ import annotations

import re

from django.urls import reverse

from dyade.accounts.models import Role, User
from dyade.cases import caseload
from dyade.cases.models import Case, CaseKind, Partner
from dyade.overview import attention_page
from tests.conftest import World, client_for, make_user

SIZE = caseload.PAGE_SIZE


def _cases(world: World, therapist: User, count: int, prefix: str) -> list[Case]:
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
        made.append(case)
    return made


def _labels(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<a href="/cases/\d+/">({prefix} \d+)</a>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_pages_hold_every_case_once_newest_first(world: World) -> None:
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    made = _cases(world, therapist, 2 * SIZE + 7, "Stel")
    client = client_for(therapist)
    query: str | None = ""
    seen: list[str] = []
    pages = []
    while query is not None:
        html = client.get(reverse("cases:list") + query).content.decode()
        pages.append(html)
        seen += _labels(html, "Stel")
        query = _link(html, "next")
    assert seen == [case.label for case in reversed(made)]
    assert [len(_labels(html, "Stel")) for html in pages] == [SIZE, SIZE, 7]
    assert _link(pages[0], "prev") is None
    # Back from the last page to the one before it.
    back = client.get(reverse("cases:list") + (_link(pages[-1], "prev") or ""))
    assert _labels(back.content.decode(), "Stel") == _labels(pages[1], "Stel")


def test_a_short_caseload_has_one_page_and_no_links(world: World) -> None:
    html = client_for(world.therapist).get(reverse("cases:list")).content.decode()
    assert "Sanne &amp; Thomas" in html
    assert _link(html, "next") is None and _link(html, "prev") is None


def test_cursors_never_reach_another_therapists_cases(world: World) -> None:
    mine = make_user("mine@one.example", Role.THERAPIST, world.practice, "Mine")
    theirs = make_user("theirs@one.example", Role.THERAPIST, world.practice, "Theirs")
    _cases(world, mine, SIZE + 3, "Mijn")
    _cases(world, theirs, SIZE + 3, "Hun")
    client = client_for(mine)
    for query in ("", "?older=1", "?newer=1", "?older=999999999", "?newer=999999999"):
        html = client.get(reverse("cases:list") + query).content.decode()
        assert not _labels(html, "Hun"), query
        assert "Sanne" not in html  # the world's therapist's case


def test_odd_cursors_show_the_first_page(world: World) -> None:
    client = client_for(world.therapist)
    for query in ("?older=abc", "?newer=-3", "?older=0", "?older=" + "9" * 40, "?newer=%00"):
        response = client.get(reverse("cases:list") + query)
        assert response.status_code == 200, query
        assert "Sanne &amp; Thomas" in response.content.decode(), query


def test_a_cursor_past_the_end_starts_again_at_the_top(world: World) -> None:
    page = attention_page.page(world.therapist, older=attention_page.Key(0, 1))
    assert [case.pk for case in page.cases] == [world.case.pk]
    assert page.older(world.therapist) is None and page.newer(world.therapist, []) is None


def test_nobody_but_a_therapist_has_a_caseload(world: World) -> None:
    for name in ("partner_a", "admin", "researcher", "stranger"):
        assert attention_page.page(world.person(name)).cases == []
