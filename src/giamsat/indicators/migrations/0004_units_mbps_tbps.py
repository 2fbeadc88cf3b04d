from django.db import migrations, models

# The catalogue's speeds and capacities, written as "index" while the units were missing.
NEW_UNITS = {
    "toc-do-bang-rong-co-dinh": "mbps", "toc-do-bang-rong-di-dong": "mbps",
    "toc-do-internet-co-dinh-ho-gia-dinh": "mbps", "toc-do-4g-thon-ban": "mbps",
    "dung-luong-cap-quang-bien": "tbps",
}


def use_the_units(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, unit in NEW_UNITS.items():
        Indicator.objects.filter(code=code, unit="index").update(unit=unit)


def back_to_index(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(unit__in=("mbps", "tbps")).update(unit="index")


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_indicator_lead_observation_note'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalindicator',
            name='unit',
            field=models.CharField(choices=[('percent', 'Percent (%)'), ('count', 'Count'), ('vnd_billion', 'Billion VND'), ('usd_million', 'Million USD'), ('rank', 'Rank'), ('index', 'Index'), ('mbps', 'Megabits per second (Mbps)'), ('tbps', 'Terabits per second (Tbps)')], max_length=20, verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='unit',
            field=models.CharField(choices=[('percent', 'Percent (%)'), ('count', 'Count'), ('vnd_billion', 'Billion VND'), ('usd_million', 'Million USD'), ('rank', 'Rank'), ('index', 'Index'), ('mbps', 'Megabits per second (Mbps)'), ('tbps', 'Terabits per second (Tbps)')], max_length=20, verbose_name='unit'),
        ),
        migrations.RunPython(use_the_units, back_to_index),
    ]
