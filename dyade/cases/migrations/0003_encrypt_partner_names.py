"""Partner names and e-mail addresses, and the address an invitation went to, encrypted.

The columns first become plain text (a Fernet token is longer than the old
varchar limits, which PostgreSQL enforces), then every stored value is encrypted
with the newest key, then the fields become encrypted fields (no change in the
database: both are text). The plain copy of the name in partner accounts is
cleared. Going back decrypts the values again (the accounts keep no name).
"""

from django.db import migrations, models

import dyade.crypto

FIELDS = {"partner": ("name", "email"), "invitation": ("sent_to",)}


def _convert(apps, change):
    for model_name, names in FIELDS.items():
        model = apps.get_model("cases", model_name)
        rows = model.objects.order_by("pk").values_list("pk", *names)
        for pk, *values in rows.iterator(chunk_size=500):
            changed = {
                name: change(value) for name, value in zip(names, values, strict=True) if value
            }
            if changed:
                model.objects.filter(pk=pk).update(**changed)


def encrypt(apps, schema_editor):
    _convert(apps, dyade.crypto.encrypt)
    # Partner accounts used to copy the name in plain text; it now lives in Partner.name only.
    apps.get_model("accounts", "User").objects.filter(partner_profile__isnull=False).update(name="")


def decrypt(apps, schema_editor):
    _convert(apps, dyade.crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0002_lifecycle"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partner",
            name="name",
            field=models.TextField(verbose_name="first name or nickname"),
        ),
        migrations.AlterField(
            model_name="partner",
            name="email",
            field=models.TextField(blank=True, verbose_name="e-mail address"),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="sent_to",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.AlterField(
            model_name="partner",
            name="name",
            field=dyade.crypto.EncryptedTextField(verbose_name="first name or nickname"),
        ),
        migrations.AlterField(
            model_name="partner",
            name="email",
            field=dyade.crypto.EncryptedTextField(blank=True, verbose_name="e-mail address"),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="sent_to",
            field=dyade.crypto.EncryptedTextField(blank=True),
        ),
    ]
