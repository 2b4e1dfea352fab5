import NIOHTTP1
@testable import WireCore

/// A one-message chat completion request to `config`'s server, as the transport tests send it.
func chatRequest(_ config: OllamaConfig, stream: Bool = false) -> TransportRequest {
  let body = #"{"model":"llama3.2","stream":\#(stream),"messages":[{"role":"user","content":"hello there"}]}"#
  return TransportRequest(.POST, path: "/chat/completions", baseURL: config.baseURL, config: config, body: Array(body.utf8))
}
