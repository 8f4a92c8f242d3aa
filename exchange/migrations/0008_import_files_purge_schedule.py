"""The nightly purge of uploaded import files kept past their retention (editable in the admin under
Periodic tasks), at 03:15 Asia/Jakarta."""
from django.db import migrations

NAME = "Hapus berkas impor yang kedaluwarsa (harian)"


def add(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta")
    PeriodicTask.objects.update_or_create(name=NAME, defaults={
        "task": "exchange.import_files_purge", "crontab": crontab, "kwargs": "{}", "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0007_placements_reintegrations_kinds"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add, remove)]
