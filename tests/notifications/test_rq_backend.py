"""Scale-out: the same outbox tasks run on the Redis (RQ) backend of the Tasks API."""

from __future__ import annotations

import pytest
from django.db import transaction

from frontdoor.notifications import actions
from frontdoor.notifications.models import Status
from tests.notifications.conftest import ACK_DATA

pytestmark = pytest.mark.django_db(transaction=True)
redis = pytest.importorskip("redis")


@pytest.fixture
def rq_backend(settings):
    # Redis database 15 is the tests' own; the queue is drained by the burst worker below.
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/15"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default"]}}
    return "default"


def test_a_message_queued_on_the_redis_backend_is_sent_by_an_rq_worker(ann, now, smtp,
                                                                        rq_backend):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    with transaction.atomic():
        [message] = actions.queue_message(event="contact_acknowledged", recipient=ann,
                                          data=ACK_DATA, idempotency_key="rq:1", now=now)
    queue = django_rq.get_queue(rq_backend, job_class=Job)
    assert message.idempotency_key and queue.count >= 1
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(smtp.received) == 1
