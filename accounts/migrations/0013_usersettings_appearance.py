from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0012_usersettings_list_view'),
    ]

    operations = [
        migrations.AddField(
            model_name='usersettings',
            name='theme',
            field=models.CharField(choices=[('system', 'as the system'), ('light', 'light'), ('dark', 'dark')], default='system', max_length=6, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='usersettings',
            name='time_zone',
            field=models.CharField(blank=True, max_length=64, verbose_name='time zone'),
        ),
        migrations.AddField(
            model_name='usersettings',
            name='reading_pane',
            field=models.CharField(choices=[('right', 'on the right'), ('below', 'below the list'), ('off', 'off')], default='right', max_length=5, verbose_name='reading pane'),
        ),
        migrations.AddField(
            model_name='usersettings',
            name='reading_pane_split',
            field=models.PositiveSmallIntegerField(default=45, verbose_name='reading pane split'),
        ),
    ]
