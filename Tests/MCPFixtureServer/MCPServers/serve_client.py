"""Drives `agents mcp serve` with the official `mcp` Python client, as an editor would.

Usage: serve_client.py [--http] AGENTS_BINARY ARGS... -- TOOL QUESTION [SESSION_ID]

Starts AGENTS_BINARY ARGS... as a stdio MCP server (with this process's environment), lists its tools, calls TOOL
with the question (asking for progress notifications), and prints one JSON object: the tool names, the first
tool's input schema, the result's text and isError flag, and the progress messages received.

With --http, ARGS must make it serve Streamable HTTP (`mcp serve --http --port 0`): the client reads the URL from
the server's "listening on" line, connects with the `mcp` package's Streamable HTTP client (sending
`Authorization: Bearer $MCP_CLIENT_TOKEN` when that is set), and stops the server with SIGTERM at the end; the JSON
also carries the server's exit status and standard error.
"""

import asyncio
import json
import os
import re
import sys
from contextlib import asynccontextmanager

import httpx2
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client


@asynccontextmanager
async def http_server(command: str, args: list[str], report: dict):
    """Starts the HTTP server, yields its client streams, then stops it with SIGTERM."""
    process = await asyncio.create_subprocess_exec(command, *args, stderr=asyncio.subprocess.PIPE)
    lines: list[str] = []
    url = None
    while url is None:
        line = (await asyncio.wait_for(process.stderr.readline(), 60)).decode()
        if not line:
            raise SystemExit("the server exited before listening: " + "".join(lines))
        lines.append(line)
        match = re.search(r"listening on (http://\S+)", line)
        url = match.group(1) if match else None
    token = os.environ.get("MCP_CLIENT_TOKEN")
    headers = {"Authorization": "Bearer " + token} if token else {}
    try:
        async with httpx2.AsyncClient(headers=headers, timeout=60) as client:
            async with streamable_http_client(url, http_client=client) as (read, write, *_):
                yield read, write
    finally:
        process.terminate()
        rest = await asyncio.wait_for(process.stderr.read(), 30)
        report["server_status"] = await process.wait()
        report["server_stderr"] = "".join(lines) + rest.decode()


async def main() -> None:
    http = sys.argv[1] == "--http"
    argv = sys.argv[1:] if http else sys.argv
    split = argv.index("--")
    command, args = argv[1], argv[2:split]
    tool, question = argv[split + 1], argv[split + 2]
    session_id = argv[split + 3] if len(argv) > split + 3 else None
    parameters = StdioServerParameters(command=command, args=args, env=dict(os.environ))
    progress: list[str] = []
    report: dict = {}

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(message or "")

    transport = http_server(command, args, report) if http else stdio_client(parameters)
    async with transport as (read, write, *_):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listing = await session.list_tools()
            arguments = {"question": question}
            if session_id:
                arguments["session_id"] = session_id
            result = await session.call_tool(tool, arguments, progress_callback=on_progress)
    print(
        json.dumps(
            {
                "tools": [t.name for t in listing.tools],
                "schema": listing.tools[0].input_schema if listing.tools else None,
                "text": "".join(c.text for c in result.content if c.type == "text"),
                "is_error": bool(result.is_error),
                "progress": progress,
            }
            | report
        )
    )


asyncio.run(main())
