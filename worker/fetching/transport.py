"""The connection layer under fetch(): pinned addresses and a hard wall-clock deadline.

requests-hardened pins a connection to the first address getaddrinfo returns and can
only allow all loopback or none. We need the address our own policy checked (all
records, injectable policy), so this adapter follows its approach: the pool connects to
the pre-validated IP while the request keeps the original Host header, SNI and
certificate hostname.

requests has no total timeout: its read timeout restarts with every byte, so a server
dripping one byte a second holds a worker for ever. A Deadline shuts the socket down
from a timer thread, which wakes any blocked recv() at once, in the headers or the body.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .addresses import IPAddress

_local = threading.local()


class Deadline:
    """A total time budget for one fetch, enforced by shutting its socket down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._done = False
        self._conn: HTTPConnection | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._previous = getattr(_local, "deadline", None)
        _local.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.finish()
        _local.deadline = self._previous

    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    def finish(self) -> None:
        """Stop watching: call before the connection goes back to the pool."""
        with self._lock:
            self._done = True
            self._conn = None
        self._timer.cancel()

    def release(self) -> None:
        """Forget the current connection before it goes back to the pool (or is closed),
        so a late timer never shuts down a socket another fetch has taken."""
        with self._lock:
            self._conn = None

    def watch(self, conn: HTTPConnection) -> None:
        with self._lock:
            if self._done:
                return
            self._conn = conn
            expired = self.expired
        if expired:
            _shutdown(conn)

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            conn = self._conn
        if conn is not None:
            _shutdown(conn)


def current_deadline() -> Deadline | None:
    return getattr(_local, "deadline", None)


def _shutdown(conn: HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedConnectionMixin:
    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        # The deadline may have fired while we were connecting, before there was a
        # socket to shut down.
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch(self)  # type: ignore[arg-type]


class WatchedHTTPConnection(_WatchedConnectionMixin, HTTPConnection):
    pass


class WatchedHTTPSConnection(_WatchedConnectionMixin, HTTPSConnection):
    pass


class _WatchedPoolMixin:
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch(conn)
        return conn


class WatchedHTTPConnectionPool(_WatchedPoolMixin, HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSConnectionPool(_WatchedPoolMixin, HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class PinnedAddressAdapter(HTTPAdapter):
    """Connects to request.pinned_address, never to a fresh DNS answer.

    Pools are keyed by address (and SNI name for https), so keep-alive connections are
    reused only for the same checked address.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": WatchedHTTPConnectionPool,
            "https": WatchedHTTPSConnectionPool,
        }

    def build_connection_pool_key_attributes(
        self,
        request: requests.PreparedRequest,
        verify: Any,
        cert: Any = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        address: IPAddress | None = getattr(request, "pinned_address", None)
        if address is None:
            # Never let urllib3 resolve a name itself: that is the rebinding hole.
            raise requests.exceptions.InvalidURL("request has no checked address")
        hostname = host_params["host"]
        if host_params["scheme"] == "https":
            # Certificate and SNI are for the name, not the address we connect to.
            pool_kwargs["assert_hostname"] = hostname
            pool_kwargs["server_hostname"] = hostname
        host_params["host"] = f"[{address}]" if address.version == 6 else str(address)
        return host_params, pool_kwargs

    def get_connection(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise NotImplementedError("use get_connection_with_tls_context")


_adapter_lock = threading.Lock()
_adapter: PinnedAddressAdapter | None = None
_adapter_pid = 0


def _forget_adapter_after_fork() -> None:
    global _adapter, _adapter_lock
    _adapter = None
    _adapter_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_adapter_after_fork)


def shared_adapter() -> PinnedAddressAdapter:
    """One adapter per process: its pools are thread-safe and keep connections alive.

    A forked worker process gets a new one: pooled sockets must not be shared.
    """
    global _adapter, _adapter_pid
    with _adapter_lock:
        if _adapter is None or _adapter_pid != os.getpid():
            _adapter = PinnedAddressAdapter(pool_connections=32, pool_maxsize=32)
            _adapter_pid = os.getpid()
        return _adapter
