"""Group commit: rows from many request threads stored by one statement and one commit.

A request thread hands its row to the process's committer. If no batch is being written, the
thread becomes the leader: it writes every row waiting (its own among them) in one statement and
one commit, on its own database connection, and wakes the threads whose rows it wrote. Rows that
arrive meanwhile wait; when the leader is done, the oldest of them leads the next batch. Nobody is
answered before their row is committed, so an answer still means "stored"; under load the rows
that arrive during one commit go together in the next, which is what makes a write cheaper than a
commit per request (PostgreSQL's own WAL flush works the same way one level down). At low load a
batch is one row, written by the request's own thread as it would be without the committer.

A write that fails on a lost connection (a database restart, an idle timeout on the way) is tried
once more on a new one, so the write function must be safe to repeat: the intake's is, as it
knows its rows by their tokens."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)


class GroupCommitError(Exception):
    """The batch holding this row could not be written (the cause is chained)."""


class _Waiter:
    __slots__ = ("item", "wake", "lead", "finished", "result", "error")

    def __init__(self, item):
        self.item = item
        self.wake: threading.Lock | None = None  # held while a follower waits; released to wake it
        self.lead = False  # woken to write the next batch
        self.finished = False  # woken because a leader wrote this row (or failed to)
        self.result = None
        self.error: BaseException | None = None

    def wake_up(self) -> None:
        if self.wake is not None:
            self.wake.release()

    def outcome(self):
        if self.error is not None:
            raise GroupCommitError("the batch holding this row could not be written") from self.error
        return self.result


class GroupCommitter:
    """Write items in batches. `write(items)` stores a batch and returns one result per item, in
    order; it runs in the leading request's thread, on that thread's connection, and must not be
    called inside a transaction the caller has open (such callers write their row themselves)."""

    def __init__(
        self,
        write: Callable[[Sequence[Any]], Sequence[Any]],
        *,
        name: str,
        max_batch: int = 200,
        delay: float = 0.0,
    ):
        self.write = write
        self.name = name
        self.max_batch = max_batch
        self.delay = delay
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)  # a leader waiting for the expected rows
        self._pending: list[_Waiter] = []
        self._leading = False
        self._expected = 0  # callers inside expecting() that have not submitted yet
        self._local = threading.local()
        self.batches = 0  # writes so far in this process (for the tests and the curious)
        self.items = 0

    @contextlib.contextmanager
    def expecting(self):
        """Around work that will probably end in submit() (a request being checked): while such
        callers are on their way, a leader waits for them up to `delay` seconds so their rows join
        its batch — PostgreSQL's commit_delay and commit_siblings, one level up. Without a delay,
        or with nobody else on the way, nobody waits."""
        with self._lock:
            self._expected += 1
        self._local.expected = True
        try:
            yield
        finally:
            if getattr(self._local, "expected", False):  # left without submitting
                self._local.expected = False
                with self._lock:
                    self._expected -= 1
                    self._arrived.notify_all()

    def submit(self, item):
        """Store `item` with whatever else is waiting; return its result once committed."""
        waiter = _Waiter(item)
        expected = getattr(self._local, "expected", False)
        self._local.expected = False
        with self._lock:
            if expected:
                self._expected -= 1
            self._pending.append(waiter)
            lead = not self._leading
            if not lead:  # a batch is being written: wait to be woken (a plain lock, held once)
                waiter.wake = threading.Lock()
                waiter.wake.acquire()
                self._arrived.notify_all()
            self._leading = True
        if not lead:
            waiter.wake.acquire()
            if waiter.finished:
                return waiter.outcome()
        self._lead()
        return waiter.outcome()

    def _lead(self) -> None:
        with self._lock:
            if self.delay and self._expected:
                deadline = time.monotonic() + self.delay
                while self._expected and len(self._pending) < self.max_batch:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._arrived.wait(remaining)
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
        try:
            self._write(batch)
        finally:
            for waiter in batch:
                waiter.finished = True
                waiter.wake_up()
            with self._lock:
                if self._pending:  # they arrived during this write: the oldest leads the next
                    successor = self._pending[0]
                    successor.lead = True
                    successor.wake_up()
                else:
                    self._leading = False

    def _write(self, batch: list[_Waiter]) -> None:
        items = [w.item for w in batch]
        try:
            try:
                results = self.write(items)
            except (OperationalError, InterfaceError):
                connections.close_all()  # this thread's: the next write opens a new one
                results = self.write(items)
            if len(results) != len(items):
                raise RuntimeError(f"{self.name}: {len(results)} results for {len(items)} items")
        except Exception as exc:  # noqa: BLE001 - every row of the batch gets the failure
            # the type only: a database message may quote the row (personal data never goes to logs)
            logger.error(
                "%s: a batch of %d could not be written (%s)", self.name, len(items), type(exc).__name__
            )
            for waiter in batch:
                waiter.error = exc
        else:
            self.batches += 1
            self.items += len(items)
            for waiter, result in zip(batch, results, strict=True):
                waiter.result = result
