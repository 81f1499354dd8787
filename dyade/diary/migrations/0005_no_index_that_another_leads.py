"""``partner`` loses its index of its own: the unique (partner, date) leads with it.

The index is dropped by name rather than through ``AlterField``, which on SQLite
would copy every diary entry into a new table to drop one index.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "diary_diaryentry_partner_id_7bbda7c4"  # the name Django gave it in 0001


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_encrypt_partner_names"),
        ("diary", "0004_entry_version_and_request_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "diary_diaryentry" ("partner_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="diaryentry",
                    name="partner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="diary_entries",
                        to="cases.partner",
                    ),
                )
            ],
        )
    ]
