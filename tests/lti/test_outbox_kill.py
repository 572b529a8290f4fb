"""A server killed (SIGKILL) between storing a grade and posting its score, or while the post is
in flight, posts it after the restart: one grade in the LMS's gradebook, never two, none lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from layerwise.lti import outbox
from layerwise.lti.clock import utc
from layerwise.lti.models import ScoreOutbox
from layerwise.lti.tokens import TokenCache
from sqlalchemy import select

from .flow import full_launch
from .platform import Platform
from .toolapp import Tool

ROOT = Path(__file__).resolve().parents[2]
SERVER = """
import sys, time
from datetime import UTC, datetime
import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from layerwise.lti import outbox
db, item, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sessions = sessionmaker(create_engine(f"sqlite:///{db}", connect_args={"timeout": 30}))
with sessions.begin() as session:  # the transaction that stores the grade
    outbox.enqueue_score(session, line_item_id=item, user_sub="s1", score_given=73, score_maximum=100,
                         graded_at=datetime.now(UTC))
print("graded", flush=True)
if mode == "before-post":
    time.sleep(120)
else:
    outbox.deliver_due(sessions, httpx.Client(timeout=120))
"""


@pytest.mark.parametrize("mode", ["before-post", "during-post"])
def test_killed_server_posts_once_after_restart(mode: str, tool: Tool, lms: Platform) -> None:
    with httpx.Client(timeout=10) as browser:
        assert full_launch(browser, tool, lms, user="s1").status_code == 303
    item = tool.launches[-1].line_item_id
    if mode == "during-post":
        lms.faults["scores"].append("store-then-hang")
        lms.hang_seconds = 3
    env = dict(os.environ, PYTHONPATH=str(ROOT / "autograder"))
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(tool.db), str(item), mode],
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "graded"
        deadline = time.monotonic() + 30
        while mode == "during-post" and not lms.score_posts:
            assert time.monotonic() < deadline, "the score never reached the LMS"
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        assert server.wait(timeout=10) == -signal.SIGKILL
    finally:
        server.kill()
    assert len(lms.score_posts) == (1 if mode == "during-post" else 0)
    with httpx.Client(timeout=5) as http:  # the restarted server's sender, once the lease ran out
        report = outbox.deliver_due(tool.sessions, http, utc() + outbox.LEASE + timedelta(seconds=1),
                                    tokens=TokenCache())
        assert len(report.delivered) == 1
        assert outbox.deliver_due(tool.sessions, http, utc() + timedelta(hours=3),
                                  tokens=TokenCache()).delivered == []
    statuses = [status for _, _, status in lms.score_posts]
    if mode == "before-post":
        assert statuses == [200]
    else:  # the repost carries the same timestamp: Moodle says 409, Canvas applies it unchanged
        assert statuses == ([200, 409] if lms.flavour == "moodle" else [200, 200])
    assert list(lms.grades) == [(1, "s1")] and lms.grades[(1, "s1")].score_given == 73
    with tool.sessions() as session:
        assert [r.status for r in session.scalars(select(ScoreOutbox))] == ["delivered"]
