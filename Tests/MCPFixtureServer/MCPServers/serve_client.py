"""Drives `agents mcp serve` with the official `mcp` Python client, as an editor would.

Usage: serve_client.py AGENTS_BINARY ARGS... -- TOOL QUESTION [SESSION_ID]

Starts AGENTS_BINARY ARGS... as a stdio MCP server (with this process's environment), lists its tools, calls TOOL
with the question (asking for progress notifications), and prints one JSON object: the tool names, the first
tool's input schema, the result's text and isError flag, and the progress messages received.
"""

import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main() -> None:
    split = sys.argv.index("--")
    command, args = sys.argv[1], sys.argv[2:split]
    tool, question = sys.argv[split + 1], sys.argv[split + 2]
    session_id = sys.argv[split + 3] if len(sys.argv) > split + 3 else None
    parameters = StdioServerParameters(command=command, args=args, env=dict(os.environ))
    progress: list[str] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(message or "")

    async with stdio_client(parameters) as (read, write):
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
        )
    )


asyncio.run(main())
