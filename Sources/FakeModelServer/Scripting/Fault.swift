import WireCore

extension FakeOllamaServer {
  /// Something going wrong on one request, injected with ``FakeOllamaServer/inject(_:on:times:)``.
  ///
  /// Faults that replace the response (``closeConnection``, ``respond(status:headers:body:)``,
  /// ``error(status:message:)``, ``malformedJSON``, ``wrongShape(_:)``) leave scripted replies queued,
  /// so "fail twice, then succeed" is two injected faults plus one reply. The others alter how the normal
  /// response is delivered and consume a reply as usual. "Events" are SSE events (`[DONE]` included)
  /// or NDJSON lines; a non-streamed body counts as one event.
  public enum Fault: Sendable {
    /// Close the connection after reading the request, without writing anything.
    case closeConnection
    /// Answer with exactly this status, headers and body.
    case respond(status: Int, headers: [(String, String)], body: [UInt8])
    /// Answer with an error in the endpoint's own format (OpenAI-style on `/v1`, `{"error":…}` natively),
    /// plus any extra headers such as `Retry-After`.
    case error(status: Int, message: String, headers: [(String, String)] = [])
    /// Wait this long before handling the request normally (a model cold load).
    case delay(Duration)
    /// Write nothing, not even headers, for this long (`nil`: until the client disconnects or the
    /// server shuts down), then answer normally.
    case stallBeforeHeaders(Duration?)
    /// Write the headers and the first `events` events, then pause for `duration`
    /// (`nil`: until the client disconnects or the server shuts down), then write the rest.
    case stallAfterEvents(Int, duration: Duration?)
    /// Write the headers and the first `events` events, then hold the rest until the test opens `gate` (or the
    /// client disconnects): a slow stream whose pace the test controls.
    case holdAfterEvents(Int, until: Gate)
    /// Write the headers and the first `events` events, then `frame` every `interval` until the client
    /// disconnects or the server shuts down: a server that keeps the connection alive but never finishes.
    /// The default frame is an SSE comment (`: keep-alive`); `data:\n\n` is an empty event.
    case keepAliveAfterEvents(Int, every: Duration, frame: [UInt8] = Array(": keep-alive\n\n".utf8))
    /// Write the headers and the first `events` events, then close the connection abruptly
    /// (the HTTP body is left incomplete, so the client sees a transport error).
    case cutAfterEvents(Int)
    /// Write the headers and the first `events` events, then end the HTTP body cleanly
    /// (a /v1 stream without `[DONE]`, or an NDJSON stream without `done:true`).
    case endAfterEvents(Int)
    /// Ollama's mid-stream failure (reference §4.2) after `events` events: on /v1 an empty-content chunk
    /// with `"model":""` and the stream ends without a finish chunk or `[DONE]`; natively a final
    /// `{"error":message}` line.
    case midStreamError(afterEvents: Int, message: String)
    /// HTTP 200 with the endpoint's content type and a body that is not valid JSON
    /// (one such SSE event or NDJSON line when streaming).
    case malformedJSON
    /// HTTP 200 with valid JSON of the wrong shape (one such SSE event then `[DONE]`, or one NDJSON line,
    /// when streaming).
    case wrongShape(JSONValue)

    /// 503 `server busy…` in the endpoint's format with a `Retry-After` header.
    public static func serverBusy(retryAfterSeconds: Int = 1) -> Fault {
      .error(
        status: 503,
        message: "server busy, please try again.  maximum pending requests exceeded",
        headers: [("Retry-After", String(retryAfterSeconds))]
      )
    }

    /// Ollama's mid-stream failure with its standard message.
    public static func midStreamError(afterEvents: Int) -> Fault {
      .midStreamError(afterEvents: afterEvents, message: "an error was encountered while running the model")
    }

    /// Whether the fault answers instead of the endpoint (and so leaves scripted replies queued).
    var replacesResponse: Bool {
      switch self {
      case .closeConnection, .respond, .error, .malformedJSON, .wrongShape: true
      case .delay, .stallBeforeHeaders, .stallAfterEvents, .holdAfterEvents, .keepAliveAfterEvents, .cutAfterEvents,
        .endAfterEvents, .midStreamError:
        false
      }
    }
  }

  /// How many requests an injected fault applies to.
  public enum FaultRepetition: Sendable, Hashable, ExpressibleByIntegerLiteral {
    /// The next `count` matching requests.
    case times(Int)
    /// Every matching request until ``FakeOllamaServer/clearFaults()``.
    case always

    /// `n` as ``times(_:)``.
    public init(integerLiteral value: Int) { self = .times(value) }
  }
}
