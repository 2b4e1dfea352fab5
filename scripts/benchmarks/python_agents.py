"""The built-in agents on the Python OpenAI Agents SDK, scored like `agents test`, for a side-by-side pass rate.

The agents (names, instructions, temperature, max_tokens, tool_choice, tools with their descriptions and JSON
schemas, handoffs) come from `agents list --json`, and the scenarios with their checks from
`agents test --list-scenarios`, so both SDKs get exactly the same prompts. Only the tools' bodies are written
again here (a calculator with the same grammar, read-only workspace tools). Tracing is disabled: nothing is sent
anywhere but the given server.

    python_agents.py --agents .build/debug/agents --base-url http://127.0.0.1:11435/v1 \
        --model qwen2.5-coder-0.5b --repeat 5 [--scenarios FILE] [--agent ID] [--json]

Run it with the venv `scripts/benchmark` creates (openai-agents from PyPI). Prints a table (or one JSON object on
the last line of stdout) with per-scenario and per-agent pass rates in the shape of `agents test --json`.
"""

import argparse
import asyncio
import importlib.metadata
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import agents
from openai import AsyncOpenAI

# MARK: the tools' bodies


class CalculatorError(Exception):
    pass


FUNCTIONS = {
    "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan, "log": math.log10, "ln": math.log,
    "abs": abs, "round": round, "floor": math.floor, "ceil": math.ceil, "min": min, "max": max,
}
CONSTANTS = {"pi": math.pi, "e": math.e}
TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)|([A-Za-z_]+)|(\*\*|[-+*/^%(),×÷]))")


def calculate(expression: str) -> float:
    """The calculator's grammar: + - * / ^, `15%` and `15% of 80` as percentages, `17 % 5` as the remainder,
    parentheses, functions and constants (the Swift calculator's, in Sources/AgentTools/Calculator)."""
    tokens, position = [], 0
    while position < len(expression.rstrip()):
        match = TOKEN.match(expression, position)
        if not match:
            raise CalculatorError(f"unexpected character at {position + 1}")
        number, name, symbol = match.groups()
        tokens.append(("num", float(number)) if number else ("name", name.lower()) if name else ("op", symbol))
        position = match.end()
    index = 0

    def peek(offset=0):
        return tokens[index + offset] if index + offset < len(tokens) else (None, None)

    def take():
        nonlocal index
        index += 1
        return tokens[index - 1]

    def expect(symbol):
        if peek() != ("op", symbol):
            raise CalculatorError(f"expected '{symbol}'")
        take()

    def expression_():
        value = term()
        while peek() in (("op", "+"), ("op", "-")):
            value = value + term() if take()[1] == "+" else value - term()
        return value

    def term():
        value = unary()
        while peek()[0] == "op" and peek()[1] in "*/×÷%":
            operator = take()[1]
            right = unary()
            if operator in "*×":
                value *= right
            elif operator == "%":
                value = math.fmod(value, right)
            else:
                if right == 0:
                    raise CalculatorError("division by zero")
                value /= right
        return value

    def unary():
        if peek() == ("op", "-"):
            take()
            return -unary()
        if peek() == ("op", "+"):
            take()
        return power()

    def power():
        value = primary()
        if peek() == ("op", "%") and not starts_operand(peek(1)):
            take()
            value /= 100
            if peek() == ("name", "of"):
                take()
                value *= unary()
        if peek() in (("op", "^"), ("op", "**")):
            take()
            value = value ** unary()
        return value

    def starts_operand(token):
        kind, value = token
        return kind in ("num", "name") and value != "of" or token == ("op", "(")

    def primary():
        kind, value = take() if index < len(tokens) else (None, None)
        if kind == "num":
            return value
        if kind == "op" and value == "(":
            inner = expression_()
            expect(")")
            return inner
        if kind == "name" and value in CONSTANTS:
            return CONSTANTS[value]
        if kind == "name" and value in FUNCTIONS:
            expect("(")
            arguments = [expression_()]
            while peek() == ("op", ","):
                take()
                arguments.append(expression_())
            expect(")")
            try:
                return float(FUNCTIONS[value](*arguments))
            except (ValueError, TypeError) as error:
                raise CalculatorError(f"{value}: {error}") from None
        raise CalculatorError("unexpected end" if kind is None else f"unexpected '{value}'")

    result = expression_()
    if index != len(tokens):
        raise CalculatorError(f"unexpected '{tokens[index][1]}'")
    return result


def formatted(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


# The edit tools run only after a person approved them; unattended, `agents test` rejects every call of them.
APPROVAL_TOOLS = {"write_file", "apply_patch"}


def tool_body(name: str, workspace: Path):
    def confined(path: str) -> Path:
        resolved = (workspace / (path or ".")).resolve()
        if resolved != workspace and workspace not in resolved.parents:
            raise ValueError(f"{path} is outside the workspace")
        return resolved

    def calculator(arguments: dict) -> str:
        expression = str(arguments.get("expression", ""))
        try:
            return f"{expression} = {formatted(calculate(expression))}"
        except (CalculatorError, OverflowError, ZeroDivisionError) as error:
            return f"Error: {error}. Fix the expression and call the calculator again."

    def list_files(arguments: dict) -> str:
        root = confined(arguments.get("path", "."))
        pattern = "**/*" if arguments.get("recursive") else "*"
        entries = sorted(str(path.relative_to(workspace)) + ("/" if path.is_dir() else "") for path in root.glob(pattern))
        return "\n".join(entries[:500]) or "(empty)"

    def read_file(arguments: dict) -> str:
        lines = confined(arguments["path"]).read_text(errors="replace").splitlines()
        start, end = int(arguments.get("start_line") or 1), int(arguments.get("end_line") or len(lines))
        return "\n".join(lines[start - 1:end])

    def search_text(arguments: dict) -> str:
        root, query, hits = confined(arguments.get("path", ".")), arguments["query"], []
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file() and len(hits) < 100:
                for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                    if query in line:
                        hits.append(f"{path.relative_to(workspace)}:{number}: {line.strip()}")
        return "\n".join(hits) or "no matches"

    def unattended(_arguments: dict) -> str:
        # What `agents test` answers a call that needs approval (ConversationApprovals.rejectUnattended).
        return (f"The call of '{name}' needs a person's approval, and nobody can approve it in this run, "
                "so it did not run. Answer without it.")

    bodies = {"calculator": calculator, "list_files": list_files, "read_file": read_file, "search_text": search_text}
    if name in APPROVAL_TOOLS:
        return unattended
    if name not in bodies:
        raise SystemExit(f"this script has no body for the tool '{name}'; add one to tool_body()")
    return bodies[name]


def function_tool(definition: dict, workspace: Path) -> agents.FunctionTool:
    body = tool_body(definition["name"], workspace)

    async def invoke(_context, arguments: str) -> str:
        try:
            return body(json.loads(arguments or "{}"))
        except Exception as error:  # reported to the model, like the Swift tools' failures
            return f"Error: {error}"

    return agents.FunctionTool(
        name=definition["name"], description=definition["description"],
        params_json_schema=definition["parameters"], on_invoke_tool=invoke, strict_json_schema=False)


# MARK: agents and scenarios from the CLI


def cli_json(binary: str, arguments: list[str]):
    completed = subprocess.run([binary, *arguments], capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"`agents {' '.join(arguments)}` failed: {completed.stderr.strip()}")
    return json.loads(completed.stdout)


def build_agents(definitions: list[dict], server: str, model_name: str, workspace: Path) -> dict:
    client = AsyncOpenAI(base_url=server, api_key=os.environ.get("OPENAI_API_KEY", "local"))
    model = agents.OpenAIChatCompletionsModel(model=model_name, openai_client=client)
    built = {}
    for definition in definitions:
        settings = agents.ModelSettings(
            temperature=definition["temperature"], max_tokens=definition["max_tokens"],
            tool_choice=definition["tool_choice"])
        built[definition["id"]] = agents.Agent(
            name=definition["name"], instructions=definition["instructions"], model=model, model_settings=settings,
            handoff_description=definition["description"] or None,
            tools=[function_tool(tool, workspace) for tool in definition["tool_definitions"]])
    for definition in definitions:
        built[definition["id"]].handoffs = [built[target] for target in definition["handoffs"] if target in built]
    return built


def numbers(text: str) -> list[float]:
    """The numbers written in `text`, read like `agents test` does: `7,006,652` is 7006652, `-3.5` is -3.5."""
    found = []
    for match in re.finditer(r"(?<![\d.])([-−]?)(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(\.\d+)?", text):
        sign, whole, fraction = match.groups()
        found.append((-1 if sign else 1) * float(whole.replace(",", "") + (fraction or "")))
    return found


def failures(checks: list[dict], answer: str, answered_by: str, tools: list[str]) -> list[str]:
    reasons = []
    lowered = answer.lower()
    for check in checks:
        (kind, value), = check.items()
        if kind == "contains_any" and not any(text.lower() in lowered for text in value):
            reasons.append(f"the answer mentions none of: {', '.join(value)}")
        elif kind == "contains_all" and not all(text.lower() in lowered for text in value):
            reasons.append(f"the answer lacks one of: {', '.join(value)}")
        elif kind == "contains_number" and not any(abs(n - value) <= max(1e-9, abs(value) * 1e-9) for n in numbers(answer)):
            reasons.append(f"the answer does not contain {formatted(value)}")
        elif kind == "used_tool" and value not in tools:
            reasons.append(f"the {value} tool was not used")
        elif kind == "answered_by" and answered_by != value:
            reasons.append(f"answered by {answered_by}, not {value}")
        elif kind == "min_length" and len(answer.strip()) < value:
            reasons.append(f"the answer is shorter than {value} characters")
        elif kind == "min_lines" and len([line for line in answer.splitlines() if line.strip()]) < value:
            reasons.append(f"the answer has fewer than {value} lines")
    return reasons


async def run_scenario(agent: agents.Agent, scenario: dict, round_number: int) -> dict:
    start = time.perf_counter()
    try:
        result = await agents.Runner.run(agent, scenario["prompt"], max_turns=10)
        answer, answered_by = str(result.final_output or ""), result.last_agent.name
        tools = [item.raw_item.name for item in result.new_items if isinstance(item, agents.ToolCallItem)]
        reasons = failures(scenario["checks"], answer, answered_by, tools)
    except Exception as error:  # the run's error is the failure, as in `agents test`
        answer, answered_by, tools, reasons = "", agent.name, [], [f"{type(error).__name__}: {error}"]
    return {
        "test_name": scenario["name"], "agent": scenario["agent"], "round": round_number, "success": not reasons,
        "response_time": round(time.perf_counter() - start, 3), "error": "; ".join(reasons) or None,
        "answered_by": answered_by, "tools_called": tools, "answer": answer,
    }


def summary(results: list[dict], key: str) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for result in results:
        groups.setdefault(result[key], []).append(result)
    rows = []
    for name, runs in groups.items():
        passed = sum(run["success"] for run in runs)
        row = {"name" if key == "test_name" else "agent": name, "runs": len(runs), "passed": passed,
               "pass_rate": round(passed / len(runs), 3),
               "mean_time": round(statistics.mean(run["response_time"] for run in runs), 3)}
        if key == "test_name":
            errors = [run["error"] for run in runs if run["error"]]
            row["failures"] = sorted(set(errors), key=lambda error: (-errors.count(error), error))
        rows.append(row)
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", default="agents", help="the agents executable (for the agents and scenarios)")
    parser.add_argument("--base-url", required=True, help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11435/v1")
    parser.add_argument("--model", required=True)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--scenarios", help="a scenario file (agents test --scenarios format)")
    parser.add_argument("--agent", help="only this agent's scenarios")
    parser.add_argument("--workspace", default=".", help="the root the file tools read")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    if not 1 <= options.repeat <= 1000:
        raise SystemExit("--repeat must be between 1 and 1000")

    agents.set_tracing_disabled(True)  # nothing leaves the machine but the model requests
    agents.set_default_openai_api("chat_completions")
    common = ["--base-url", options.base_url, "--provider", "openai", "--model", options.model]
    selection = (["--scenarios", options.scenarios] if options.scenarios else []) + (
        ["--agent", options.agent] if options.agent else [])
    definitions = cli_json(options.agents, ["list", "--json", *common])
    scenarios = cli_json(options.agents, ["test", "--list-scenarios", *selection, *common])["scenarios"]
    built = build_agents(definitions, options.base_url, options.model, Path(options.workspace).resolve())

    results = []
    for round_number in range(1, options.repeat + 1):
        for scenario in scenarios:
            result = await run_scenario(built[scenario["agent"]], scenario, round_number)
            results.append(result)
            mark = "✓" if result["success"] else "✗"
            print(f"{mark} {result['test_name']} [{len(results)}/{len(scenarios) * options.repeat}] "
                  f"{result['response_time']:.1f}s", file=sys.stderr, flush=True)

    passed = sum(result["success"] for result in results)
    report = {
        "sdk": f"openai-agents {importlib.metadata.version('openai-agents')} (Python {sys.version.split()[0]})",
        "model": options.model, "server": options.base_url, "repeat": options.repeat,
        "scenarios": summary(results, "test_name"), "agents": summary(results, "agent"), "results": results,
        "totals": {"tests": len(results), "passed": passed, "failed": len(results) - passed,
                   "pass_rate": round(passed / len(results), 3) if results else 0},
    }
    if options.json:
        print(json.dumps(report))
    else:
        for row in report["scenarios"]:
            failure = row["failures"][0][:80] if row["failures"] else ""
            print(f"{row['name']:<28} {row['passed']:>3}/{row['runs']:<3} {row['pass_rate'] * 100:4.0f}%  "
                  f"{row['mean_time']:6.2f}s  {failure}")
        print()
        for row in report["agents"]:
            print(f"{row['agent']:<10} {row['passed']:>3}/{row['runs']:<3} {row['pass_rate'] * 100:4.0f}%  {row['mean_time']:6.2f}s")
        print(f"\n{passed}/{len(results)} passed ({report['sdk']})")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    asyncio.run(main())
