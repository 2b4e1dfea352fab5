"""The `agents serve` test deployment and its checks (stdlib only; scripts/deployment-check runs it).

Starts the fake model server, two `agents serve` replicas sharing one PostgreSQL store, and nginx in front of them
(round robin), then checks:
  1. a ten-turn server-side conversation whose turns alternate between the replicas keeps its whole history;
  2. `kill -9` of the replica running a turn loses no completed turn and duplicates none: the client retries with
     the same Idempotency-Key, nginx sends the retry to the other replica, and a second retry is a replay;
  3. 200 concurrent conversations (two turns each) across the replicas end with zero errors.
Everything it starts is stopped at the end. Prints what it measured and writes it as JSON to --results.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

KEY = "deployment-check-key"


def log(message):
    print(f"deployment-check: {message}", flush=True)


def request(url, body=None, headers=None, method=None, timeout=60):
    """One HTTP exchange; returns (status, headers, parsed JSON or text)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"))
    req.add_header("Authorization", f"Bearer {KEY}")
    if data:
        req.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            raw = response.read()
            status, response_headers = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, response_headers = error.read(), error.code, dict(error.headers)
    try:
        return status, response_headers, json.loads(raw)
    except ValueError:
        return status, response_headers, raw.decode(errors="replace")


NGINX_TEMPLATE = os.path.join(os.path.dirname(__file__), "..", "templates", "nginx-replicas.conf")


def nginx_config(prefix, port, replica_ports):
    """scripts/templates/nginx-replicas.conf filled in for replicas on loopback (the benchmark fills in the same)."""
    with open(NGINX_TEMPLATE) as file:
        template = file.read()
    upstreams = "\n".join(f"    server 127.0.0.1:{replica} max_fails=1 fail_timeout=3s;" for replica in replica_ports)
    fields = {"USER": "user root;" if os.geteuid() == 0 else "", "PREFIX": prefix, "PORT": str(port),
              "UPSTREAMS": upstreams}
    for name, value in fields.items():
        template = template.replace("{{" + name + "}}", value)
    return template


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"deployment-check: error: {what} within {seconds} s")


class Deployment:
    def __init__(self, arguments):
        self.arguments = arguments
        self.directory = tempfile.mkdtemp(prefix="agents-deployment-")
        self.processes = []
        self.replicas = {}  # port -> Popen

    def start_process(self, name, command, env=None):
        out = open(os.path.join(self.directory, f"{name}.log"), "ab")
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.processes.append(process)
        return process

    def start_fake(self):
        port = self.arguments.fake_port
        self.start_process("fake-model-server", [sys.executable, os.path.join(os.path.dirname(__file__),
                                                                              "fake_model_server.py"),
                                                 "--port", str(port)])
        wait_until(lambda: request(f"http://127.0.0.1:{port}/v1/models")[0] == 200, 30, "the fake model server did not start")

    def start_replica(self, port):
        env = dict(os.environ)
        env["AGENTS_SERVE_API_KEYS"] = KEY
        env["AGENTS_HOME"] = os.path.join(self.directory, f"home-{port}")
        env["NO_COLOR"] = "1"
        process = self.start_process(f"replica-{port}", [
            self.arguments.agents, "serve", "--port", str(port), "--store", self.arguments.store,
            "--base-url", f"http://127.0.0.1:{self.arguments.fake_port}/v1", "--provider", "openai", "--model", "fake",
            "--max-concurrent-requests", "128", "--max-queue", "512", "--grace-period", "5",
        ], env=env)
        self.replicas[port] = process
        wait_until(lambda: request(f"http://127.0.0.1:{port}/health")[0] == 200, 60, f"replica {port} did not start")

    def start_nginx(self):
        prefix = os.path.join(self.directory, "nginx")
        os.makedirs(prefix, exist_ok=True)
        config = nginx_config(prefix, self.arguments.nginx_port, list(self.replicas))
        path = os.path.join(prefix, "nginx.conf")
        with open(path, "w") as file:
            file.write(config)
        self.start_process("nginx", [self.arguments.nginx, "-p", prefix, "-c", path])
        wait_until(lambda: request(self.url("/health"))[0] == 200, 30, "nginx did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.arguments.nginx_port}{path}"

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def chat(deployment, session, text, key=None, timeout=60):
    headers = {"X-Session-ID": session}
    if key:
        headers["Idempotency-Key"] = key
    body = {"model": "creative", "messages": [{"role": "user", "content": text}]}
    return request(deployment.url("/v1/chat/completions"), body, headers, timeout=timeout)


def answer_of(body):
    return body["choices"][0]["message"]["content"] if isinstance(body, dict) and "choices" in body else None


def check_ten_turns(deployment):
    upstreams = []
    for turn in range(1, 11):
        status, headers, body = chat(deployment, "ten-turns", f"turn {turn}", key=f"ten-{turn}")
        expected = f"reply {turn} ({turn} user messages): turn {turn}"
        if status != 200 or answer_of(body) != expected:
            raise SystemExit(f"deployment-check: FAIL ten turns: turn {turn} got {status} {body!r}, expected {expected!r}")
        upstreams.append(headers.get("X-Upstream"))
    alternated = all(a != b for a, b in zip(upstreams, upstreams[1:])) and len(set(upstreams)) == 2
    if not alternated:
        raise SystemExit(f"deployment-check: FAIL ten turns did not alternate between the replicas: {upstreams}")
    status, _, stored = request(deployment.url("/v1/sessions/ten-turns"))
    users = [item for item in stored.get("items", []) if item.get("role") == "user"]
    if len(users) != 10:
        raise SystemExit(f"deployment-check: FAIL the stored session has {len(users)} user messages, expected 10")
    log(f"ok ten turns alternating between {sorted(set(upstreams))} kept the whole history (10 user messages stored)")
    return {"turns": 10, "upstreams": upstreams}


def check_kill(deployment):
    session = "kill-nine"
    for turn in range(1, 4):
        status, _, body = chat(deployment, session, f"turn {turn}", key=f"kill-{turn}")
        assert status == 200, (status, body)
    result = {}

    def slow_turn():
        result["first"] = chat(deployment, session, "[slow 3] turn 4", key="kill-4")

    thread = threading.Thread(target=slow_turn)
    thread.start()
    victim = None
    deadline = time.monotonic() + 20
    while victim is None and time.monotonic() < deadline:
        for port in deployment.replicas:
            status, _, health = request(f"http://127.0.0.1:{port}/health")
            if status == 200 and health.get("running", 0) > 0:
                victim = port
        time.sleep(0.05)
    if victim is None:
        raise SystemExit("deployment-check: FAIL no replica picked up the slow turn")
    os.kill(deployment.replicas[victim].pid, signal.SIGKILL)
    deployment.replicas[victim].wait()
    thread.join()
    first_status = result["first"][0]
    attempts, answer, served_by = 0, None, None
    while attempts < 10:
        attempts += 1
        status, headers, body = chat(deployment, session, "[slow 3] turn 4", key="kill-4")
        if status == 200:
            answer, served_by = body, headers.get("X-Upstream")
            break
        time.sleep(0.5)
    if answer is None or answer_of(answer) != "reply 4 (4 user messages): [slow 3] turn 4":
        raise SystemExit(f"deployment-check: FAIL the retried turn got {answer!r}")
    status, _, again = chat(deployment, session, "[slow 3] turn 4", key="kill-4")
    replayed = again.get("agent_run", {}).get("replayed") if isinstance(again, dict) else None
    if status != 200 or replayed is not True or answer_of(again) != answer_of(answer):
        raise SystemExit(f"deployment-check: FAIL a second retry was not a replay: {status} {again!r}")
    status, _, stored = request(deployment.url("/v1/sessions/kill-nine"))
    users = [item.get("content") for item in stored.get("items", []) if item.get("role") == "user"]
    expected = ["turn 1", "turn 2", "turn 3", "[slow 3] turn 4"]
    if users != expected:
        raise SystemExit(f"deployment-check: FAIL after kill -9 the session holds {users}, expected {expected}")
    log(f"ok kill -9 of replica {victim} mid-turn: the client saw {first_status}, its retry #{attempts} landed on "
        f"{served_by}, a second retry was a replay; the session holds turns 1-4 once each")
    deployment.start_replica(victim)
    return {"killed": victim, "first_status": first_status, "retries": attempts, "served_by": served_by}


def check_concurrency(deployment, conversations):
    latencies, errors, lock = [], [], threading.Lock()

    def conversation(index):
        for turn in (1, 2):
            start = time.monotonic()
            try:
                status, _, body = chat(deployment, f"load-{index}", f"turn {turn}", key=f"load-{index}-{turn}", timeout=120)
            except OSError as error:
                status, body = 0, str(error)
            elapsed = time.monotonic() - start
            expected = f"reply {turn} ({turn} user messages): turn {turn}"
            with lock:
                latencies.append(elapsed)
                if status != 200 or answer_of(body) != expected:
                    errors.append((index, turn, status, str(body)[:200]))

    threads = [threading.Thread(target=conversation, args=(index,)) for index in range(conversations)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    numbers = {
        "conversations": conversations, "requests": len(latencies), "errors": len(errors),
        "seconds": round(elapsed, 2), "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
    }
    if errors:
        raise SystemExit(f"deployment-check: FAIL {len(errors)} errors in {conversations} concurrent conversations: {errors[:5]}")
    log(f"ok {conversations} concurrent conversations ({len(latencies)} requests) across both replicas, zero errors: "
        f"{numbers['requests_per_second']} req/s, p50 {numbers['p50_ms']} ms, p99 {numbers['p99_ms']} ms")
    return numbers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--nginx", default="nginx")
    parser.add_argument("--fake-port", type=int, default=18280)
    parser.add_argument("--replica-ports", default="18281,18282")
    parser.add_argument("--nginx-port", type=int, default=18288)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--results")
    arguments = parser.parse_args()
    deployment = Deployment(arguments)
    try:
        deployment.start_fake()
        for port in arguments.replica_ports.split(","):
            deployment.start_replica(int(port))
        deployment.start_nginx()
        log(f"running: fake model server :{arguments.fake_port}, replicas {arguments.replica_ports}, "
            f"nginx :{arguments.nginx_port}, store {arguments.store.split('@')[-1]} (logs in {deployment.directory})")
        results = {
            "ten_turns": check_ten_turns(deployment),
            "kill_nine": check_kill(deployment),
            "concurrency": check_concurrency(deployment, arguments.conversations),
        }
        if arguments.results:
            os.makedirs(os.path.dirname(os.path.abspath(arguments.results)), exist_ok=True)
            with open(arguments.results, "w") as file:
                json.dump(results, file, indent=2)
        log("all checks passed")
    finally:
        deployment.stop()


if __name__ == "__main__":
    main()
