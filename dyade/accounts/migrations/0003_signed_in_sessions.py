"""Sessions move to ``accounts_session``, which names each session's user beside its data.

The sessions that have not expired are moved from Django's own table, with the
user their signed data names, so nobody is signed out by the upgrade; Django's
table is emptied, so no copy of a session stays behind where an account's
deletion would not reach it. The ``sessions`` app stays installed (its
``clearsessions`` clears the new table); its table is no longer read.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.db import migrations, models
from django.utils import timezone


def move_live_sessions(apps, schema_editor):  # type: ignore[no-untyped-def]
    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("accounts", "Session")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    users = set(User.objects.values_list("pk", flat=True))
    decoder = DjangoStore()
    batch = []
    for old in Old.objects.filter(expire_date__gt=timezone.now()).iterator():
        named = decoder.decode(old.session_data).get(SESSION_KEY)
        user_id = int(named) if str(named).isdigit() and int(named) in users else None
        batch.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=user_id,
            )
        )
        if len(batch) >= 500:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    Old.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_practice_formal_dutch"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                (
                    "expire_date",
                    models.DateTimeField(db_index=True, verbose_name="expire date"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        db_constraint=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "accounts_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(move_live_sessions, migrations.RunPython.noop),
    ]
