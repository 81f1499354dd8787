"""The closing summary given to the partners is part of each partner's copy of their data.

It is theirs to keep (issue 15: partners "keep their own copies of what was shared with
them"), so the copy a partner downloads (GDPR art. 15 and 20) holds it, in words, and
the readable page shows it; a summary not given or withdrawn is not in it, and nothing
of the private places the summary leaves out reaches the copy through it.
"""

from __future__ import annotations

import json

from django.urls import reverse

from dyade.sessions.models import PartnerSummary
from tests.conftest import B_PRIVATE, World, client_for
from tests.test_closing_summary import INTERNAL, NOTE, _close, _give, _work
from tests.test_rights import unzip

DOWNLOAD = reverse("rights:download")
MY_DATA = reverse("rights:my_data")


def _copy(world: World, user: object) -> dict:  # type: ignore[type-arg]
    data, _readme = unzip(client_for(user).get(DOWNLOAD))
    return data


def test_both_partners_copies_hold_the_summary_given_to_them(world: World) -> None:
    _work(world)
    _close(world)
    assert _give(world).status_code == 302
    for user in (world.user_a, world.user_b):
        data = _copy(world, user)
        (summary,) = data["closing_summary"]
        assert summary["note"] == NOTE
        assert summary["outcome"].startswith("De therapie is respectvol afgerond")
        assert summary["pattern_map_of"]  # the published map it was given with
        assert len(summary["exercises"]) == 1  # the exercise for both, not B's own
        text = json.dumps(data, ensure_ascii=False)
        assert INTERNAL not in text
    assert B_PRIVATE not in json.dumps(_copy(world, world.user_a), ensure_ascii=False)


def test_the_readable_page_shows_the_summary(world: World) -> None:
    _work(world)
    _close(world)
    _give(world)
    page = client_for(world.user_a).get(MY_DATA).content.decode()
    assert "De afsluitende samenvatting van jullie therapie" in page
    assert NOTE in page and INTERNAL not in page


def test_no_summary_before_it_is_given_nor_after_it_is_withdrawn(world: World) -> None:
    _work(world)
    _close(world)
    assert _copy(world, world.user_a)["closing_summary"] == []
    _give(world)
    summary = PartnerSummary.objects.get()
    withdraw = reverse("cases:partner_summary_withdraw", args=[world.case.pk, summary.pk])
    assert client_for(world.therapist).post(withdraw).status_code == 302
    assert _copy(world, world.user_a)["closing_summary"] == []
