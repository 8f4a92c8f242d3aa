"""The reports' schedules (editable in the admin under Periodic tasks): on 2 January the previous
year's national report and every province's; on the 1st of each month the national report of the
year so far. Times in Asia/Jakarta."""
import json

from django.db import migrations

SCHEDULES = [
    ("Laporan tahunan nasional (tahun lalu)", {"minute": "0", "hour": "1", "day_of_month": "2", "month_of_year": "1"},
     {"scope": "national", "year_offset": -1}),
    ("Laporan tahunan setiap provinsi (tahun lalu)",
     {"minute": "30", "hour": "1", "day_of_month": "2", "month_of_year": "1"}, {"scope": "provinces", "year_offset": -1}),
    ("Laporan nasional tahun berjalan (bulanan)", {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "*"},
     {"scope": "national", "year_offset": 0}),
]


def add(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, when, kwargs in SCHEDULES:
        crontab, _created = CrontabSchedule.objects.get_or_create(day_of_week="*", timezone="Asia/Jakarta", **when)
        PeriodicTask.objects.update_or_create(name=name, defaults={
            "task": "reports.request_scheduled", "crontab": crontab, "kwargs": json.dumps(kwargs), "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_yearly_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add, remove)]
