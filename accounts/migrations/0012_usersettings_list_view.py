from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0011_usersettings_undo_send_seconds'),
    ]

    operations = [
        migrations.AddField(
            model_name='usersettings',
            name='list_view',
            field=models.CharField(
                choices=[('conversations', 'conversations'), ('threads', 'threads (indented)'), ('flat', 'one row per message')],
                default='conversations', max_length=16, verbose_name='list view',
            ),
        ),
    ]
