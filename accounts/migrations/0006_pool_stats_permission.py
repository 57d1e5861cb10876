from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_one_account_per_address"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="serverprofile",
            options={
                "ordering": ["domain"],
                "permissions": [("view_pool_stats", "Can see the IMAP session pool's statistics")],
                "verbose_name": "mail server profile",
            },
        ),
    ]
