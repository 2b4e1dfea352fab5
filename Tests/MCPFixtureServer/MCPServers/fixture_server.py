"""A small MCP server (the `mcp` package's MCPServer, formerly FastMCP) for the AgentsMCP tests.

Usage:
  fixture_server.py stdio
  fixture_server.py http json|sse     # Streamable HTTP on 127.0.0.1, a free port; prints "PORT <n>" first

Tools: echo, add, picture (an image), document (an embedded resource and a link), fail (an isError result),
crash (exits mid-call), hang (never answers), unlock (adds the tool `secret` and announces the change),
slow (answers after a short sleep), whoami (FIXTURE_TOKEN and whether AGENTS_MCP_PROBE was inherited).
"""

import asyncio
import base64
import os
import socket
import sys

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import EmbeddedResource, ImageContent, ResourceLink, TextContent, TextResourceContents

server = MCPServer("fixture")

# A 1x1 transparent PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@server.tool()
def echo(text: str) -> str:
    """Returns the text unchanged."""
    return text


@server.tool()
def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


@server.tool()
def picture() -> list:
    """Returns a tiny image and a caption."""
    return [
        TextContent(type="text", text="A one-pixel image:"),
        ImageContent(type="image", data=base64.b64encode(PIXEL).decode(), mime_type="image/png"),
    ]


@server.tool()
def document() -> list:
    """Returns an embedded text resource and a link to another one."""
    return [
        EmbeddedResource(
            type="resource",
            resource=TextResourceContents(uri="file:///notes/todo.txt", mime_type="text/plain", text="buy milk"),
        ),
        ResourceLink(type="resource_link", uri="file:///notes/done.txt", name="done.txt", description="finished items"),
    ]


@server.tool()
def fail(reason: str) -> str:
    """Always fails with the given reason."""
    raise ToolError(f"failed on purpose: {reason}")


@server.tool()
def crash() -> str:
    """Exits the server in the middle of the call."""
    token = os.environ.get("FIXTURE_TOKEN", "")
    print(f"fixture: crashing on purpose (token {token})", file=sys.stderr, flush=True)
    os._exit(3)


@server.tool()
async def hang() -> str:
    """Never answers."""
    await asyncio.sleep(3600)
    return "woke up"


@server.tool()
async def slow(milliseconds: int) -> str:
    """Answers after the given time."""
    await asyncio.sleep(milliseconds / 1000)
    return f"slept {milliseconds} ms"


@server.tool()
def whoami() -> str:
    """The FIXTURE_TOKEN environment variable and whether AGENTS_MCP_PROBE was passed on."""
    return f"token={os.environ.get('FIXTURE_TOKEN', '')} probe={'AGENTS_MCP_PROBE' in os.environ}"


@server.tool()
async def unlock(ctx: Context) -> str:
    """Adds the tool `secret` and tells the client the tool list changed."""

    def secret() -> str:
        """The secret word."""
        return "swordfish"

    server.add_tool(secret, name="secret")
    await ctx.request_context.session.send_tool_list_changed()
    return "unlocked"


def serve_http(mode: str) -> None:
    import uvicorn

    app = server.streamable_http_app(json_response=(mode == "json"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)  # connections wait in the backlog until uvicorn accepts them
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning")
    asyncio.run(uvicorn.Server(config).serve(sockets=[sock]))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "http":
        serve_http(sys.argv[2])
    else:
        server.run("stdio")
