"""The throwaway PostgreSQL server of the register's tests starts under pytest-xdist, where
each worker starts one, even when the port it probed is taken before it listens."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests import store_fixtures
from tests.store_fixtures import ThrowawayPostgres, start_throwaway_postgres


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port something else listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_a_server_whose_port_was_taken_starts_on_another(
    taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    bindir = ThrowawayPostgres.find()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (.ci/services.sh installs them)")
    ports = iter([taken_port])
    free_port = store_fixtures._free_port
    monkeypatch.setattr(store_fixtures, "_free_port", lambda: next(ports, None) or free_port())
    server, url = start_throwaway_postgres(bindir)
    try:
        assert server.port != taken_port
        assert url.endswith(f":{server.port}/postgres")
    finally:
        server.stop()
