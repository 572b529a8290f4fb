"""Fixtures of the service's tests: a private PostgreSQL cluster, and a running service per test
module with the example course (graded for real by TensorFlow workers in the sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from serving import Cluster, Server, demo, free_port, postgres, start


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    with postgres() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A new, empty database on the private cluster."""
    return pg_cluster.new_db()


@dataclass
class Live:
    server: Server
    data: Path
    links: dict[str, str]

    @property
    def base(self) -> str:
        return self.server.base


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data = tmp_path_factory.mktemp("serve-data")
    port = free_port()
    links = demo(data, f"http://127.0.0.1:{port}")
    server = start(data, port)
    try:
        yield Live(server, data, links)
    finally:
        server.stop()
