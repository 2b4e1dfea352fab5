// An MCP user builds agents too, so the SDK comes along. The MCP SDK is not re-exported: its `Tool` would clash with
// the SDK's `Tool` protocol in every file that imports both; `import MCP` where its types are needed.
@_exported import Agents
