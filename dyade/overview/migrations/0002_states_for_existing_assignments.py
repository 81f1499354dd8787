"""A state for every assignment that exists when the order by attention arrives.

Each starts as "never worked out" (open cases) or "closed", marked out of date, so
every case still appears on the caseload (open ones below those already worked
out, newest first) until ``manage.py refresh_attention`` or the pages themselves
work the order out (docs/operations.md, "The caseload's order").
"""

from django.db import migrations

CLOSED = 0  # dyade.clinic.attention_order.CLOSED, as it was when this was written
UNKNOWN = 1  # dyade.clinic.attention_order.UNKNOWN
BATCH = 1000


def create_states(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    State = apps.get_model("overview", "AttentionState")
    through = Case.therapists.through
    rows = through.objects.order_by("pk").values_list("pk", "case_id", "user_id", "case__status")
    batch = []
    for pk, case_id, user_id, status in rows.iterator(chunk_size=BATCH):
        batch.append(
            State(
                case_id=case_id,
                therapist_id=user_id,
                assignment_id=pk,
                rank=UNKNOWN if status == "open" else CLOSED,
                marks=1,
                computed_marks=0,
            )
        )
        if len(batch) == BATCH:
            State.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    State.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("overview", "0001_initial")]

    operations = [migrations.RunPython(create_states, migrations.RunPython.noop)]
