"""A small OpenAI-compatible streaming server that is not ours: Python's standard library only.

`scripts/benchmark front-door` measures `agents bench` against it, the way a user runs it, next to a raw
client on the same server. It speaks HTTP/1.1 the way llama.cpp's server and uvicorn do: keep-alive,
`Transfer-Encoding: chunked`, one socket write per SSE event (no batching), `TCP_NODELAY`.

    python3 sse_server.py [--port 0] [--words 8]     # prints its base URL (http://127.0.0.1:PORT/v1), then serves

`POST /v1/chat/completions` answers with a scripted model: when the request offers tools and its last
message is not a tool result, the model calls the first tool (`calculator` gets `{"expression": "17 * 23"}`,
any other tool `{}`); otherwise it answers with `--words` content deltas. With `"stream": true` the answer
is an SSE stream (role chunk, the deltas, the finish chunk, a usage chunk when `stream_options.include_usage`,
`data: [DONE]`); without it, one JSON completion. `GET /v1/models` lists the one model. `GET /bench/requests`
returns the last request body of each kind (`tool_call`, `answer_after_tool`, `answer`) and
`GET /bench/request-headers` that request's headers (name, value pairs, as sent), so a raw client can replay
exactly what the SDK sent, head and body; `GET /bench/connections` counts the connections and requests served. Everything else is 404.
"""

import argparse
import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "bench-model"
ANSWER_WORDS = "The sea is a vast restless mirror of grey and blue light".split()


def sse_frame(payload: dict | str) -> bytes:
    """One SSE event as one HTTP chunk (size line, data, CRLF)."""
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    event = f"data: {data}\n\n".encode()
    return f"{len(event):x}\r\n".encode() + event + b"\r\n"


def chunk(delta: dict, finish: str | None = None) -> dict:
    return {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1764979200, "model": MODEL,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


USAGE = {"prompt_tokens": 120, "completion_tokens": 12, "total_tokens": 132}


def stream_frames(tool: str | None, words: int, usage: bool) -> list[bytes]:
    """The HTTP chunks of one streamed answer, ending with the zero-length chunk."""
    if tool is not None:
        arguments = json.dumps({"expression": "17 * 23"} if tool == "calculator" else {})
        events = [
            chunk({"role": "assistant", "content": None}),
            chunk({"tool_calls": [{"index": 0, "id": "call_bench_1", "type": "function",
                                   "function": {"name": tool, "arguments": ""}}]}),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": arguments}}]}),
            chunk({}, "tool_calls"),
        ]
    else:
        text = (ANSWER_WORDS * (words // len(ANSWER_WORDS) + 1))[:words]
        events = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": (" " if index else "") + word}) for index, word in enumerate(text)]
        events.append(chunk({}, "stop"))
    if usage:
        events.append({"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1764979200,
                       "model": MODEL, "choices": [], "usage": USAGE})
    return [sse_frame(event) for event in events] + [sse_frame("[DONE]"), b"0\r\n\r\n"]


def whole_answer(tool: str | None, words: int) -> bytes:
    if tool is not None:
        arguments = json.dumps({"expression": "17 * 23"} if tool == "calculator" else {})
        message = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_bench_1", "type": "function", "function": {"name": tool, "arguments": arguments}}]}
        finish = "tool_calls"
    else:
        text = (ANSWER_WORDS * (words // len(ANSWER_WORDS) + 1))[:words]
        message, finish = {"role": "assistant", "content": " ".join(text)}, "stop"
    return json.dumps({"id": "chatcmpl-bench", "object": "chat.completion", "created": 1764979200, "model": MODEL,
                       "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                       "usage": USAGE}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    words = 8
    cache: dict = {}
    last_requests: dict = {}  # kind -> the last body of that kind, as sent
    last_headers: dict = {}  # kind -> that request's headers, as sent

    connections = 0  # connections accepted so far: a client that reuses connections keeps this small
    requests = 0

    def setup(self) -> None:
        super().setup()
        Handler.connections += 1
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args) -> None:  # noqa: A002  (quiet: the benchmark is the output)
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/bench/requests":
            self.reply(200, json.dumps({kind: body.decode() for kind, body in self.last_requests.items()}).encode())
        elif self.path == "/bench/request-headers":
            self.reply(200, json.dumps(self.last_headers).encode())
        elif self.path == "/bench/connections":
            self.reply(200, json.dumps({"connections": Handler.connections, "requests": Handler.requests}).encode())
        elif self.path.rstrip("/") == "/v1/models":
            self.reply(200, json.dumps({"object": "list", "data": [
                {"id": MODEL, "object": "model", "created": 1764979200, "owned_by": "benchmark"}]}).encode())
        else:
            self.reply(404, b'{"error":{"message":"not found","type":"not_found_error"}}')

    def do_POST(self) -> None:  # noqa: N802
        Handler.requests += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.reply(404, b'{"error":{"message":"not found","type":"not_found_error"}}')
            return
        try:
            request = json.loads(body)
        except ValueError:
            self.reply(400, b'{"error":{"message":"the body is not JSON","type":"invalid_request_error"}}')
            return
        messages = request.get("messages") or [{}]
        tools = request.get("tools") or []
        after_tool = messages[-1].get("role") == "tool"
        tool = tools[0]["function"]["name"] if tools and not after_tool else None
        kind = "tool_call" if tool is not None else "answer_after_tool" if after_tool else "answer"
        self.last_requests[kind] = body
        self.last_headers[kind] = list(self.headers.items())
        if not request.get("stream"):
            self.reply(200, whole_answer(tool, self.words))
            return
        usage = bool((request.get("stream_options") or {}).get("include_usage"))
        key = (tool, usage)
        frames = self.cache.get(key) or self.cache.setdefault(key, stream_frames(tool, self.words, usage))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for frame in frames:  # one write per chunk: wfile is unbuffered, each write is one sendall
            self.wfile.write(frame)

    def reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def handle_error(self, request, client_address) -> None:
        """A client that closes a connection early is no error here (the benchmark counts connections)."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--words", type=int, default=8, help="content deltas in an answer")
    arguments = parser.parse_args()
    Handler.words = arguments.words
    server = Server(("127.0.0.1", arguments.port), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    sys.stdout.close()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
