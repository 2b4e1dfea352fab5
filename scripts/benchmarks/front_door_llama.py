"""llama.cpp's rows of the front door (`front_door.py`): one streamed call of `agents bench` against the same request
sent raw, on llama.cpp's server (`scripts/local-model-server`) with the smallest model, and `agents ask` against
`curl`.

The two sides take turns call by call (floor, agents, agents, floor, …): `agents bench --paced` starts one run per
line it reads, and the floor is one kept-alive raw connection in this process. llama.cpp's own time for the same
request drifts by a millisecond or more over seconds; in rounds of 20 calls a side, that drift decided the
comparison (two identical raw clients came out up to 1.3 ms apart per call). Turn by turn, both sides meet the
same server. The control (`--llama-control`) runs two raw clients in the same turns: the difference it shows is the
method's own noise, to read the other figures against.
"""

import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import raw_client  # noqa: E402
from agents_cli import log  # noqa: E402

MODEL = "smollm2-135m"
# A short answer: a real model's generation time (and its spread) is what a per-call figure measures there.
PROMPT = "Name the colour of the sea in one word."
# The same answer every call (temperature 0, fixed seed): both sides make the server do the same work.
AGENT, CONFIG = "steady-writer", HERE / "llama-agent.yaml"
WARM_UP = 3  # calls per side before the measured ones: the server's prompt cache holds the prompt afterwards


class PacedBench:
    """`agents bench --paced`: one run per line written to it; each run's times come back as a JSON line."""

    def __init__(self, agents, runs: int) -> None:
        self.errors = tempfile.TemporaryFile(mode="w+")
        command = agents.command("bench", "--agent", AGENT, "--runs", str(runs), "--prompt", PROMPT,
                                 "--max-concurrent-requests", "0", "--json", "--paced")
        self.process = subprocess.Popen(command, cwd=agents.home, env=agents.environment, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors, text=True, bufsize=1)

    def failure(self, what: str) -> SystemExit:
        self.errors.seek(0)
        return SystemExit(f"`agents bench --paced` {what}: {self.errors.read().strip()[-600:]}")

    def call(self) -> dict:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise self.failure("ended early (a build without --paced cannot be measured on llama.cpp's server)")
        run = json.loads(line)
        if "error" in run:
            raise self.failure(f"run failed: {run['error']}")
        return {"ms": run["ms"], "ttft_ms": run["ttft_ms"]}

    def finish(self) -> dict:
        """The bench's report (its CPU per run), after the end of its input."""
        self.process.stdin.close()
        rest = self.process.stdout.read()
        if self.process.wait() != 0:
            raise self.failure(f"exited with {self.process.returncode}")
        return json.loads(rest.strip().splitlines()[-1])


class RawCall:
    """The floor: the same request as bare POSTs on one kept-alive connection (`raw_client.py`), one at a time, with
    this process's CPU time counted around each call."""

    def __init__(self, server: str, body: bytes, headers: list) -> None:
        url = urlsplit(server)
        self.connection = raw_client.Connection(url.hostname, url.port, url.path.rstrip("/") + "/chat/completions",
                                                headers)
        self.body, self.loop, self.cpu_seconds, self.calls = body, asyncio.new_event_loop(), 0.0, 0

    def call(self) -> dict:
        cpu, start = time.process_time(), time.perf_counter()
        first = self.loop.run_until_complete(self.connection.post(self.body))
        milliseconds = (time.perf_counter() - start) * 1000
        self.cpu_seconds += time.process_time() - cpu
        self.calls += 1
        return {"ms": milliseconds, "ttft_ms": None if first is None else first * 1000}

    def finish(self) -> dict:
        self.connection.close()
        self.loop.close()
        return {"cpu_ms_per_run": self.cpu_seconds * 1000 / max(self.calls, 1)}


def server_times(text: bytes) -> tuple[list[float], list[float], list[int]]:
    """llama.cpp's own prompt time, whole time (prompt and generation) and output tokens of each request in `text`
    (its log: `prompt eval time = … ms`, `total time = … ms`, `eval time = … ms / N tokens`)."""
    prompts = [float(match) for match in re.findall(rb"prompt eval time =\s+([\d.]+) ms", text)]
    totals = [float(match) for match in re.findall(rb"total time =\s+([\d.]+) ms", text)]
    tokens = [int(match) for match in re.findall(rb"\s eval time =\s+[\d.]+ ms /\s+(\d+) tokens", text)]
    return prompts, totals, tokens


def in_turns(calls: int, sides: tuple, log_file: Path) -> dict:
    """`calls` calls of each side, taking turns (A B, B A, A B, …, so neither always goes first), after a warm-up;
    each call keeps llama.cpp's own times for it when its log lines up with the calls."""
    for _ in range(WARM_UP):
        for side in sides:
            side.call()
    offset = log_file.stat().st_size if log_file.exists() else None
    measured: tuple[list, list] = ([], [])
    order = []
    load_start = os.getloadavg()[0]
    for index in range(calls):
        for side in ((0, 1) if index % 2 == 0 else (1, 0)):
            measured[side].append(sides[side].call())
            order.append(side)
    result = {"a": measured[0], "b": measured[1], "load": [round(load_start, 2), round(os.getloadavg()[0], 2)]}
    if offset is not None:
        with log_file.open("rb") as file:
            file.seek(offset)
            prompts, totals, tokens = server_times(file.read())
        if len(prompts) == len(totals) == len(order):
            positions = [0, 0]
            for side, prompt, total in zip(order, prompts, totals):
                entry = measured[side][positions[side]]
                entry["server_prompt_ms"], entry["server_total_ms"] = prompt, total
                positions[side] += 1
            result["output_tokens_per_call"] = sorted(set(tokens))
        else:
            log(f"llama.cpp's log has {len(prompts)} requests for {len(order)} calls: its own times are left out")
    return result


def llama_benchmarks(arguments, agents_class, agents_binary: Path, home: Path, recorder_body) -> dict | None:
    """Starts llama.cpp's server, measures, stops it. `recorder_body(agents)` returns the exact body and header
    lines `agents` sends (captured on the Python server)."""
    script = ROOT / "scripts" / "local-model-server"
    port = str(arguments.llama_port)
    log(f"starting llama.cpp's server with {MODEL} on port {port}")
    threads = ["--threads", str(arguments.llama_threads)]
    started = subprocess.run([str(script), "start", "--port", port, "--model", MODEL, *threads],
                             capture_output=True, text=True)
    if started.returncode != 0:
        log(f"llama.cpp's server did not start; skipping it: {started.stderr.strip()[-400:]}")
        return None
    server = started.stdout.strip().splitlines()[-1]
    try:
        body, headers = recorder_body(agents_class(agents_binary, "", MODEL, home, CONFIG))
        agents = agents_class(agents_binary, server, MODEL, home, CONFIG)
        calls, log_file = arguments.llama_calls, server_log(port)
        results = {"server": f"llama.cpp server ({MODEL}, scripts/local-model-server)",
                   "threads": arguments.llama_threads, "prompt": PROMPT,
                   "agent": f"{AGENT} ({CONFIG.name})", "calls": calls}
        log(f"llama.cpp: {calls} calls a side, floor and agents taking turns")
        floor, bench = RawCall(server, body, headers), PacedBench(agents, calls + WARM_UP)
        turns = in_turns(calls, (floor, bench), log_file)
        results["single_call"] = {"floor": turns["a"], "agents": turns["b"], "load": turns["load"],
                                  "output_tokens_per_call": turns.get("output_tokens_per_call", []),
                                  "floor_usage": floor.finish(), "agents_report": bench.finish()}
        if arguments.llama_control:
            log(f"llama.cpp: the control, two raw clients taking turns, {calls} calls each")
            first, second = RawCall(server, body, headers), RawCall(server, body, headers)
            control = in_turns(calls, (first, second), log_file)
            first.finish(), second.finish()
            results["control"] = {"first": control["a"], "second": control["b"], "load": control["load"]}
        results["ask_vs_curl"] = ask_versus_curl(agents, server, body, max(min(calls // 20, 20), 5))
        return results
    finally:
        subprocess.run([str(script), "stop", "--port", port], capture_output=True)


def server_log(port: str) -> Path:
    """Where `scripts/local-model-server` writes the log of the server on `port`."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ollama-agents" / "run" / f"server-{port}.log"


def first_token_of_process(command: list[str], is_token, environment=None, cwd=None) -> float:
    """Milliseconds from starting `command` until `is_token(output so far)` holds; its output is read as it comes
    (not by lines: `agents ask` streams the answer without a newline until the end)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment, cwd=cwd)
    first, seen = None, b""
    while chunk := os.read(process.stdout.fileno(), 65536):
        if first is None:
            seen += chunk
            if is_token(seen):
                first = (time.perf_counter() - start) * 1000
    process.wait()
    if first is None:
        raise SystemExit(f"no token from {command[0]}")
    return first


def ask_versus_curl(agents, server: str, body: bytes, runs: int) -> dict:
    """Time to first token of `agents ask` against `curl` with the same request body, each a fresh process."""
    curl = shutil.which("curl")
    if not curl:
        return {"skipped": "curl is not installed"}
    prompt = json.loads(body)["messages"][-1]["content"]
    ask = agents.command("ask", "--agent", AGENT, prompt)
    post = [curl, "-sN", server + "/chat/completions", "-H", "Content-Type: application/json", "--data-binary", "@-"]
    curl_times, ask_times = [], []
    with tempfile.NamedTemporaryFile() as file:
        file.write(body)
        file.flush()
        post[-1] = "@" + file.name
        for _ in range(runs):
            curl_times.append(first_token_of_process(post, raw_client.Connection._has_text))
            ask_times.append(first_token_of_process(ask, lambda seen: bool(seen.strip()), agents.environment, agents.home))
    start_curl = [first_token_of_process([curl, "--version"], lambda seen: True) for _ in range(runs)]
    start_agents = [first_token_of_process([str(agents.binary), "--version"], lambda seen: True) for _ in range(runs)]
    return {
        "runs": runs, "curl_ttft_p50_ms": round(statistics.median(curl_times), 2),
        "ask_ttft_p50_ms": round(statistics.median(ask_times), 2),
        "curl_start_p50_ms": round(statistics.median(start_curl), 2),
        "agents_start_p50_ms": round(statistics.median(start_agents), 2),
    }


# --- the rows -----------------------------------------------------------------------------------------------------


def ms_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f} ms"


def us_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:+.0f} µs"


def median_of(calls: list[dict], key: str) -> float | None:
    """The median of `key` over the entries that have it (`None` when none has)."""
    values = [call[key] for call in calls if call.get(key) is not None]
    return statistics.median(values) if values else None


def _less_server(calls: list[dict], client: str, server: str) -> list[dict]:
    """Each call's `client` time less llama.cpp's own `server` time for it: what the HTTP exchange and client add."""
    return [{"ms": call[client] - call[server]} for call in calls
            if call.get(client) is not None and call.get(server) is not None]


def _pairs(agents: list[dict], floor: list[dict], key: str) -> list[float]:
    """The differences of the calls made one after the other (the i-th call of each side)."""
    return [a[key] - f[key] for a, f in zip(agents, floor) if a.get(key) is not None and f.get(key) is not None]


def llama_rows(llama: dict) -> list[str]:
    """The llama.cpp rows: medians over every call of each side, the server's own times, the calls less them (the
    part the HTTP exchange and the client add), each client's CPU, the median of the turn-by-turn differences, and the
    control."""
    single = llama["single_call"]
    agents, floor = single["agents"], single["floor"]
    tokens = "/".join(map(str, single.get("output_tokens_per_call") or [])) or "?"
    threads = llama.get("threads")
    label = (f"llama.cpp {MODEL}{f' ({threads} threads)' if threads else ''}, one streamed call ({tokens} tokens), "
             f"{len(agents)} calls a side in turns")
    rows = []
    for name, key, target in ((f"{label}: p50", "ms", "≤ +300 µs"),
                              ("llama.cpp: time to first token p50", "ttft_ms", "≤ +200 µs"),
                              ("llama.cpp's own prompt time (its log), p50", "server_prompt_ms", ""),
                              ("llama.cpp's own whole time (its log), p50", "server_total_ms", "")):
        a, f = median_of(agents, key), median_of(floor, key)
        if a is not None and f is not None:
            rows.append(f"| {name} | {ms_text(a)} | {ms_text(f)} | {us_text(a - f)} | {target} |")
    for name, client, server in (("first token less the server's prompt time", "ttft_ms", "server_prompt_ms"),
                                 ("one call less the server's whole time", "ms", "server_total_ms")):
        a, f = median_of(_less_server(agents, client, server), "ms"), median_of(_less_server(floor, client, server), "ms")
        if a is not None and f is not None:
            rows.append(f"| llama.cpp: {name} (HTTP and client), p50 | {ms_text(a)} | {ms_text(f)} | {us_text(a - f)} | |")
    cpu_a = single.get("agents_report", {}).get("cpu_ms_per_run")
    cpu_f = single.get("floor_usage", {}).get("cpu_ms_per_run")
    if cpu_a is not None and cpu_f is not None:
        rows.append(f"| llama.cpp: client CPU per call (agents: the whole process, pacing included) | {ms_text(cpu_a)} "
                    f"| {ms_text(cpu_f)}, Python, around each call | {us_text(cpu_a - cpu_f)} | |")
    for name, key in (("one call", "ms"), ("first token", "ttft_ms")):
        differences = _pairs(agents, floor, key)
        if differences:
            above = sum(1 for difference in differences if difference > 0)
            rows.append(f"| llama.cpp: {name}, difference of each turn's two calls | median "
                        f"{us_text(statistics.median(differences))}, agents slower in {above} of {len(differences)} | | | |")
    control = llama.get("control")
    if control:
        first, second = control["first"], control["second"]
        whole = median_of(second, "ms") - median_of(first, "ms")
        ttft = median_of(second, "ttft_ms") - median_of(first, "ttft_ms")
        rows.append(f"| llama.cpp: control, two raw clients in the same turns: one call / first token p50 apart by "
                    f"| {us_text(whole)} / {us_text(ttft)} | | (the method's noise) | |")
    return rows


def llama_loads(llama: dict) -> list[float]:
    """The load averages recorded around the llama.cpp measurements."""
    return [value for key in ("single_call", "control") if key in llama for value in llama[key]["load"]]
