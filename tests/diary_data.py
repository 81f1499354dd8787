"""The diary form as a partner's phone sends it, for the tests that post a day's diary."""

from __future__ import annotations


def diary_form(**changes: str) -> dict[str, str]:
    """A new dict of one complete, valid day of the diary form (the items every case asks).

    ``changes`` replace answers or add fields: ``diary_form(closeness="11")`` for a value
    out of range, ``diary_form(sexual_contact="yes", initiator="me")`` for a follow-up.
    """
    form = {
        "closeness": "7",
        "feeling_seen": "6",
        "stress": "3",
        "desire": "4",
        "sexual_contact": "no",
        "conflict": "no",
        "note": "",
        "note_visibility": "private",
    }
    form.update(changes)
    return form
