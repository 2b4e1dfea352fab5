"""A fake OpenAI-compatible model server for the `agents serve` deployment check and benchmark (stdlib only).

It answers `POST /v1/chat/completions` (whole or streamed) and `GET /v1/models` without a model: the answer says
how many user messages the request held and echoes the last one, so a client can check that a server-side
conversation kept its whole history ("reply 7 (7 user messages): turn 7"). A user message containing `[slow N]`
makes the answer take N seconds (for killing a replica mid-run). `GET /stats` returns how many completions were
served. Threads serve requests concurrently.

    python3 scripts/lib/fake_model_server.py --port 18080
"""

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW = re.compile(r"\[slow (\d+(?:\.\d+)?)\]")
served = 0
served_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet by default
        pass

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": "fake", "object": "model", "owned_by": "fake"}]})
        elif self.path == "/stats":
            with served_lock:
                self.send_json(200, {"completions": served})
        else:
            self.send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self):
        global served
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_json(400, {"error": {"message": "bad JSON", "type": "invalid_request_error"}})
            return
        if self.path != "/v1/chat/completions":
            self.send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        users = [m for m in request.get("messages", []) if m.get("role") == "user"]
        last = users[-1].get("content", "") if users else ""
        if isinstance(last, list):
            last = "".join(part.get("text", "") for part in last)
        slow = SLOW.search(last)
        if slow:
            time.sleep(float(slow.group(1)))
        text = f"reply {len(users)} ({len(users)} user messages): {last}"
        usage = {"prompt_tokens": 10 * len(users), "completion_tokens": 5, "total_tokens": 10 * len(users) + 5}
        with served_lock:
            served += 1
        created = int(time.time())
        if not request.get("stream"):
            self.send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": created, "model": request.get("model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": usage,
            })
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

        def event(delta, finish=None, extra=None):
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created,
                     "model": request.get("model"),
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if extra:
                chunk.update(extra)
            self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")

        event({"role": "assistant", "content": ""})
        for start in range(0, len(text), 16):
            event({"content": text[start:start + 16]})
        event({}, finish="stop", extra={"usage": usage})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18080)
    arguments = parser.parse_args()
    server = ThreadingHTTPServer((arguments.host, arguments.port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 1024
    print(f"fake model server on http://{arguments.host}:{server.server_address[1]}/v1", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
