// The SDK's API uses WireCore's JSONValue, OllamaConfig and ModelServerError, so it re-exports WireCore.
// OpenAICompatible is deliberately not re-exported: its wire types (ToolCall, Usage, ToolChoice…) share names
// with the SDK's own types; import it explicitly to talk to a server without agents.
@_exported import WireCore
