"""Fault injection on `booklet serve`: a flood of idle and slow clients, and bad paths.

The preview server runs as a user runs it, in a subprocess, over a project
already built (its first build has nothing to do; its first proof is made).
Then 500 connections are opened and held: half send nothing, half send half a
request head and stop, and 50 more listen to the event stream. A normal
request must still be answered within a second, bad paths get a 4xx, and the
server closes the clients that never finish their request.
"""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import time

import pytest
from faults import ENV, ROOT, command, copy_built

IDLE = 500
STREAMS = 50
#: booklet.proof.preview.REQUEST_SECONDS, and a margin for a busy machine.
CLOSED_WITHIN = 10 + 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed_get(port: int, path: str = "/index.html") -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


@pytest.fixture
def server(screen_build, tmp_path):
    project = copy_built(screen_build, tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command("serve", "--lang", "en", "--edition", "screen", "--port", str(port),
                    project=project), cwd=ROOT, env=ENV, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while "proof:" not in log.read_text():  # the first proof is ready
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield port, process, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_flood_of_idle_and_slow_clients_does_not_keep_a_page_from_being_answered(server):
    port, process, log = server
    held = []
    try:
        for number in range(IDLE):
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            if number % 2:  # a slow client: half a request head, then nothing
                client.sendall(b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slo")
            held.append(client)
        streams = []
        for _ in range(STREAMS):
            stream = socket.create_connection(("127.0.0.1", port), timeout=10)
            stream.sendall(f"GET /events?seen=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
                           .encode())
            streams.append(stream)
        for stream in streams:
            assert stream.recv(4096).startswith(b"HTTP/1.1 200")
        times = []
        for _ in range(10):
            status, seconds = timed_get(port)
            assert status == 200
            times.append(seconds)
        assert max(times) < 1.0, times
        # Bad paths: a 4xx, never a traceback or a dropped server.
        for path in ("/" + "a" * 5000, "/" + "a" * 300 + ".pdf", "/%00", "/..%2f..%2fetc",
                     "/" + "x/" * 2000):
            status, _ = timed_get(port, path)
            assert 400 <= status < 500, (path[:40], status)
        # The clients that never finish a request are closed by the server.
        deadline = time.monotonic() + CLOSED_WITHIN
        open_ones = list(held)
        while open_ones and time.monotonic() < deadline:
            time.sleep(0.5)
            open_ones = [client for client in open_ones if not _closed_by_peer(client)]
        assert not open_ones, f"{len(open_ones)} of {IDLE} clients still held open"
        assert timed_get(port)[0] == 200
        print(f"\nserve: {IDLE} idle or slow connections and {STREAMS} event streams held; "
              f"pages answered in at most {max(times) * 1000:.0f} ms; every stalled "
              f"client closed within {CLOSED_WITHIN} s")
        for stream in streams:
            stream.close()
    finally:
        for client in held:
            client.close()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    text = log.read_text()
    assert text.rstrip().endswith("stopped") and "Traceback" not in text, text


def _closed_by_peer(client: socket.socket) -> bool:
    client.setblocking(False)
    try:
        return client.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
