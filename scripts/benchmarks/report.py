"""Turns the results `run_all.py` collected into the markdown table of results/benchmarks.md."""


def _level(levels: list[dict], concurrency: int) -> dict | None:
    return next((level for level in levels if level["concurrency"] == concurrency), None)


def _ratio(swift: float, python: float) -> str:
    return f"**{swift / python:.1f}×**" if python else "—"


def _ms(value: float) -> str:
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def _us(milliseconds: float) -> str:
    return f"{milliseconds * 1000:.0f} µs" if abs(milliseconds) < 1 else f"{milliseconds:.1f} ms"


def markdown(results: dict) -> str:
    machine = results["machine"]
    run = results["agent_run"]["levels"]
    python_runs = {entry["concurrency"]: entry for entry in results["python_runs"]}
    python_memory = {entry["conversations"]: entry for entry in results["python_memory"]}
    sdk = results["python_runs"][0]["sdk"]
    rows = [
        "| measurement | OllamaAgents (Swift) | raw HTTP floor | Python Agents SDK | Swift ÷ Python | target |",
        "|---|---|---|---|---|---|",
    ]
    for concurrency in (1, 32, 256):
        level = _level(run, concurrency)
        if not level:
            continue
        python = python_runs.get(concurrency)
        label = "sequential" if concurrency == 1 else f"{concurrency} concurrent"
        swift, raw = level["framework"], level["raw"]
        rows.append(
            f"| agent runs/s, {label} | {swift['runs_per_second']:.0f} | {raw['runs_per_second']:.0f} | "
            f"{python['runs_per_second']:.0f} | {_ratio(swift['runs_per_second'], python['runs_per_second'])} | "
            f"{'≥ 10× Python' if concurrency <= 32 else ''} |" if python else
            f"| agent runs/s, {label} | {swift['runs_per_second']:.0f} | {raw['runs_per_second']:.0f} | — | — | |")
        rows.append(
            f"| p50 / p95 per run, {label} | {_ms(swift['p50_ms'])} / {_ms(swift['p95_ms'])} | "
            f"{_ms(raw['p50_ms'])} / {_ms(raw['p95_ms'])} | "
            + (f"{_ms(python['p50_ms'])} / {_ms(python['p95_ms'])} | "
               f"{python['p50_ms'] / swift['p50_ms']:.1f}× faster |" if python else "— | — |") + " |")
        calls = results["agent_run"]["model_calls_per_run"]
        if concurrency == 1:  # latency: the per-run medians apart
            swift_overhead = level["overhead_per_call_ms"]
            python_overhead = (python["p50_ms"] - raw["p50_ms"]) / calls if python else None
            what = "p50 latency"
        else:  # throughput: the time each call costs the saturated process
            swift_overhead = level["wall_time_per_call_ms"]
            python_overhead = ((1 / python["runs_per_second"] - 1 / raw["runs_per_second"]) * 1000 / calls
                               if python else None)
            what = "wall time per call at saturation"
        rows.append(
            f"| overhead per model call above the floor ({what}), {label} | {_us(swift_overhead)} | 0 | "
            + (f"{_us(python_overhead)} | |" if python_overhead is not None else "— | |")
            + (" ≤ 300 µs |" if concurrency == 1 else " |"))
    if "run_loop" in results:
        rows.append(
            f"| the run loop alone (same run, in-memory model: no HTTP, no JSON on the wire), p50 per run | "
            f"{results['run_loop']['p50_us_per_run']:.0f} µs | | | | |")
    streaming = results["streaming"]
    rows.append(
        f"| time to first token, runStreamed vs raw stream (p50) | {_ms(streaming['ttft_framework_p50_ms'])} "
        f"(+{_us(streaming['ttft_overhead_ms'])}) | {_ms(streaming['ttft_raw_p50_ms'])} | — | — | |")
    rows.append(
        f"| streamed run with a tool call (p50) | {_ms(streaming['streamed_run_framework_p50_ms'])} "
        f"(+{_us(streaming['streamed_overhead_per_call_ms'])} per call) | {_ms(streaming['streamed_run_raw_p50_ms'])} | — | — | |")
    sse = results["sse"]
    rows.append(
        f"| SSE parsing / SSE + chunk decoding | {sse['parser_mb_per_second']:.0f} MB/s / "
        f"{sse['decoding_mb_per_second']:.0f} MB/s | | | | ≥ 200 MB/s parser |")
    for memory in results["memory"]:
        level = memory["conversations"]
        python = python_memory.get(level)
        rows.append(
            f"| peak RSS, {level} concurrent conversation{'s' if level > 1 else ''} (run + tool call + session) | "
            f"{memory['peak_rss_mb']:.1f} MB | | " + (f"{python['peak_rss_mb']:.1f} MB | "
                                                       f"{python['peak_rss_mb'] / memory['peak_rss_mb']:.1f}× less |" if python else "— | |")
            + (" ≤ 40 MB |" if level == 256 else " |"))
    cold = results["cold_start"]
    python_import = results["python_import"]
    rows.append(
        f"| cold start `agents --version` (median of {cold['version']['runs']}) | {_ms(cold['version']['median_ms'])} | | "
        f"bare `python -c pass`: {_ms(python_import['bare_python_ms'])} | | |")
    rows.append(
        f"| cold start `agents list` (median of {cold['list']['runs']}) | {_ms(cold['list']['median_ms'])} | | "
        f"`python -c \"import agents\"`: {_ms(python_import['import_agents_process_ms'])} | "
        f"{python_import['import_agents_process_ms'] / cold['list']['median_ms']:.0f}× faster | ≤ 50 ms |")
    start, end = results["load_average_start"], results["load_average_end"]
    header = (
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['ram_gb']} GB RAM, {machine['os']} "
        f"(kernel {machine['kernel']}), {machine['swift']}; Python {results['python_runs'][0]['python']} with {sdk}. "
        f"Load average {start[0]:.2f} / {start[1]:.2f} / {start[2]:.2f} at the start, "
        f"{end[0]:.2f} / {end[1]:.2f} / {end[2]:.2f} at the end ({results['started_at']}).\n\n"
        "Workload: an agent with one function tool against the fake Ollama server (`AgentsBenchmarks serve`, zero "
        "model latency); the model calls the tool once, then answers: two model calls per run. The raw floor sends "
        "the same two request bodies as bare POSTs on kept-alive AsyncHTTPClient connections. Both SDKs talk to the "
        "same server process in the same invocation.\n\n"
    )
    return header + "\n".join(rows) + "\n" + _real_model(results.get("e2e_timings"))


def _real_model(timings: dict | None) -> str:
    """The end-to-end tier's timings against a real model server (results/e2e-timings.json), if recorded."""
    if not timings:
        return ""
    bench = timings.get("bench", {})
    return (
        f"\nReal model, from the end-to-end tier (`results/e2e-timings.json`, recorded {timings['recorded_at']} at load "
        f"average {timings['load_average_1m']}): {timings['model']} on {timings['server']}.\n\n"
        "| measurement | OllamaAgents |\n|---|---|\n"
        f"| time to first token p50 / p95 | {timings['time_to_first_token_p50_ms']:.0f} ms / "
        f"{timings['time_to_first_token_p95_ms']:.0f} ms |\n"
        f"| whole answer p50 ({timings['runs']} runs) | {timings['total_p50_ms'] / 1000:.1f} s |\n"
        f"| generation speed | {timings['tokens_per_second']} tokens/s |\n"
        + (f"| `agents bench` peak RSS | {bench['peak_rss_mb']} MB |\n" if "peak_rss_mb" in bench else "")
    )
