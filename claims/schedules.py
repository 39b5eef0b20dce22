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


# Schedules earlier versions created: a task still on one follows today's default.
FORMER_DEFAULTS = {"Requeue stuck work": (10, IntervalSchedule.MINUTES)}


def ensure_periodic_tasks() -> None:
    """Creates the periodic tasks if missing; leaves schedules an editor changed alone
    (one still on a former default moves to today's)."""
    for name, (task, every, period) in PERIODIC_TASKS.items():
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        existing = PeriodicTask.objects.filter(name=name).select_related("interval").first()
        if existing is None:
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        elif _on_former_default(name, existing):
            existing.interval = interval
            existing.save(update_fields=["interval"])


def _on_former_default(name: str, task: PeriodicTask) -> bool:
    if name not in FORMER_DEFAULTS or task.interval is None:
        return False
    return (task.interval.every, task.interval.period) == FORMER_DEFAULTS[name]
