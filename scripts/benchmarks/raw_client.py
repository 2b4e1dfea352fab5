"""The streamed floor: the same request bodies the SDK sent, as bare HTTP/1.1 POSTs on kept-alive connections.

Standard library only (asyncio streams, no HTTP library): a request is one write, the response is read as it
arrives, chunked or not, until the body ends. With `headers`, the request carries the SDK's own header lines
(recorded by `sse_server.py`) instead of the minimal set, so the server parses the same head as well. Used by `front_door.py`; also runnable on its own:

    python3 raw_client.py --server http://127.0.0.1:PORT/v1 --bodies FILE.json --runs 1000 --concurrency 1

FILE.json is a list of request bodies (strings); one run sends them one after another on one connection.
Prints one JSON object: runs/s, p50/p95 per run, and the p50 time to the first content delta of the first body.
"""

import argparse
import asyncio
import json
import math
import resource
import time
from urllib.parse import urlsplit

CONTENT_MARK = b'"content":"'  # a content delta with text starts with this (the role chunk has "content":"")


def percentile(samples: list[float], percent: float) -> float:
    ordered = sorted(samples)
    rank = max(math.ceil(percent / 100 * len(ordered)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


class Connection:
    """One kept-alive HTTP/1.1 connection that POSTs streaming requests."""

    def __init__(self, host: str, port: int, path: str, headers: list[tuple[str, str]] | None = None) -> None:
        self.host, self.port, self.path = host, port, path
        skipped = ("host", "content-length")
        self.header_lines = "".join(f"{name}: {value}\r\n" for name, value in headers
                                    if name.lower() not in skipped) if headers else None
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer:
            self.writer.close()
        self.reader = self.writer = None

    async def post(self, body: bytes) -> float | None:
        """Sends one request and reads its whole response; returns the seconds to the first content delta."""
        start = time.perf_counter()
        lines = self.header_lines or "Content-Type: application/json\r\nAccept: text/event-stream\r\n"
        head = (f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{lines}"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        if self.writer is None:
            await self.open()
        self.writer.write(head + body)
        status = await self.reader.readline()
        if not status:  # the server closed the connection (llama.cpp's does after every streamed reply)
            self.close()
            await self.open()
            self.writer.write(head + body)
            status = await self.reader.readline()
        if not status.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"raw request failed: {status!r}")
        reader = self.reader
        chunked, length, close = False, 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"content-length":
                length = int(value)
            elif name == b"connection" and b"close" in value.lower():
                close = True
        first = None
        if not chunked:
            data = await reader.readexactly(length)
            first = time.perf_counter() - start if CONTENT_MARK in data else None
        else:
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                data = await reader.readexactly(size + 2)
                if size == 0:
                    break
                if first is None and self._has_text(data):
                    first = time.perf_counter() - start
        if close:
            self.close()
        return first

    @staticmethod
    def _has_text(data: bytes) -> bool:
        at = data.find(CONTENT_MARK)
        return at >= 0 and data[at + len(CONTENT_MARK):at + len(CONTENT_MARK) + 1] != b'"'


async def measure(server: str, bodies: list[bytes], runs: int, concurrency: int,
                  headers: list[tuple[str, str]] | None = None, list_runs: bool = False) -> dict:
    """`runs` runs (each: the bodies in order on one connection), `concurrency` at a time, after a warm-up; with
    `headers` (name, value pairs), every request carries those header lines. Reports this process's CPU time and
    context switches per run over the measured runs; with `list_runs`, every run's times too."""
    url = urlsplit(server)
    path = url.path.rstrip("/") + "/chat/completions"
    connections = [Connection(url.hostname, url.port, path, headers) for _ in range(concurrency)]
    await asyncio.gather(*(connection.open() for connection in connections))
    latencies: list[float] = []
    firsts: list[float] = []
    firsts_in_order: list[float | None] = []

    async def worker(connection: Connection, share: int, record: bool) -> None:
        for _ in range(share):
            start = time.perf_counter()
            first = None
            for index, body in enumerate(bodies):
                seconds = await connection.post(body)
                if index == 0:
                    first = seconds
            if record:
                latencies.append((time.perf_counter() - start) * 1000)
                if first is not None:
                    firsts.append(first * 1000)
                firsts_in_order.append(None if first is None else round(first * 1000, 4))

    async def batch(total: int, record: bool) -> float:
        shares = [total // concurrency + (1 if index < total % concurrency else 0) for index in range(concurrency)]
        start = time.perf_counter()
        await asyncio.gather(*(worker(connection, share, record) for connection, share in zip(connections, shares)))
        return time.perf_counter() - start

    await batch(max(concurrency * 4, runs // 10), record=False)  # warm-up
    usage, cpu = resource.getrusage(resource.RUSAGE_SELF), time.process_time()
    seconds = await batch(runs, record=True)
    cpu, after = time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF)
    for connection in connections:
        connection.close()
    switches = (after.ru_nvcsw + after.ru_nivcsw) - (usage.ru_nvcsw + usage.ru_nivcsw)
    report = {
        "runs": runs, "concurrency": concurrency, "calls_per_run": len(bodies),
        "runs_per_second": round(runs / seconds, 1),
        "p50_ms": round(percentile(latencies, 50), 4), "p95_ms": round(percentile(latencies, 95), 4),
        "ttft_p50_ms": round(percentile(firsts, 50), 4) if firsts else None,
        "cpu_ms_per_run": round(cpu * 1000 / runs, 4), "context_switches_per_run": round(switches / runs, 2),
    }
    if list_runs:  # every run, in the order they ended (as `agents bench --list-runs`)
        report["latencies_ms"], report["ttft_ms"] = [round(value, 4) for value in latencies], firsts_in_order
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="base URL, e.g. http://127.0.0.1:8080/v1")
    parser.add_argument("--bodies", required=True, help="a JSON file with a list of request bodies")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1)
    arguments = parser.parse_args()
    with open(arguments.bodies, encoding="utf-8") as file:
        bodies = [body.encode() for body in json.load(file)]
    print(json.dumps(asyncio.run(measure(arguments.server, bodies, arguments.runs, arguments.concurrency))))


if __name__ == "__main__":
    main()
