import AsyncHTTPClient
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns AsyncHTTPClient and NIO errors into ``ModelServerError``s that say which phase failed.
enum TransportErrorMapping {
  /// Maps an error thrown while sending a request and waiting for the response head.
  ///
  /// - Parameter firstByteWasBinding: whether the first-byte timeout (rather than the overall deadline)
  ///   set the deadline given to AsyncHTTPClient.
  static func requestError(
    _ error: any Error, url: String, timeouts: OllamaConfig.Timeouts, firstByteWasBinding: Bool
  ) -> ModelServerError {
    if let error = error as? ModelServerError { return error }
    if error is CancellationError { return .cancelled(url: url) }
    if let error = error as? HTTPClientError {
      switch error {
      case .tlsHandshakeTimeout where url.lowercased().hasPrefix("https://"):
        // A plain-HTTP server (llama-server) waits for a request and never answers the TLS hello.
        return .serverUnreachable(url: url, underlying: describe(TLSHandshakeTimedOut(), url: url))
      case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
        return .timedOut(.connect, limit: timeouts.connect, url: url)
      case .deadlineExceeded:
        return firstByteWasBinding
          ? .timedOut(.firstByte, limit: timeouts.firstByte, url: url)
          : .timedOut(.deadline, limit: timeouts.overall ?? timeouts.firstByte, url: url)
      case .readTimeout:
        return .timedOut(.firstByte, limit: timeouts.firstByte, url: url)
      case .cancelled:
        return .cancelled(url: url)
      case .invalidURL, .emptyHost, .emptyScheme:
        return .invalidConfiguration(
          "The server URL '\(ServerAddress(url).redacted)' is invalid (\(error)).",
          suggestion: "Use an absolute http(s) URL such as http://localhost:11434/v1.")
      case .remoteConnectionClosed:
        return .serverUnreachable(url: url, underlying: closedBeforeAnswering)
      default:
        return .serverUnreachable(url: url, underlying: describe(error, url: url))
      }
    }
    if let error = error as? IOError, [ECONNRESET, EPIPE].contains(error.errnoCode) {
      return .serverUnreachable(url: url, underlying: closedBeforeAnswering)
    }
    if let error = error as? ChannelError, [.ioOnClosedChannel, .alreadyClosed, .outputClosed, .eof].contains(error) {
      // The close had already reached the connection when the request was written to it.
      return .serverUnreachable(url: url, underlying: closedBeforeAnswering)
    }
    return .serverUnreachable(url: url, underlying: describe(error, url: url))
  }

  /// What a request-phase error says when the server closed or reset the connection before any of its answer
  /// arrived: on a kept-alive connection, usually a server that closes connections after its answers (llama.cpp's
  /// server does after every streamed one) closing this one just as the request went out.
  static let closedBeforeAnswering = "the server closed the connection before answering"

  /// Whether `error` is the server closing or resetting the connection before any of its answer arrived.
  static func isClosedBeforeAnswering(_ error: ModelServerError) -> Bool {
    error.code == .serverUnreachable && error.underlying == closedBeforeAnswering
  }

  /// Maps an error thrown while reading a response body.
  static func bodyError(_ error: any Error, url: String) -> ModelServerError {
    if let error = error as? ModelServerError { return error }
    if error is CancellationError { return .cancelled(url: url) }
    if let error = error as? HTTPClientError {
      switch error {
      case .cancelled: return .cancelled(url: url)
      case .remoteConnectionClosed, .bodyLengthMismatch:
        return .streamCut(url: url, detail: "was cut off: the connection closed in the middle of the response")
      default:
        return .streamCut(url: url, detail: "failed mid-response (\(error))")
      }
    }
    if let error = error as? LineTooLongError {
      return .malformedResponse(error.description, url: url)
    }
    return .streamCut(url: url, detail: "failed mid-response (\(describe(error)))")
  }

  /// The TLS handshake got no answer in time (described by ``describe(_:url:)`` as a TLS failure).
  struct TLSHandshakeTimedOut: Error, CustomStringConvertible {
    var description: String { "TLS handshake timed out" }
  }

  /// Whether a request-phase error means no connection could be made, so retrying is safe.
  static func isConnectionFailure(_ error: ModelServerError) -> Bool {
    error.code == .serverUnreachable || (error.code == .timedOut && error.timeoutPhase == .connect)
  }

  /// Whether `error` is an `https://` URL pointing at a plain-HTTP server: it fails the same way every time, so it
  /// is not retried (against llama-server each attempt waited the whole TLS handshake timeout).
  static func isTLSMismatch(_ error: ModelServerError) -> Bool {
    error.underlying == tlsMismatch
  }

  /// What ``describe(_:url:)`` says about an `https://` URL pointing at a plain-HTTP server.
  static let tlsMismatch =
    "the TLS handshake failed: the server does not speak HTTPS there; if it is a plain-HTTP server "
    + "(Ollama, llama-server and vLLM are by default), use http:// instead of https://"

  /// A readable one-line description of a low-level error (`connection refused`, DNS failure, a failed TLS
  /// handshake, …); `url` lets it say that an `https://` URL points at a plain-HTTP server.
  static func describe(_ error: any Error, url: String = "") -> String {
    let text = String(describing: error)
    let tlsWords = ["NIOSSL", "BoringSSL", "SSL routines", "WRONG_VERSION_NUMBER", "handshakeFailed", "TLS"]
    if url.lowercased().hasPrefix("https://"), tlsWords.contains(where: text.contains) {
      return tlsMismatch
    }
    if text.contains("ECONNREFUSED") || text.contains("Connection refused") || text.contains("connectionRefused") {
      return "connection refused"
    }
    if text.contains("getaddrinfo") || text.contains("NXDOMAIN") || text.contains("resolution") {
      return "host name could not be resolved: \(text)"
    }
    return text
  }
}
