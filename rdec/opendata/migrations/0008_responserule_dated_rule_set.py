# The response rule moves onto rdec.core.rules.DatedRuleSet: source_citation is renamed source (a
# column rename, no data touched), the source becomes a text and the versions gain notes.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("opendata", "0007_search_vector")]

    operations = [
        migrations.RenameField("responserule", "source_citation", "source"),
        migrations.AddField(
            model_name='responserule',
            name='notes',
            field=models.TextField(blank=True, verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='responserule',
            name='confirmed',
            field=models.BooleanField(default=False, help_text='Checked against the source by the RDEC. Unticked: a default not yet confirmed.', verbose_name='confirmed by the RDEC'),
        ),
        migrations.AlterField(
            model_name='responserule',
            name='effective_from',
            field=models.DateField(help_text='Records are judged by the version in force on their own date.', unique=True, verbose_name='effective from'),
        ),
        migrations.AlterField(
            model_name='responserule',
            name='source',
            field=models.TextField(help_text='Where these values come from: the law, directive or letter (number and date), or a URL.', verbose_name='source'),
        ),
    ]
