"""The writer lease: one live server per log, free again the moment its holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from helpline.core.errors import InputError
from helpline.store.eventlog import EventLog
from helpline.store.lease import WriterLease


def test_a_second_writer_is_refused_until_the_first_releases(url: str) -> None:
    with EventLog.open(url) as first, EventLog.open(url) as second:
        lease = WriterLease.acquire(first)
        with pytest.raises(InputError) as err:
            WriterLease.acquire(second)
        (problem,) = err.value.problems
        assert problem.path == "url"
        assert "already writing this event log" in problem.message
        lease.release()
        WriterLease.acquire(second).release()


def test_logs_in_other_schemas_or_files_have_their_own_lease(url: str, sqlite_url: str) -> None:
    other = sqlite_url.replace("helpline.sqlite", "other.sqlite")
    with EventLog.open(url) as a, EventLog.open(other) as b:
        leases = [WriterLease.acquire(a), WriterLease.acquire(b)]
        for lease in leases:
            lease.release()


_HOLDER = """
import sys, time
from helpline.store.eventlog import EventLog
from helpline.store.lease import WriterLease
lease = WriterLease.acquire(EventLog.open(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_a_killed_holder_leaves_the_lease_free(url: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, url], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    with EventLog.open(url) as log:
        with pytest.raises(InputError):
            WriterLease.acquire(log)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        WriterLease.acquire(log).release()
