"""The visibility rule, checked for every relation and level (no database)."""

from __future__ import annotations

import itertools

import pytest

from dyade.clinic.visibility import Relation, Visibility, may_see

# The rule as design.md states it, written out by hand.
EXPECTED = {
    (Relation.AUTHOR, Visibility.PRIVATE): True,
    (Relation.AUTHOR, Visibility.SHARED): True,
    (Relation.AUTHOR, Visibility.CLINICAL): False,
    (Relation.OTHER_PARTNER, Visibility.PRIVATE): False,
    (Relation.OTHER_PARTNER, Visibility.SHARED): True,
    (Relation.OTHER_PARTNER, Visibility.CLINICAL): False,
    (Relation.THERAPIST, Visibility.PRIVATE): True,
    (Relation.THERAPIST, Visibility.SHARED): True,
    (Relation.THERAPIST, Visibility.CLINICAL): True,
    (Relation.NONE, Visibility.PRIVATE): False,
    (Relation.NONE, Visibility.SHARED): False,
    (Relation.NONE, Visibility.CLINICAL): False,
}


@pytest.mark.parametrize(("relation", "level"), list(itertools.product(Relation, Visibility)))
def test_every_relation_and_level(relation: Relation, level: Visibility) -> None:
    assert may_see(relation, level) is EXPECTED[(relation, level)]


def test_the_table_covers_everything() -> None:
    assert set(EXPECTED) == set(list(itertools.product(Relation, Visibility)))
