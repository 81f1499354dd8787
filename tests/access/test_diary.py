"""dyade.diary.access: who may write a diary day and which fields of an entry each person sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dyade.clinic.visibility import Relation
from dyade.diary import access
from tests.access.helpers import OUTSIDERS, deactivated, other_couple, user_of
from tests.conftest import A_PRIVATE, A_SHARED, B_PRIVATE, World, make_entry

TODAY = dt.date(2024, 5, 10)


def full_private_a(w: World) -> dict[str, object]:
    return {
        "date": w.entry_a_private.date,
        "closeness": 2,
        "feeling_seen": 5,
        "stress": 5,
        "desire": 9,
        "sexual_contact": False,
        "conflict": False,
        "note": A_PRIVATE,
        "note_visibility": "private",
    }


def full_shared_a(w: World) -> dict[str, object]:
    return {
        "date": w.entry_a_shared.date,
        "closeness": 5,
        "feeling_seen": 5,
        "stress": 5,
        "desire": 5,
        "sexual_contact": False,
        "conflict": False,
        "note": A_SHARED,
        "note_visibility": "shared",
    }


# --- can_write_diary ------------------------------------------------------------------


def test_the_author_writes_today_and_yesterday_only(world: World) -> None:
    a, p = world.user_a, world.partner_a
    assert access.can_write_diary(a, p, TODAY, TODAY) is True
    assert access.can_write_diary(a, p, TODAY - dt.timedelta(days=1), TODAY) is True
    assert access.can_write_diary(a, p, TODAY - dt.timedelta(days=2), TODAY) is False
    assert access.can_write_diary(a, p, TODAY + dt.timedelta(days=1), TODAY) is False


@pytest.mark.parametrize("name", ["partner_b", "therapist", *OUTSIDERS])
def test_nobody_else_writes_a_partners_diary(world: World, name: str) -> None:
    user = user_of(world, name)
    assert access.can_write_diary(user, world.partner_a, TODAY, TODAY) is False


def test_an_inactive_author_writes_nothing(world: World) -> None:
    assert access.can_write_diary(deactivated(world.user_a), world.partner_a, TODAY, TODAY) is False


# --- entry_fields -------------------------------------------------------------------


def test_the_author_and_the_therapist_see_every_field_of_a_private_entry(world: World) -> None:
    for user in (world.user_a, world.therapist):
        assert access.entry_fields(user, world.entry_a_private) == full_private_a(world)
    assert access.entry_fields(world.user_b, world.entry_b) == {
        "date": world.entry_b.date,
        "closeness": 5,
        "feeling_seen": 5,
        "stress": 5,
        "desire": 1,
        "sexual_contact": False,
        "conflict": False,
        "note": B_PRIVATE,
        "note_visibility": "private",
    }


def test_the_other_partner_sees_only_shared_fields_and_no_private_note(world: World) -> None:
    assert access.entry_fields(world.user_b, world.entry_a_private) == {
        "date": world.entry_a_private.date,
        "closeness": 2,
        "stress": 5,
        "sexual_contact": False,
    }
    assert access.entry_fields(world.user_a, world.entry_b) == {
        "date": world.entry_b.date,
        "closeness": 5,
        "stress": 5,
        "sexual_contact": False,
    }


def test_the_other_partner_sees_a_shared_note(world: World) -> None:
    assert access.entry_fields(world.user_b, world.entry_a_shared) == {
        "date": world.entry_a_shared.date,
        "closeness": 5,
        "stress": 5,
        "sexual_contact": False,
        "note": A_SHARED,
        "note_visibility": "shared",
    }
    assert access.entry_fields(world.user_a, world.entry_a_shared) == full_shared_a(world)


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_see_nothing_of_an_entry(world: World, name: str) -> None:
    user = user_of(world, name)
    for entry in (world.entry_a_private, world.entry_a_shared, world.entry_b):
        assert access.entry_fields(user, entry) == {}


def test_a_partner_of_another_couple_sees_nothing(world: World) -> None:
    _, partner_c, _ = other_couple(world)
    assert access.entry_fields(partner_c.user, world.entry_a_shared) == {}


def test_optional_items_shared_ones_reach_the_other_partner_empty_ones_are_left_out(
    world: World,
) -> None:
    entry = make_entry(
        world.partner_a,
        timezone.localdate() - dt.timedelta(days=1),
        sexual_contact=True,
        contact_kind="touch",
        initiator="me",
        bid_answer="accepted",
        sexual_satisfaction=0,  # a real answer: zero is kept
        motive="pleasure",
        perceived_desire=7,
        perceived_mood=None,  # not answered: left out
    )
    base = {"date": entry.date, "closeness": 5, "stress": 5, "sexual_contact": True}
    shared_optional = {"contact_kind": "touch", "initiator": "me", "bid_answer": "accepted"}
    private = {
        "feeling_seen": 5,
        "desire": 5,
        "conflict": False,
        "sexual_satisfaction": 0,
        "motive": "pleasure",
        "perceived_desire": 7,
    }
    assert access.entry_fields(world.user_b, entry) == {**base, **shared_optional}
    for user in (world.user_a, world.therapist):
        assert access.entry_fields(user, entry) == {**base, **shared_optional, **private}


def test_an_empty_optional_item_does_not_hide_the_ones_after_it(world: World) -> None:
    entry = make_entry(
        world.partner_a,
        timezone.localdate() - dt.timedelta(days=1),
        contact_kind="",  # the first optional item, left empty
        bid_answer="no-bid",
        perceived_mood=3,  # the last optional item
    )
    author = access.entry_fields(world.user_a, entry)
    assert "contact_kind" not in author
    assert (author["bid_answer"], author["perceived_mood"]) == ("no-bid", 3)
    assert access.entry_fields(world.user_b, entry)["bid_answer"] == "no-bid"


def test_an_empty_note_is_left_out_with_its_visibility(world: World) -> None:
    entry = make_entry(
        world.partner_a, timezone.localdate() - dt.timedelta(days=2), note_visibility="shared"
    )
    for user in (world.user_a, world.user_b, world.therapist):
        view = access.entry_fields(user, entry)
        assert "note" not in view
        assert "note_visibility" not in view
        assert view["closeness"] == 5


def test_a_given_relation_is_used_instead_of_working_it_out(world: World) -> None:
    assert access.entry_fields(None, world.entry_a_private, Relation.THERAPIST) == (
        full_private_a(world)
    )
    assert access.entry_fields(world.therapist, world.entry_a_private, Relation.NONE) == {}
    assert access.entry_fields(world.user_a, world.entry_a_private, Relation.OTHER_PARTNER) == {
        "date": world.entry_a_private.date,
        "closeness": 2,
        "stress": 5,
        "sexual_contact": False,
    }


# --- visible_entries -----------------------------------------------------------------


def test_visible_entries_newest_first_reduced_for_the_other_partner(world: World) -> None:
    assert access.visible_entries(world.user_b, world.partner_a) == [
        {
            "date": world.entry_a_shared.date,
            "closeness": 5,
            "stress": 5,
            "sexual_contact": False,
            "note": A_SHARED,
            "note_visibility": "shared",
        },
        {
            "date": world.entry_a_private.date,
            "closeness": 2,
            "stress": 5,
            "sexual_contact": False,
        },
    ]


def test_visible_entries_in_full_for_author_and_therapist(world: World) -> None:
    expected = [full_shared_a(world), full_private_a(world)]
    assert access.visible_entries(world.user_a, world.partner_a) == expected
    assert access.visible_entries(world.therapist, world.partner_a) == expected


def test_visible_entries_limit_keeps_the_newest(world: World) -> None:
    assert access.visible_entries(world.user_a, world.partner_a, limit=1) == [full_shared_a(world)]
    assert len(access.visible_entries(world.user_a, world.partner_a, limit=5)) == 2


@pytest.mark.parametrize("name", OUTSIDERS)
def test_visible_entries_empty_for_outsiders(world: World, name: str) -> None:
    user = user_of(world, name)
    assert access.visible_entries(user, world.partner_a) == []
    assert access.visible_entries(user, world.partner_b) == []


def test_visible_entries_empty_for_a_partner_of_another_couple(world: World) -> None:
    _, partner_c, partner_d = other_couple(world)
    assert access.visible_entries(partner_c.user, world.partner_a) == []
    assert access.visible_entries(world.user_a, partner_d) == []
