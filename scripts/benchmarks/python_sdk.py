"""The Python OpenAI Agents SDK on the same workload as `AgentsBenchmarks agent-run` and `memory`.

Run with the venv `scripts/benchmark` creates (openai-agents from PyPI), against a fake server started
with `AgentsBenchmarks serve`. Prints one JSON object on the last line of stdout.

    python_sdk.py runs --server URL --runs 300 --concurrency 1
    python_sdk.py memory --server URL --conversations 256
    python_sdk.py streamed --server URL --runs 200 --concurrency 32   # against scripts/benchmarks/sse_server.py

The agent mirrors Benchmarks/AgentsBenchmarks/BenchmarkWorkload.swift: same model name, instructions,
question and one function tool, which the fake model calls once before answering (two model calls a run).
`streamed` mirrors `agents bench --agent math` instead: `Runner.run_streamed` with a `calculator` tool, every
event drained, against the Python SSE server of `front_door.py` (which calls `calculator` once, then answers).
"""

import time

_import_start = time.perf_counter()
import agents  # noqa: E402  (timed on purpose)

IMPORT_SECONDS = time.perf_counter() - _import_start

import argparse  # noqa: E402
import importlib.metadata  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

from openai import AsyncOpenAI  # noqa: E402

MODEL_NAME = "llama3.2"
INSTRUCTIONS = "You report the weather. Call get_weather, then answer in one sentence."
QUESTION = "What is the weather in Paris?"
ANSWER = "It is sunny in Paris, 22 °C, with a light breeze from the west."


@agents.function_tool
def get_weather(city: str) -> str:
    """The current weather in a city.

    Args:
        city: The city, e.g. "Paris".
    """
    return f"Sunny, 22 °C in {city}, light westerly breeze."


@agents.function_tool
def calculator(expression: str) -> str:
    """Evaluates an arithmetic expression.

    Args:
        expression: The expression, e.g. "17 * 23".
    """
    return "391" if expression.replace(" ", "") == "17*23" else "unsupported"


def make_math_agent(server: str) -> agents.Agent:
    client = AsyncOpenAI(base_url=server, api_key="none")
    model = agents.OpenAIChatCompletionsModel(model="bench-model", openai_client=client)
    return agents.Agent(name="Math Tutor", instructions="You are a patient math tutor. Use the calculator.",
                        model=model, tools=[calculator])


async def one_streamed_run(agent: agents.Agent, session=None) -> None:
    result = agents.Runner.run_streamed(agent, "What is 17 * 23?")
    async for _ in result.stream_events():
        pass
    if not result.final_output:
        raise SystemExit("the streamed run produced no answer")


def make_agent(server: str) -> agents.Agent:
    client = AsyncOpenAI(base_url=server, api_key="ollama")
    model = agents.OpenAIChatCompletionsModel(model=MODEL_NAME, openai_client=client)
    return agents.Agent(name="Weather", instructions=INSTRUCTIONS, model=model, tools=[get_weather])


async def one_run(agent: agents.Agent, session=None) -> None:
    result = await agents.Runner.run(agent, QUESTION, session=session)
    if result.final_output != ANSWER:
        raise SystemExit(f"the scripted run did not go tool call -> answer: {result.final_output!r}")


def percentile(samples: list[float], percent: float) -> float:
    ordered = sorted(samples)
    rank = max(math.ceil(percent / 100 * len(ordered)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


async def measure(agent: agents.Agent, total: int, concurrency: int, run=one_run) -> dict:
    latencies: list[float] = []

    async def worker(share: int) -> None:
        for _ in range(share):
            start = time.perf_counter()
            await run(agent)
            latencies.append((time.perf_counter() - start) * 1000)

    workers = min(concurrency, total)
    shares = [total // workers + (1 if index < total % workers else 0) for index in range(workers)]
    start = time.perf_counter()
    await asyncio.gather(*(worker(share) for share in shares))
    seconds = time.perf_counter() - start
    return {
        "runs": total,
        "runs_per_second": round(total / seconds, 1),
        "p50_ms": round(percentile(latencies, 50), 3),
        "p95_ms": round(percentile(latencies, 95), 3),
    }


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


async def runs_mode(arguments) -> dict:
    agent = make_agent(arguments.server)
    await measure(agent, max(arguments.concurrency * 2, 10), arguments.concurrency)  # warm-up
    result = await measure(agent, arguments.runs, arguments.concurrency)
    result.update(concurrency=arguments.concurrency, peak_rss_mb=peak_rss_mb())
    return result


async def streamed_mode(arguments) -> dict:
    agent = make_math_agent(arguments.server)
    await measure(agent, max(arguments.concurrency * 2, 10), arguments.concurrency, one_streamed_run)  # warm-up
    result = await measure(agent, arguments.runs, arguments.concurrency, one_streamed_run)
    result.update(concurrency=arguments.concurrency, peak_rss_mb=peak_rss_mb())
    return result


async def memory_mode(arguments) -> dict:
    agent = make_agent(arguments.server)
    sessions = [agents.SQLiteSession(f"conversation-{index}") for index in range(arguments.conversations)]
    await asyncio.gather(*(one_run(agent, session) for session in sessions))
    items = sum([len(await session.get_items()) for session in sessions])
    return {"conversations": arguments.conversations, "session_items": items, "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["runs", "memory", "streamed"])
    parser.add_argument("--server", required=True, help="OpenAI base URL of `AgentsBenchmarks serve`")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--conversations", type=int, default=256)
    arguments = parser.parse_args()
    agents.set_tracing_disabled(True)
    mode = {"runs": runs_mode, "memory": memory_mode, "streamed": streamed_mode}[arguments.mode]
    result = asyncio.run(mode(arguments))
    result.update(
        sdk="openai-agents " + importlib.metadata.version("openai-agents"),
        python=sys.version.split()[0],
        import_agents_seconds=round(IMPORT_SECONDS, 3),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
