"""Unit tests: pure code, no database, no network, no broker. The whole folder runs in
seconds (`make test-fast`). pytest-django refuses database access to tests not marked
django_db; this refuses every network connection."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    def refuse(self, address, *args, **kwargs):
        raise AssertionError(f"a unit test connected to {address}: move it to tests/integration/")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
