"""Speed through the front door: `agents bench`, streamed as chat is, against servers we did not write.

Called by `scripts/benchmark front-door` (and by the full `scripts/benchmark`) after the release build:

    front_door.py --agents .build/release/agents --python VENV/bin/python [--runs 2000] [--rounds 3]
                  [--llama-port 11509 [--llama-calls 480] [--llama-threads N] [--no-llama-control] | --no-llama]
                  [--no-python] [--json FILE]

Servers:
- `sse_server.py`: a standard-library Python SSE server (HTTP/1.1, chunked, one write per chunk, kept-alive,
  zero model latency). The math agent calls `calculator` once, then answers: two streamed model calls per run.
- llama.cpp's server from `scripts/local-model-server` with the smallest model (smollm2-135m), when it can be
  provisioned: one streamed call of a writer agent whose answer is the same every call (`llama-agent.yaml`:
  temperature 0, fixed seed), and time to first token; the floor and `agents bench --paced` take turns call by
  call (`--llama-calls` each), every call's times kept with llama.cpp's own times for it (its log), and a control:
  two raw clients in the same turns (`front_door_llama.py`). The server computes with one thread less than the
  cores (`--llama-threads`), so the client being measured has a core of its own.

Every figure has the streamed floor beside it: the same requests the SDK sent, head and body (the server records
them), replayed by `raw_client.py` as bare POSTs on kept-alive connections, at the same concurrency, in the same
rounds. On the Python server the figures are medians over `--rounds` rounds that alternate floor and agent; the load
average is recorded with each round. Prints a markdown table; `--json FILE` writes everything measured.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import front_door_llama as llama_cpp  # noqa: E402
import raw_client  # noqa: E402
from agents_cli import Agents, log, recorded, recorded_bodies  # noqa: E402
from front_door_llama import median_of, ms_text as _ms, us_text as _us  # noqa: E402

CONCURRENCY = 32


def load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


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


def captured_request(agents: Agents) -> tuple[bytes, list]:
    """The exact body and header lines `agents` sends for one run of llama.cpp's agent, recorded on a Python server
    of its own (`agents` is pointed at it here)."""
    recorder = subprocess.Popen([sys.executable, str(HERE / "sse_server.py"), "--port", "0"],
                                stdout=subprocess.PIPE, text=True)
    try:
        agents.server = recorder.stdout.readline().strip()
        agents.bench(llama_cpp.AGENT, 1, 1, llama_cpp.PROMPT)
        return recorded_bodies(agents.server)["answer"], recorded(agents.server, "request-headers")["answer"]
    finally:
        recorder.terminate()
        recorder.wait()


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


# --- the table ----------------------------------------------------------------------------------------------------


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
        rows += llama_cpp.llama_rows(llama)
        ask = llama.get("ask_vs_curl", {})
        if "ask_ttft_p50_ms" in ask:
            rows.append(
                f"| llama.cpp: `agents ask` vs `curl`, new process each, spawn to first token p50 | "
                f"{_ms(ask['ask_ttft_p50_ms'])} (process start {_ms(ask['agents_start_p50_ms'])}) | "
                f"{_ms(ask['curl_ttft_p50_ms'])} (process start {_ms(ask['curl_start_p50_ms'])}) | "
                f"{_us(ask['ask_ttft_p50_ms'] - ask['curl_ttft_p50_ms'])} | |")
    loads = [value for key in ("sequential", "concurrent", "single_call") if results.get("python")
             for value in results["python"][key]["load"]] + (llama_cpp.llama_loads(llama) if llama else [])
    rounds = f"Python server: median of {results['rounds']} rounds; " if python else ""
    header = (f"Front door, {results['started_at']}: {rounds}load average (1 min) {results['load_start'][0]:.2f} at "
              f"the start, {min(loads, default=0):.2f}–{max(loads, default=0):.2f} during, "
              f"{results['load_end'][0]:.2f} at the end; {os.cpu_count()} cores.\n\n")
    per_round = "; ".join(
        f"{key.replace('_', ' ')}: " + ", ".join(f"{value:.1f}" for value in results["python"][key]["load"])
        for key in ("sequential", "concurrent", "single_call") if results.get("python"))
    loads_text = f"Load average (1 min) after each round on the Python server: {per_round}.\n" if per_round else ""
    if llama:
        loads_text += ("Load average (1 min) at the start and end of the llama.cpp turns: "
                       + ", ".join(f"{value:.1f}" for value in llama_cpp.llama_loads(llama)) + ".\n")
    return header + "\n".join(rows) + "\n\n" + loads_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=Path, required=True, help="the release `agents` binary")
    parser.add_argument("--python", help="python of the openai-agents venv (leave out to skip the Python SDK)")
    parser.add_argument("--runs", type=int, default=2000, help="runs per measurement (sequential)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--llama-port", type=int, default=11509)
    parser.add_argument("--llama-calls", type=int, default=480,
                        help="calls of each side on llama.cpp's server, the two sides taking turns")
    parser.add_argument("--no-llama-control", dest="llama_control", action="store_false",
                        help="leave out the control (two raw clients taking turns: the method's noise)")
    parser.add_argument("--llama-threads", type=int, default=max((os.cpu_count() or 1) - 1, 1),
                        help="threads llama.cpp's server computes with (default: one less than the cores, so the "
                             "client being measured has a core of its own; on 2 cores with 2 server threads the "
                             "raw client's CPU made the server's own time some 2 ms a call slower than `agents`'s)")
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
            results["llama"] = llama_cpp.llama_benchmarks(arguments, Agents, arguments.agents, Path(directory),
                                                          captured_request)
    results["load_end"] = load()
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
