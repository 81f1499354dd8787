"""Each state keeps a copy of its case's current track, for the caseload's track filter.

The column and its index (therapist, track, rank, assignment), then the copy for
every state that exists: the track of the case's newest track change, "" for none
(``dyade/overview/tracks.py`` keeps it so from here on).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def copy_tracks(apps, schema_editor):
    State = apps.get_model("overview", "AttentionState")
    TrackChange = apps.get_model("dyade_sessions", "TrackChange")
    newest = (
        TrackChange.objects.filter(case_id=OuterRef("case_id"))
        .order_by("-changed_at", "-pk")
        .values("track")[:1]
    )
    State.objects.update(track=Coalesce(Subquery(newest), Value("")))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_encrypt_partner_names"),
        ("dyade_sessions", "0001_initial"),
        ("overview", "0002_states_for_existing_assignments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="attentionstate",
            name="track",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AddIndex(
            model_name="attentionstate",
            index=models.Index(
                fields=["therapist", "track", "rank", "assignment_id"], name="attention_track"
            ),
        ),
        migrations.RunPython(copy_tracks, migrations.RunPython.noop, elidable=True),
    ]
