"""Periodic tasks for beat, stored with django-celery-beat so editors can change them."""

from __future__ import annotations

from django_celery_beat.models import IntervalSchedule, PeriodicTask

# name -> (task, every, period)
PERIODIC_TASKS = {
    "Re-check due sources": ("worker.tasks.recheck.recheck_due", 5, IntervalSchedule.MINUTES),
    "Requeue stuck work": ("worker.tasks.maintenance.sweep_stuck", 1, IntervalSchedule.MINUTES),
    # Each claim without evidence is searched again at most weekly (REDISCOVER_EVERY).
    "Search again for claims without evidence": (
        "worker.tasks.recheck.rediscover_unsupported",
        6,
        IntervalSchedule.HOURS,
    ),
}


def ensure_periodic_tasks() -> None:
    """Creates the periodic tasks if missing; leaves schedules an editor changed alone."""
    for name, (task, every, period) in PERIODIC_TASKS.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.create(name=name, task=task, interval=interval)
