"""Driving the `agents` binary from the front door's benchmarks (`front_door.py`, `front_door_llama.py`): `agents bench`
in a private, empty home, and the requests it sent as `sse_server.py` recorded them."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path


def log(message: str) -> None:
    """A progress line on standard error."""
    print(f"[front-door] {message}", file=sys.stderr, flush=True)


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

    def command(self, *arguments: str) -> list[str]:
        configuration = ["--config", str(self.config)] if self.config else []
        return [str(self.binary), *arguments, "--base-url", self.server, "--provider", "openai",
                "--model", self.model, *configuration]

    def bench(self, agent: str, runs: int, concurrency: int, prompt: str | None = None) -> dict:
        """`agents bench --json`: its report."""
        command = self.command("bench", "--agent", agent, "--runs", str(runs), "--concurrency", str(concurrency),
                               "--max-concurrent-requests", "0", "--json")
        if prompt:
            command += ["--prompt", prompt]
        completed = subprocess.run(command, cwd=self.home, env=self.environment, capture_output=True, text=True)
        if completed.returncode != 0:
            raise SystemExit(f"`agents bench` failed ({completed.returncode}): {completed.stderr.strip()}")
        report = json.loads(completed.stdout.strip().splitlines()[-1])
        if report["errors"]:
            raise SystemExit(f"`agents bench` had {report['errors']} failed runs: {completed.stderr.strip()}")
        return report


def recorded(server: str, what: str) -> dict:
    """The last request of each kind the Python server received: `sse_server.py`'s /bench/requests (bodies) or
    /bench/request-headers (name, value pairs)."""
    with urllib.request.urlopen(server.removesuffix("/v1") + "/bench/" + what, timeout=10) as response:
        return json.loads(response.read())


def recorded_bodies(server: str) -> dict:
    """The last request body of each kind the Python server received."""
    return {kind: body.encode() for kind, body in recorded(server, "requests").items()}
