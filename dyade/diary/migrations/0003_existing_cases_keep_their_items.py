"""Existing cases keep every optional diary item they had.

Until now a case without a DiaryItems row asked every optional item. A case
without a row now starts with the short default (dyade.diary.defaults), so each
case that exists when this runs gets a row that keeps every item on: nothing
changes for them. Reversing removes only rows that still say "all on" and were
never changed by a therapist.
"""

import datetime as dt

from django.db import migrations

MARK = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def keep_all_items(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    DiaryItems = apps.get_model("diary", "DiaryItems")
    have = set(DiaryItems.objects.values_list("case_id", flat=True))
    DiaryItems.objects.bulk_create(
        [
            DiaryItems(case_id=pk, disabled=[], updated_at=MARK)
            for pk in Case.objects.values_list("pk", flat=True)
            if pk not in have
        ],
        batch_size=500,
    )


def undo(apps, schema_editor):
    DiaryItems = apps.get_model("diary", "DiaryItems")
    DiaryItems.objects.filter(disabled=[], updated_at=MARK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("diary", "0002_diaryitems_diaryentry_bid_answer_and_more"),
    ]

    operations = [migrations.RunPython(keep_all_items, undo)]
