"""The two tables that nearly every request writes keep no index that another already provides.

Every audited request inserts into the audit trail and every new diary day into
the diary; each index of the table is one more B-tree to write. An index whose
columns lead another index adds nothing to any look-up: the longer one serves
it. Checked on the migrated database (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import pytest
from django.db import connection

from dyade.audit.models import AuditEvent
from dyade.diary.models import DiaryEntry

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> dict[str, tuple[tuple[str, ...], bool]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: (tuple(item["columns"]), bool(item["unique"] or item["primary_key"]))
        for name, item in found.items()
        if (item["index"] or item["unique"] or item["primary_key"]) and item["columns"]
    }


def _led_by_another(table: str) -> list[str]:
    """Plain indexes whose columns are the leading columns of another index."""
    indexes = _indexes(table)
    redundant = []
    for name, (columns, unique) in indexes.items():
        if unique:
            continue
        for other, (longer, _unique) in indexes.items():
            if other != name and len(longer) > len(columns) and longer[: len(columns)] == columns:
                redundant.append(f"{name} {columns} is led by {other} {longer}")
    return redundant


@pytest.mark.parametrize("model", [AuditEvent, DiaryEntry], ids=["audit", "diary"])
def test_no_index_is_the_lead_of_another(model):
    assert _led_by_another(model._meta.db_table) == []


def test_the_look_ups_keep_their_indexes():
    audit = {columns for columns, _unique in _indexes(AuditEvent._meta.db_table).values()}
    assert ("practice_id", "time") in audit  # the practice's audit trail, newest first
    assert ("time",) in audit  # password-reset limits count events since a moment
    assert ("case_id",) in audit  # who has seen a partner's data
    diary = _indexes(DiaryEntry._meta.db_table).values()
    assert (("partner_id", "date"), True) in diary  # one entry per partner and day
