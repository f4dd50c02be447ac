"""Group commit (rdec.core.groupcommit): rows arriving while a batch is written go together in the
next one; every caller gets its own row's result only once its batch is written."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from django.db import OperationalError

from rdec.core.groupcommit import GroupCommitError, GroupCommitter


class Store:
    """A write function that records its batches and can be held while the test lines rows up."""

    def __init__(self):
        self.batches: list[list] = []
        self.hold = threading.Event()
        self.hold.set()
        self.entered = threading.Event()
        self.fail_with: list[BaseException] = []

    def __call__(self, items):
        self.entered.set()
        self.hold.wait(10)
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.batches.append(list(items))
        return [f"stored {item}" for item in items]


def submit_in_threads(committer, items):
    results, errors = {}, {}

    def run(item):
        try:
            results[item] = committer.submit(item)
        except GroupCommitError as exc:
            errors[item] = exc

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for t in threads:
        t.start()
    return threads, results, errors


def wait_for_pending(committer, n):
    deadline = time.monotonic() + 10
    while len(committer._pending) < n and time.monotonic() < deadline:
        time.sleep(0.005)
    assert len(committer._pending) == n


def test_a_lone_row_is_written_at_once_by_its_own_thread():
    store = Store()
    committer = GroupCommitter(store, name="test")
    assert committer.submit("a") == "stored a"
    assert store.batches == [["a"]]
    assert committer.submit("b") == "stored b"
    assert store.batches == [["a"], ["b"]] and committer.batches == 2


def test_rows_arriving_during_a_write_go_together_in_the_next_batch():
    store = Store()
    committer = GroupCommitter(store, name="test")
    store.hold.clear()
    first, first_results, _ = submit_in_threads(committer, ["first"])
    assert store.entered.wait(10)  # the first row is being written
    others, results, errors = submit_in_threads(committer, [f"row {i}" for i in range(9)])
    wait_for_pending(committer, 9)
    assert not results  # nobody is answered before their row is written
    store.hold.set()
    for t in first + others:
        t.join(10)
    assert store.batches[0] == ["first"]
    assert len(store.batches) == 2 and sorted(store.batches[1]) == sorted(f"row {i}" for i in range(9))
    assert results == {f"row {i}": f"stored row {i}" for i in range(9)} and not errors
    assert first_results == {"first": "stored first"}
    assert committer.items == 10 and not committer._pending and not committer._leading


def test_a_batch_holds_at_most_max_batch_rows():
    store = Store()
    committer = GroupCommitter(store, name="test", max_batch=4)
    store.hold.clear()
    first, _, _ = submit_in_threads(committer, ["first"])
    assert store.entered.wait(10)
    others, results, _ = submit_in_threads(committer, list(range(10)))
    wait_for_pending(committer, 10)
    store.hold.set()
    for t in first + others:
        t.join(10)
    assert [len(b) for b in store.batches] == [1, 4, 4, 2]
    assert len(results) == 10


def test_a_failed_batch_fails_each_of_its_rows_and_the_next_batch_is_written(caplog):
    store = Store()
    committer = GroupCommitter(store, name="test")
    store.fail_with = [ValueError("row 王小明 0912345678 refused")]
    with caplog.at_level(logging.ERROR, logger="rdec.core.groupcommit"):
        with pytest.raises(GroupCommitError) as raised:
            committer.submit("王小明")
    assert isinstance(raised.value.__cause__, ValueError)
    # the log says what failed, never the row or the database's message quoting it
    assert "ValueError" in caplog.text and "王小明" not in caplog.text and "0912" not in caplog.text
    assert committer.submit("next") == "stored next" and not committer._leading


def test_a_lost_connection_is_tried_once_more_on_a_new_one():
    store = Store()
    committer = GroupCommitter(store, name="test")
    store.fail_with = [OperationalError("server closed the connection unexpectedly")]
    assert committer.submit("a") == "stored a"
    assert store.batches == [["a"]]
    store.fail_with = [OperationalError("down"), OperationalError("still down")]
    with pytest.raises(GroupCommitError):
        committer.submit("b")
    assert committer.submit("c") == "stored c"


def test_a_write_giving_the_wrong_number_of_results_fails_the_batch():
    committer = GroupCommitter(lambda items: [], name="test")
    with pytest.raises(GroupCommitError):
        committer.submit("a")


def test_a_leader_waits_for_a_caller_on_its_way_so_both_go_in_one_batch():
    store = Store()
    committer = GroupCommitter(store, name="test", delay=10.0)
    on_its_way, checked = threading.Event(), threading.Event()
    results = {}

    def second():
        with committer.expecting():
            on_its_way.set()
            checked.wait(10)  # still checking its request while the first one submits
            results["second"] = committer.submit("second")

    t = threading.Thread(target=second)
    t.start()
    assert on_its_way.wait(10)
    first = threading.Thread(target=lambda: results.__setitem__("first", committer.submit("first")))
    first.start()
    deadline = time.monotonic() + 10
    while not committer._leading and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)
    assert not store.batches  # the leader waits for the caller on its way
    checked.set()
    for thread in (t, first):
        thread.join(10)
    assert store.batches == [["first", "second"]]
    assert results == {"first": "stored first", "second": "stored second"}


def test_nobody_waits_for_a_caller_that_leaves_without_submitting():
    store = Store()
    committer = GroupCommitter(store, name="test", delay=10.0)
    leave = threading.Event()

    def checks_and_gives_up():
        with committer.expecting():
            leave.wait(10)  # e.g. the request was invalid: the ordinary way answers it

    t = threading.Thread(target=checks_and_gives_up)
    t.start()
    time.sleep(0.05)
    started = time.monotonic()
    done = threading.Thread(target=committer.submit, args=("lone",))
    done.start()
    time.sleep(0.05)
    leave.set()
    done.join(10)
    t.join(10)
    assert store.batches == [["lone"]] and time.monotonic() - started < 5
    assert committer._expected == 0


def test_with_nobody_on_the_way_a_row_is_written_without_waiting():
    store = Store()
    committer = GroupCommitter(store, name="test", delay=10.0)
    started = time.monotonic()
    with committer.expecting():
        assert committer.submit("a") == "stored a"
    assert time.monotonic() - started < 5 and committer._expected == 0
