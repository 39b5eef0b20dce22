"""The task path runs through the real broker and a real worker, on both configurations."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction

from claims import queue
from claims.models import Article
from tests.broker import queued_messages
from tests.waiting import wait_for

pytestmark = [pytest.mark.embedded, pytest.mark.django_db(transaction=True)]


def test_the_broker_is_the_configured_one():
    url = settings.CELERY_BROKER_URL
    assert url.startswith(("redis://", "filesystem://"))


def test_a_task_queued_on_commit_runs_in_the_real_worker(celery_worker):
    article = Article.objects.create(title="t", text="x", content_hash="h")
    with transaction.atomic():
        queue.enqueue("worker.tasks.maintenance.touch_article", article.pk, title="seen by worker")
        # Not sent before commit: the worker must never see a row that does not exist yet.
        assert len(transaction.get_connection().run_on_commit) == 1
        assert queued_messages() == 0
        assert Article.objects.get(pk=article.pk).title == "t"
    wait_for(lambda: Article.objects.get(pk=article.pk).title == "seen by worker")
