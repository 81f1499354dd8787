"""Who may see a piece of client data, decided from its visibility level alone.

Every item a partner or therapist writes carries one of three levels:

* ``PRIVATE``  -- its author and the case's therapists;
* ``SHARED``   -- both partners of the case and its therapists;
* ``CLINICAL`` -- the case's therapists only (notes, safety screen, guidance).

The viewer's relation to the item is worked out by the Django policy
(``dyade.cases.policy``); this module only answers the question once that
relation is known, so the rule itself can be tested exhaustively.
"""

from __future__ import annotations

from enum import StrEnum


class Visibility(StrEnum):
    PRIVATE = "private"
    SHARED = "shared"
    CLINICAL = "clinical"


class Relation(StrEnum):
    """How a viewer stands to one item of client data."""

    AUTHOR = "author"  # the partner who wrote it
    OTHER_PARTNER = "other_partner"  # the other partner of the same case
    THERAPIST = "therapist"  # a therapist assigned to the case, same practice
    NONE = "none"  # anyone else: other practices, admins, researchers, strangers


_ALLOWED: dict[Relation, frozenset[Visibility]] = {
    Relation.AUTHOR: frozenset({Visibility.PRIVATE, Visibility.SHARED}),
    Relation.OTHER_PARTNER: frozenset({Visibility.SHARED}),
    Relation.THERAPIST: frozenset({Visibility.PRIVATE, Visibility.SHARED, Visibility.CLINICAL}),
    Relation.NONE: frozenset(),
}


def may_see(relation: Relation, visibility: Visibility) -> bool:
    """Return whether a viewer with ``relation`` may see an item at ``visibility``.

    >>> may_see(Relation.OTHER_PARTNER, Visibility.PRIVATE)
    False
    >>> may_see(Relation.THERAPIST, Visibility.CLINICAL)
    True
    """
    return visibility in _ALLOWED[relation]
