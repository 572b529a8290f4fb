"""A private network namespace for a submission when there is no bubblewrap (the grader is
root): `unshare(CLONE_NEWNET)`, checked, so nothing claims the network is isolated when it is
not (in a container without CAP_SYS_ADMIN the call fails)."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

CLONE_NEWNET = 0x40000000


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace; True only when it is there (its
    only interface is loopback)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        return False
    return only_loopback()


def only_loopback() -> bool:
    """Whether this process sees no network interface but loopback."""
    try:
        lines = Path("/proc/self/net/dev").read_text().splitlines()[2:]
    except OSError:
        return False
    return all(line.split(":", 1)[0].strip() == "lo" for line in lines if ":" in line)


def network_isolation_works() -> bool:
    """Whether a child of this process can get a private network namespace (tried in a fork)."""
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(0 if isolate_network() else 1)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
