"""Runs every benchmark of `scripts/benchmark` and writes results/benchmarks.json and results/benchmarks.md.

Called by `scripts/benchmark` after the release build and the Python venv are ready:

    run_all.py --bin .build/release --python ~/.cache/ollama-agents/venv-openai-agents/bin/python --out results

All agent benchmarks, Swift and Python alike, talk to one `AgentsBenchmarks serve` process started here.
Uses only the Python standard library.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def log(message: str) -> None:
    print(f"[benchmark] {message}", file=sys.stderr, flush=True)


def run_json(command: list[str], json_file: Path | None = None) -> dict:
    """Runs a benchmark command; returns the JSON it wrote to `json_file` or printed as its last line."""
    log(" ".join(str(part) for part in command))
    completed = subprocess.run(command, capture_output=True, text=True)
    sys.stderr.write(completed.stdout if json_file else completed.stdout.rsplit("\n", 2)[0] + "\n")
    if completed.returncode not in (0, 1) or (completed.returncode == 1 and json_file and not json_file.exists()):
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"benchmark command failed ({completed.returncode}): {' '.join(map(str, command))}")
    if json_file:
        return json.loads(json_file.read_text())
    return json.loads(completed.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal")))
    os_name = next((line.split("=", 1)[1].strip('"') for line in Path("/etc/os-release").read_text().splitlines()
                    if line.startswith("PRETTY_NAME=")), platform.platform())
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    return {
        "cores": os.cpu_count(), "cpu": cpu, "ram_gb": round(memory_kb / 1024 / 1024, 1), "os": os_name,
        "kernel": platform.release(), "swift": next((line for line in swift if "Swift version" in line), "?"),
        "python": platform.python_version(),
    }


def cold_start(binary: Path, arguments: list[str], runs: int) -> dict:
    """Median wall time of `agents <arguments>` in fresh, empty AGENTS_HOME and XDG directories."""
    with tempfile.TemporaryDirectory(prefix="agents-cold-start-") as directory:
        home = Path(directory)
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("AGENTS_", "OLLAMA_", "OPENAI_"))}
        for name in ("AGENTS_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            (home / name.lower()).mkdir()
            environment[name] = str(home / name.lower())
        command = [str(binary), *arguments]
        times = []
        for index in range(runs + 3):  # three warm-ups fill the page cache
            start = time.perf_counter()
            completed = subprocess.run(command, cwd=home, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = (time.perf_counter() - start) * 1000
            if completed.returncode != 0:
                raise SystemExit(f"`agents {' '.join(arguments)}` failed: {completed.stderr.decode().strip()}")
            if index >= 3:
                times.append(elapsed)
    return {"runs": runs, "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2)}


def python_import_time(python: str, runs: int) -> dict:
    """Median wall time of `python -c "import agents"` and of a bare interpreter start."""
    def median_ms(code: str) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([python, "-c", code], check=True)
            times.append((time.perf_counter() - start) * 1000)
        return round(statistics.median(times), 1)
    return {"runs": runs, "import_agents_process_ms": median_ms("import agents"), "bare_python_ms": median_ms("pass")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", type=Path, required=True, help="release build directory")
    parser.add_argument("--python", required=True, help="python of the openai-agents venv")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--quick", action="store_true", help="a tenth of the runs, written to a temporary directory")
    arguments = parser.parse_args()
    scale = 0.1 if arguments.quick else 1.0
    count = lambda n: max(int(n * scale), 1)  # noqa: E731
    bench = str(arguments.bin / "AgentsBenchmarks")
    results: dict = {"machine": machine(), "load_average_start": os.getloadavg(),
                     "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    work = Path(tempfile.mkdtemp(prefix="agents-benchmarks-"))

    server = subprocess.Popen([bench, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    if not url.startswith("http"):
        raise SystemExit(f"`AgentsBenchmarks serve` did not print its URL (got {url!r})")
    log(f"fake server at {url}")
    try:
        results["agent_run"] = run_json(
            [bench, "agent-run", "--server", url, "--runs", str(count(3000)), "--concurrency", "1,32,256",
             "--json", str(work / "agent-run.json")], work / "agent-run.json")
        results["python_runs"] = [
            run_json([arguments.python, str(HERE / "python_sdk.py"), "runs", "--server", url,
                      "--runs", str(count(runs)), "--concurrency", str(concurrency)])
            for concurrency, runs in ((1, 300), (32, 640))
        ]
        results["streaming"] = run_json(
            [bench, "streaming", "--server", url, "--runs", str(count(1000)), "--json", str(work / "streaming.json")],
            work / "streaming.json")
        results["memory"] = [
            run_json([bench, "memory", "--server", url, "--conversations", str(level),
                      "--json", str(work / f"memory-{level}.json")], work / f"memory-{level}.json")
            for level in (1, 32, 256)
        ]
        results["python_memory"] = [
            run_json([arguments.python, str(HERE / "python_sdk.py"), "memory", "--server", url,
                      "--conversations", str(level)])
            for level in (1, 32, 256)
        ]
    finally:
        server.terminate()
        server.wait()
    results["run_loop"] = run_json(
        [bench, "run-loop", "--runs", str(count(20000)), "--json", str(work / "run-loop.json")], work / "run-loop.json")
    results["sse"] = run_json([bench, "sse", "--json", str(work / "sse.json")], work / "sse.json")
    log("cold starts")
    agents_binary = arguments.bin / "agents"
    results["cold_start"] = {
        "version": cold_start(agents_binary, ["--version"], count(50)),
        "list": cold_start(agents_binary, ["list"], count(50)),
    }
    results["python_import"] = python_import_time(arguments.python, count(10))
    results["load_average_end"] = os.getloadavg()
    e2e = arguments.out / "e2e-timings.json"
    if e2e.exists():
        results["e2e_timings"] = json.loads(e2e.read_text())

    sys.path.insert(0, str(HERE))
    from report import markdown  # noqa: E402

    if arguments.quick:  # a smoke test never replaces the recorded results
        arguments.out = work
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "benchmarks.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = markdown(results)
    (arguments.out / "benchmarks.md").write_text(table)
    print(table)
    log(f"wrote {arguments.out / 'benchmarks.json'} and {arguments.out / 'benchmarks.md'}")


if __name__ == "__main__":
    main()
