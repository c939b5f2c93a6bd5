"""The periodic checkpoint, run by the django-tasks database worker (``manage.py db_worker``).

django-tasks has no cron, so the task enqueues its own next run ``WAYFINDER_AUDIT_CHECKPOINT_MINUTES``
ahead, whatever the outcome of this one. ``manage.py audit schedule`` starts the cycle and is safe to
run on every deploy: it enqueues nothing when a run is already waiting, and a run that finds another
one waiting does not enqueue a second, so duplicate cycles fold back into one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def checkpoint() -> int | None:
    """Sign the head; returns the checkpoint number, or None when nothing new was signed."""
    from wayfinder.audit import checkpoints

    try:
        cp = checkpoints.create_checkpoint()
    except checkpoints.NotConfigured:
        logger.warning("audit checkpoints are not configured (no WAYFINDER_AUDIT_SIGNING_KEY)")
        return None  # and no next run: `audit schedule` starts it again once a key is set
    except checkpoints.ChainBroken as exc:
        logger.error("audit checkpoint refused: %s", exc)
        schedule(after=_interval())
        raise
    except Exception:
        schedule(after=_interval())
        raise
    schedule(after=_interval())
    if cp is not None:
        logger.info("audit checkpoint #%s signed at event #%s", cp.n, cp.seq)
        return cp.n
    return None


def _interval() -> timedelta:
    return timedelta(minutes=settings.WAYFINDER_AUDIT_CHECKPOINT_MINUTES)


def waiting() -> int:
    """Checkpoint runs enqueued and not yet started (database backend only; else 0)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend
        return 0
    return DBTaskResult.objects.filter(task_path=checkpoint.module_path, status="READY").count()


def schedule(*, after: timedelta = timedelta(0)) -> bool:
    """Enqueue the next run unless one is already waiting. True when one was enqueued."""
    if waiting():
        return False
    checkpoint.using(run_after=timezone.now() + after).enqueue()
    return True
