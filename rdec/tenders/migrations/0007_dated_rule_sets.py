# The rule versions move onto rdec.core.rules.DatedRuleSet: source_citation is renamed source (a
# column rename, no data touched) and the versions gain the "confirmed by the RDEC" flag.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenders", "0006_inspection_point_values")]

    operations = [
        migrations.RenameField("ruleversion", "source_citation", "source"),
        migrations.RenameField("inspectionrule", "source_citation", "source"),
        migrations.AddField(
            model_name='inspectionrule',
            name='confirmed',
            field=models.BooleanField(default=False, help_text='Checked against the source by the RDEC. Unticked: a default not yet confirmed.', verbose_name='confirmed by the RDEC'),
        ),
        migrations.AddField(
            model_name='ruleversion',
            name='confirmed',
            field=models.BooleanField(default=False, help_text='Checked against the source by the RDEC. Unticked: a default not yet confirmed.', verbose_name='confirmed by the RDEC'),
        ),
        migrations.AlterField(
            model_name='inspectionrule',
            name='effective_from',
            field=models.DateField(help_text='Records are judged by the version in force on their own date.', unique=True, verbose_name='effective from'),
        ),
        migrations.AlterField(
            model_name='inspectionrule',
            name='source',
            field=models.TextField(help_text='Where these values come from: the law, directive or letter (number and date), or a URL.', verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='ruleversion',
            name='effective_from',
            field=models.DateField(help_text='Records are judged by the version in force on their own date.', unique=True, verbose_name='effective from'),
        ),
        migrations.AlterField(
            model_name='ruleversion',
            name='source',
            field=models.TextField(help_text='Where these values come from: the law, directive or letter (number and date), or a URL.', verbose_name='source'),
        ),
    ]
