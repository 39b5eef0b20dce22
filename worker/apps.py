from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "worker"
    verbose_name = "Worker"

    def ready(self) -> None:
        from worker.stance_backends import checks  # noqa: F401 - registers the system check
