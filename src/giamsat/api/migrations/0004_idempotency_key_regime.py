"""A key is bound to its report's regime too; the keys used so far wrote monthly reports."""

import django.db.models.deletion
from django.db import migrations, models


def monthly_for_earlier_keys(apps, schema_editor):
    IdempotentRequest = apps.get_model("api", "IdempotentRequest")
    Regime = apps.get_model("reporting", "Regime")
    monthly = Regime.objects.filter(code="thang").first()
    if monthly is not None:
        IdempotentRequest.objects.filter(period__isnull=False, regime__isnull=True).update(
            regime=monthly)


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0003_idempotency_key_report'),
        ('reporting', '0003_submission_regime'),
    ]

    operations = [
        migrations.AddField(
            model_name='idempotentrequest',
            name='regime',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reporting.regime'),
        ),
        migrations.RunPython(monthly_for_earlier_keys, migrations.RunPython.noop),
    ]
