"""Speed through the front door: `agents bench`, streamed as chat is, against servers we did not write.

Called by `scripts/benchmark front-door` (and by the full `scripts/benchmark`) after the release build:

    front_door.py --agents .build/release/agents --python VENV/bin/python [--runs 2000] [--rounds 3]
                  [--llama-port 11509 [--llama-rounds 12] [--llama-runs 20] [--llama-threads N] | --no-llama]
                  [--no-python] [--json FILE]

Servers:
- `sse_server.py`: a standard-library Python SSE server (HTTP/1.1, chunked, one write per chunk, kept-alive,
  zero model latency). The math agent calls `calculator` once, then answers: two streamed model calls per run.
- llama.cpp's server from `scripts/local-model-server` with the smallest model (smollm2-135m), when it can be
  provisioned: one streamed call of a writer agent whose answer is the same every call (`llama-agent.yaml`:
  temperature 0, fixed seed), and time to first token; many short rounds (`--llama-rounds` of `--llama-runs`
  calls), every call's times kept, with llama.cpp's own prompt time per call (its log) and each client's CPU.

Every figure has the streamed floor beside it: the same requests the SDK sent, head and body (the server records
them), replayed by `raw_client.py` as bare POSTs on kept-alive connections, at the same concurrency, in the same
rounds. The figures are medians over `--rounds` rounds that alternate floor and agent; the load average is
recorded with each round. Prints a markdown table; `--json FILE` writes everything measured.
"""

import argparse
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import raw_client  # noqa: E402

CONCURRENCY = 32
# A short answer: a real model's generation time (and its spread) is what a per-call figure measures there.
LLAMA_PROMPT = "Name the colour of the sea in one word."
# The same answer every call (temperature 0, fixed seed): both sides make the server do the same work.
LLAMA_AGENT, LLAMA_CONFIG = "steady-writer", HERE / "llama-agent.yaml"


def log(message: str) -> None:
    print(f"[front-door] {message}", file=sys.stderr, flush=True)


def load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


class Agents:
    """Runs the `agents` binary against one server, in a private, empty home."""

    def __init__(self, binary: Path, server: str, model: str, home: Path, config: Path | None = None) -> None:
        self.binary, self.server, self.model, self.config = binary.resolve(), server, model, config
        self.environment = {key: value for key, value in os.environ.items()
                            if not key.startswith(("AGENTS_", "OLLAMA_", "OPENAI_"))}
        for name in ("AGENTS_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            (home / name.lower()).mkdir(exist_ok=True)
            self.environment[name] = str(home / name.lower())
        self.home = home
        self.lists_runs = True  # `agents bench --list-runs` is known (older builds: found out on first use)

    def command(self, *arguments: str) -> list[str]:
        configuration = ["--config", str(self.config)] if self.config else []
        return [str(self.binary), *arguments, "--base-url", self.server, "--provider", "openai",
                "--model", self.model, *configuration]

    def bench(self, agent: str, runs: int, concurrency: int, prompt: str | None = None,
              list_runs: bool = False) -> dict:
        command = self.command("bench", "--agent", agent, "--runs", str(runs), "--concurrency", str(concurrency),
                               "--max-concurrent-requests", "0", "--json")
        if prompt:
            command += ["--prompt", prompt]
        if list_runs and self.lists_runs:
            command.append("--list-runs")
        completed = subprocess.run(command, cwd=self.home, env=self.environment, capture_output=True, text=True)
        if list_runs and self.lists_runs and "--list-runs" in completed.stderr and completed.returncode == 64:
            self.lists_runs = False  # a build from before --list-runs (to measure an older commit): rounds' p50s only
            return self.bench(agent, runs, concurrency, prompt, list_runs)
        if completed.returncode != 0:
            raise SystemExit(f"`agents bench` failed ({completed.returncode}): {completed.stderr.strip()}")
        report = json.loads(completed.stdout.strip().splitlines()[-1])
        if report["errors"]:
            raise SystemExit(f"`agents bench` had {report['errors']} failed runs: {completed.stderr.strip()}")
        return report


def recorded(server: str, what: str) -> dict:
    """The last request of each kind the Python server received: `sse_server.py`'s /bench/requests (bodies) or
    /bench/request-headers (name, value pairs)."""
    import urllib.request
    with urllib.request.urlopen(server.removesuffix("/v1") + "/bench/" + what, timeout=10) as response:
        return json.loads(response.read())


def recorded_bodies(server: str) -> dict:
    """The last request body of each kind the Python server received."""
    return {kind: body.encode() for kind, body in recorded(server, "requests").items()}


def median_of(rounds: list[dict], key: str) -> float | None:
    values = [entry[key] for entry in rounds if entry.get(key) is not None]
    return statistics.median(values) if values else None


def paired(name: str, rounds: int, floor, agent) -> dict:
    """Alternates `floor()` and `agent()` for `rounds` rounds; keeps every round and its load average.

    The order flips every round (floor first, then agent first, …): a server whose answers slow down over time
    (llama.cpp's time to first token grew by some 3 ms per round) would otherwise always favour the side that
    runs first."""
    results = {"floor": [], "agents": [], "load": []}
    for index in range(rounds):
        log(f"{name}: round {index + 1} of {rounds} (load {load()[0]})")
        if index % 2 == 0:
            results["floor"].append(floor())
            results["agents"].append(agent())
        else:
            results["agents"].append(agent())
            results["floor"].append(floor())
        results["load"].append(load()[0])
    return results


def python_server_benchmarks(arguments, agents_binary: Path, home: Path) -> dict:
    server_process = subprocess.Popen([sys.executable, str(HERE / "sse_server.py"), "--port", "0"],
                                      stdout=subprocess.PIPE, text=True)
    server = server_process.stdout.readline().strip()
    if not server.startswith("http"):
        raise SystemExit(f"sse_server.py did not print its URL (got {server!r})")
    log(f"Python SSE server at {server}")
    try:
        agents = Agents(agents_binary, server, "bench-model", home)
        agents.bench("math", 20, 1)  # warm-up; records the two bodies of a run with a tool call
        agents.bench("creative", 20, 1)  # and the body of a plain answer
        bodies = recorded_bodies(server)
        headers = recorded(server, "request-headers")["answer"]  # the same header lines for every kind
        tool_run = [bodies["tool_call"], bodies["answer_after_tool"]]
        answer = [bodies["answer"]]
        runs, rounds = arguments.runs, arguments.rounds
        floor = lambda request, count, concurrency: (  # noqa: E731
            lambda: asyncio.run(raw_client.measure(server, request, count, concurrency, headers)))
        results = {
            "server": "sse_server.py (Python standard library, HTTP/1.1 chunked, one write per chunk, kept-alive)",
            "sequential": paired("math, sequential", rounds, floor(tool_run, runs, 1),
                                 lambda: agents.bench("math", runs, 1)),
            "concurrent": paired(f"math, {CONCURRENCY} concurrent", rounds, floor(tool_run, runs * 2, CONCURRENCY),
                                 lambda: agents.bench("math", runs * 2, CONCURRENCY)),
            "single_call": paired("creative, one call", rounds, floor(answer, runs, 1),
                                  lambda: agents.bench("creative", runs, 1)),
        }
        if arguments.python:
            results["python_sdk"] = python_sdk(arguments.python, server, max(runs // 10, 20))
        return results
    finally:
        server_process.terminate()
        server_process.wait()


def python_sdk(python: str, server: str, runs: int) -> list[dict] | None:
    """The Python OpenAI Agents SDK's `Runner.run_streamed` on the same workload, if its venv is there."""
    levels = []
    for concurrency, count in ((1, runs), (CONCURRENCY, runs * 2)):
        log(f"Python Agents SDK, run_streamed, concurrency {concurrency}")
        completed = subprocess.run(
            [python, str(HERE / "python_sdk.py"), "streamed", "--server", server, "--runs", str(count),
             "--concurrency", str(concurrency)], capture_output=True, text=True)
        if completed.returncode != 0:
            log(f"the Python SDK run failed: {completed.stderr.strip()[-500:]}")
            return None
        levels.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return levels


def llama_benchmarks(arguments, agents_binary: Path, home: Path) -> dict | None:
    """Time to first token and one streamed call on llama.cpp's server with the smallest model: many short
    alternating rounds, every call's times and llama.cpp's own prompt time per call kept."""
    script = ROOT / "scripts" / "local-model-server"
    port = str(arguments.llama_port)
    model = "smollm2-135m"
    log(f"starting llama.cpp's server with {model} on port {port}")
    threads = ["--threads", str(arguments.llama_threads)] if arguments.llama_threads else []
    started = subprocess.run([str(script), "start", "--port", port, "--model", model, *threads],
                             capture_output=True, text=True)
    if started.returncode != 0:
        log(f"llama.cpp's server did not start; skipping it: {started.stderr.strip()[-400:]}")
        return None
    server = started.stdout.strip().splitlines()[-1]
    recorder = subprocess.Popen([sys.executable, str(HERE / "sse_server.py"), "--port", "0"],
                                stdout=subprocess.PIPE, text=True)
    try:
        # The exact body `agents` sends, captured on the Python server, then replayed to llama.cpp's server.
        capture = recorder.stdout.readline().strip()
        Agents(agents_binary, capture, model, home, LLAMA_CONFIG).bench(LLAMA_AGENT, 1, 1, LLAMA_PROMPT)
        body = recorded_bodies(capture)["answer"]
        headers = recorded(capture, "request-headers")["answer"]
        agents = Agents(agents_binary, server, model, home, LLAMA_CONFIG)
        agents.bench(LLAMA_AGENT, 3, 1, LLAMA_PROMPT)  # warm-up: the server's prompt cache holds the prompt afterwards
        runs = arguments.llama_runs
        server_log_file = server_log(port)
        results = {
            "server": f"llama.cpp server ({model}, scripts/local-model-server)",
            "threads": arguments.llama_threads or os.cpu_count(),
            "prompt": LLAMA_PROMPT, "agent": f"{LLAMA_AGENT} ({LLAMA_CONFIG.name})", "runs_per_round": runs,
            "single_call": paired("llama.cpp, one call", arguments.llama_rounds,
                                  with_server_times(server_log_file, runs, lambda: asyncio.run(
                                      raw_client.measure(server, [body], runs, 1, headers, list_runs=True))),
                                  with_server_times(server_log_file, runs, lambda: agents.bench(
                                      LLAMA_AGENT, runs, 1, LLAMA_PROMPT, list_runs=True))),
            "ask_vs_curl": ask_versus_curl(agents, server, body, max(runs // 2, 5)),
        }
        return results
    finally:
        recorder.terminate()
        recorder.wait()
        subprocess.run([str(script), "stop", "--port", port], capture_output=True)


def server_log(port: str) -> Path:
    """Where `scripts/local-model-server` writes the log of the server on `port`."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ollama-agents" / "run" / f"server-{port}.log"


def with_server_times(log: Path, runs: int, measure):
    """`measure`, with llama.cpp's own prompt time (`prompt eval time = … ms` in its log), its whole time (`total time
    = … ms`: prompt and generation) and output tokens of each of the last `runs` requests (a warm-up comes before
    them): the server's side of the time to first token and of the whole call, so a slower client can be told from a
    slower server."""
    def measured() -> dict:
        start = log.stat().st_size if log.exists() else None
        result = measure()
        if start is not None:
            with log.open("rb") as file:
                file.seek(start)
                text = file.read()
            times = [float(match) for match in re.findall(rb"prompt eval time =\s+([\d.]+) ms", text)][-runs:]
            tokens = [int(match) for match in re.findall(rb"\s eval time =\s+[\d.]+ ms /\s+(\d+) tokens", text)][-runs:]
            totals = [float(match) for match in re.findall(rb"total time =\s+([\d.]+) ms", text)][-runs:]
            if times:
                result["server_prompt_ms"], result["server_prompt_ms_p50"] = times, round(statistics.median(times), 3)
                result["output_tokens_per_call"] = sorted(set(tokens))
            if totals:
                result["server_total_ms"], result["server_total_ms_p50"] = totals, round(statistics.median(totals), 3)
        return result
    return measured


def pooled(rounds: list[dict], key: str) -> list[float]:
    """Every call's `key` (a list per round) over all rounds; for a build without `--list-runs`, each round's p50."""
    if key in ("latencies_ms", "ttft_ms") and not any(key in entry for entry in rounds):
        return [entry[summary] for entry in rounds
                if (summary := "p50_ms" if key == "latencies_ms" else "ttft_p50_ms") in entry]
    return [value for entry in rounds for value in entry.get(key) or [] if value is not None]


def client_part(rounds: list[dict], client: str = "ttft_ms", server: str = "server_prompt_ms") -> list[float]:
    """Per call, the client's time (`client`: to the first token, or the whole call) less llama.cpp's own time for
    that call (`server`: its prompt time, or its total time): what the HTTP exchange and the client add. Rounds whose
    counts do not line up (a failed call) are left out."""
    parts = []
    for entry in rounds:
        ours, theirs = entry.get(client) or [], entry.get(server) or []
        if len(ours) == len(theirs):
            parts += [mine - its for mine, its in zip(ours, theirs) if mine is not None]
    return parts


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


def ask_versus_curl(agents: Agents, server: str, body: bytes, runs: int) -> dict:
    """Time to first token of `agents ask` against `curl` with the same request body, each a fresh process."""
    curl = shutil.which("curl")
    if not curl:
        return {"skipped": "curl is not installed"}
    prompt = json.loads(body)["messages"][-1]["content"]
    ask = agents.command("ask", "--agent", LLAMA_AGENT, prompt)
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


# --- the table ----------------------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f} ms"


def _us(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:+.0f} µs"


def llama_rows(llama: dict) -> list[str]:
    """The llama.cpp rows: medians over every call of every round (each side's calls pooled), the server's own
    prompt time, the first token less it (the part the HTTP exchange and the client add), and each client's CPU."""
    single = llama["single_call"]
    calls = llama.get("runs_per_round", 0) * len(single["agents"])
    tokens = sorted({count for entry in single["agents"] + single["floor"] for count in entry.get("output_tokens_per_call", [])})
    rounds = [a["ttft_p50_ms"] - f["ttft_p50_ms"] for a, f in zip(single["agents"], single["floor"])]
    above = sum(1 for difference in rounds if difference > 0)
    whole = [a["p50_ms"] - f["p50_ms"] for a, f in zip(single["agents"], single["floor"]) if "p50_ms" in a and "p50_ms" in f]
    whole_above = sum(1 for difference in whole if difference > 0)
    threads = llama.get("threads")
    label = f"llama.cpp smollm2-135m{f' ({threads} threads)' if threads else ''}, one streamed call ({'/'.join(map(str, tokens)) or '?'} tokens), all {calls} calls"
    rows = []
    for name, key, target in ((f"{label}: p50", "latencies_ms", "≤ +300 µs"),
                              ("llama.cpp: time to first token p50", "ttft_ms", "≤ +200 µs"),
                              ("llama.cpp's own prompt time (its log), p50", "server_prompt_ms", "")):
        a, f = pooled(single["agents"], key), pooled(single["floor"], key)
        if a and f:
            a, f = statistics.median(a), statistics.median(f)
            rows.append(f"| {name} | {_ms(a)} | {_ms(f)} | {_us(a - f)} | {target} |")
    for name, client, server in (("first token less the server's prompt time", "ttft_ms", "server_prompt_ms"),
                                 ("one call less the server's total time", "latencies_ms", "server_total_ms")):
        a, f = client_part(single["agents"], client, server), client_part(single["floor"], client, server)
        if a and f:
            a, f = statistics.median(a), statistics.median(f)
            rows.append(f"| llama.cpp: {name} (HTTP and client), p50 | {_ms(a)} | {_ms(f)} | {_us(a - f)} | |")
    cpu_a, cpu_f = median_of(single["agents"], "cpu_ms_per_run"), median_of(single["floor"], "cpu_ms_per_run")
    switches_a = median_of(single["agents"], "context_switches_per_run")
    switches_f = median_of(single["floor"], "context_switches_per_run")
    if cpu_a is not None and cpu_f is not None:
        rows.append(f"| llama.cpp: client CPU per call (context switches), median of rounds | {_ms(cpu_a)} ({switches_a:.1f}) "
                    f"| {_ms(cpu_f)} ({switches_f:.1f}), Python | {_us(cpu_a - cpu_f)} | |")
    rows.append(f"| llama.cpp: first token, per-round differences (p50 of each round) | median {_us(statistics.median(rounds))}, "
                f"above the floor in {above} of {len(rounds)} rounds | | | |")
    if whole:
        rows.append(f"| llama.cpp: one call, per-round differences (p50 of each round) | median "
                    f"{_us(statistics.median(whole))}, above the floor in {whole_above} of {len(whole)} rounds | | | |")
    return rows


def table(results: dict) -> str:
    rows = ["| server, measurement | `agents bench` | streamed floor (raw, same requests) | above the floor | target |",
            "|---|---|---|---|---|"]
    python = results.get("python")
    if python:
        sequential, concurrent, single = python["sequential"], python["concurrent"], python["single_call"]
        rate = lambda entries: median_of(entries, "runs_per_second")  # noqa: E731
        calls = 2
        a, f = median_of(sequential["agents"], "p50_ms"), median_of(sequential["floor"], "p50_ms")
        rows.append(f"| Python SSE, math (2 streamed calls), sequential: runs/s | {rate(sequential['agents']):.0f} | "
                    f"{rate(sequential['floor']):.0f} | | |")
        rows.append(f"| Python SSE, math, sequential: p50 per run | {_ms(a)} | {_ms(f)} | "
                    f"{_us((a - f) / calls)} per call | ≤ +300 µs per call |")
        a_rate, f_rate = rate(concurrent["agents"]), rate(concurrent["floor"])
        wall = (1 / a_rate - 1 / f_rate) * 1000 / calls
        rows.append(f"| Python SSE, math, {CONCURRENCY} concurrent: runs/s | {a_rate:.0f} | {f_rate:.0f} | "
                    f"{_us(wall)} wall time per call | ≤ +300 µs per call |")
        a, f = median_of(single["agents"], "p50_ms"), median_of(single["floor"], "p50_ms")
        rows.append(f"| Python SSE, creative (1 streamed call): p50 | {_ms(a)} | {_ms(f)} | {_us(a - f)} | ≤ +300 µs |")
        a, f = median_of(single["agents"], "ttft_p50_ms"), median_of(single["floor"], "ttft_p50_ms")
        rows.append(f"| Python SSE, creative: time to first token p50 | {_ms(a)} | {_ms(f)} | {_us(a - f)} | ≤ +200 µs |")
        for level in python.get("python_sdk") or []:
            label = "sequential" if level["concurrency"] == 1 else f"{level['concurrency']} concurrent"
            rows.append(f"| Python SSE, math, {label}: Python Agents SDK `Runner.run_streamed` runs/s (p50) | "
                        f"{level['runs_per_second']:.0f} ({_ms(level['p50_ms'])}) | | | |")
    llama = results.get("llama")
    if llama:
        rows += llama_rows(llama)
        ask = llama.get("ask_vs_curl", {})
        if "ask_ttft_p50_ms" in ask:
            rows.append(
                f"| llama.cpp: `agents ask` vs `curl`, new process each, spawn to first token p50 | "
                f"{_ms(ask['ask_ttft_p50_ms'])} (process start {_ms(ask['agents_start_p50_ms'])}) | "
                f"{_ms(ask['curl_ttft_p50_ms'])} (process start {_ms(ask['curl_start_p50_ms'])}) | "
                f"{_us(ask['ask_ttft_p50_ms'] - ask['curl_ttft_p50_ms'])} | |")
    loads = [value for part in ("python", "llama") if results.get(part)
             for key in ("sequential", "concurrent", "single_call") if key in results[part]
             for value in results[part][key]["load"]]
    header = (f"Front door, {results['started_at']}: median of {results['rounds']} rounds; load average (1 min) "
              f"{results['load_start'][0]:.2f} at the start, {min(loads, default=0):.2f}–{max(loads, default=0):.2f} "
              f"over the rounds, {results['load_end'][0]:.2f} at the end; {os.cpu_count()} cores.\n\n")
    per_round = "; ".join(
        f"{part} {key.replace('_', ' ')}: " + ", ".join(f"{value:.1f}" for value in results[part][key]["load"])
        for part in ("python", "llama") if results.get(part)
        for key in ("sequential", "concurrent", "single_call") if key in results[part])
    return header + "\n".join(rows) + f"\n\nLoad average (1 min) after each round: {per_round}.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=Path, required=True, help="the release `agents` binary")
    parser.add_argument("--python", help="python of the openai-agents venv (leave out to skip the Python SDK)")
    parser.add_argument("--runs", type=int, default=2000, help="runs per measurement (sequential)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--llama-port", type=int, default=11509)
    parser.add_argument("--llama-rounds", type=int, default=12, help="alternating rounds on llama.cpp's server")
    parser.add_argument("--llama-runs", type=int, default=20, help="calls per round and side on llama.cpp's server")
    parser.add_argument("--llama-threads", type=int, default=0,
                        help="threads llama.cpp's server computes with (default: one per core); with fewer than the "
                             "cores, the clients have a core of their own")
    parser.add_argument("--no-llama", action="store_true", help="skip llama.cpp's server")
    parser.add_argument("--no-python", action="store_true", help="skip the Python server (and the Python SDK)")
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()
    results: dict = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load_start": load(),
                     "rounds": arguments.rounds, "runs": arguments.runs}
    with tempfile.TemporaryDirectory(prefix="agents-front-door-") as directory:
        if not arguments.no_python:
            results["python"] = python_server_benchmarks(arguments, arguments.agents, Path(directory))
        if not arguments.no_llama:
            results["llama"] = llama_benchmarks(arguments, arguments.agents, Path(directory))
    results["load_end"] = load()
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
