"""``practice_id`` loses its index of its own: (practice_id, -time) leads with it.

The index is dropped by name rather than through ``AlterField``, which on SQLite
would copy the whole audit trail into a new table to drop one index.
"""

from django.db import migrations, models

INDEX = "audit_auditevent_practice_id_0f688ae8"  # the name Django gave it in 0001


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "audit_auditevent" ("practice_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="practice_id",
                    field=models.BigIntegerField(blank=True, null=True),
                )
            ],
        )
    ]
