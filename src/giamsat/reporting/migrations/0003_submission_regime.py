"""Every agency report belongs to a regime: the existing ones are monthly, as they were."""

import django.db.models.deletion
import giamsat.reporting.models
from django.conf import settings
from django.db import migrations, models


def to_monthly(apps, schema_editor):
    from django.conf import settings

    Regime = apps.get_model("reporting", "Regime")
    Submission = apps.get_model("reporting", "Submission")
    monthly, _created = Regime.objects.get_or_create(code="thang", defaults={
        "name": "Báo cáo tháng", "period_type": "month", "cutoff": "calendar",
        "due_day": settings.REPORT_DUE_DAY, "remind_days_before": "3"})
    # The monthly "period closing" reminder has always come within 3 days of the due day
    # (notify/reminders.py); 0002 seeded "7,1", which nothing read until now.
    if monthly.remind_days_before == "7,1":
        monthly.remind_days_before = "3"
        monthly.save(update_fields=["remind_days_before"])
    Submission.objects.filter(regime__isnull=True).update(regime=monthly)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0005_communes'),
        ('reporting', '0002_regimes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='submission',
            name='submission_unique_per_period',
        ),
        migrations.AddField(
            model_name='historicalsubmission',
            name='regime',
            field=models.ForeignKey(blank=True, db_constraint=False, default=giamsat.reporting.models.monthly_regime_id, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reporting.regime', verbose_name='reporting regime'),
        ),
        # Nullable first: the rows are given the monthly regime, then it is required.
        migrations.AddField(
            model_name='submission',
            name='regime',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='reporting.regime', verbose_name='reporting regime'),
        ),
        migrations.RunPython(to_monthly, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='submission',
            name='regime',
            field=models.ForeignKey(default=giamsat.reporting.models.monthly_regime_id, on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='reporting.regime', verbose_name='reporting regime'),
        ),
        migrations.AlterField(
            model_name='historicalsubmission',
            name='period',
            field=models.DateField(help_text="First day of the period's first month.", verbose_name='reporting period'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='period',
            field=models.DateField(help_text="First day of the period's first month.", verbose_name='reporting period'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.UniqueConstraint(fields=('organisation', 'regime', 'period'), name='submission_unique_per_regime_period'),
        ),
    ]
