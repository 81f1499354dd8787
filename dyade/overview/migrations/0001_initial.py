# The caseload's stored order by attention (issue 15).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0003_encrypt_partner_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AttentionState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assignment_id', models.BigIntegerField(unique=True)),
                ('rank', models.IntegerField(default=1)),
                ('computed_at', models.DateTimeField(blank=True, null=True)),
                ('marks', models.PositiveIntegerField(default=1)),
                ('computed_marks', models.PositiveIntegerField(default=0)),
                ('case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='attention_states', to='cases.case')),
                ('therapist', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['therapist', 'rank', 'assignment_id'], name='attention_page'), models.Index(fields=['therapist', 'assignment_id'], name='attention_newest')],
                'constraints': [models.UniqueConstraint(fields=('case', 'therapist'), name='attention_one_per_assignment')],
            },
        ),
    ]
