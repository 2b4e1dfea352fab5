import Foundation
import MCP

extension MCPConnection {
  private enum Outcome<Value: Sendable>: Sendable {
    case value(Value)
    case closed(MCPServerError)
    case timedOut
    case ended
  }

  /// Runs `operation` on `live` and returns its value, unless the transport closes first (``MCPServerError/Code/stopped``),
  /// `timeout` passes (``MCPServerError/Code/timedOut``) or the calling task is cancelled; in each of those cases
  /// `giveUp` runs and must make `operation` return (by cancelling its request or disconnecting the client).
  func race<Value: Sendable>(
    _ live: Live, timeout: Duration?, doing what: String,
    _ operation: @escaping @Sendable () async throws -> Value,
    giveUp: @escaping @Sendable () async -> Void
  ) async throws -> Value {
    let name = name
    let secrets = secrets
    return try await withTaskCancellationHandler {
      try await withThrowingTaskGroup(of: Outcome<Value>.self) { group in
        group.addTask { .value(try await operation()) }
        group.addTask { await live.transport.closed().map { .closed($0) } ?? .ended }
        if let timeout {
          group.addTask {
            do { try await Task.sleep(for: timeout) } catch { return .ended }
            return .timedOut
          }
        }
        do {
          while let outcome = try await group.next() {
            switch outcome {
            case .value(let value):
              group.cancelAll()
              return value
            case .closed(let reason):
              await giveUp()
              group.cancelAll()
              // Record the stop before the caller hears of it, so its next use restarts the server instead of
              // meeting the same dead session (the transport's own watcher may not have run yet).
              await lost(live, reason: reason)
              throw Self.stopped(reason, doing: what)
            case .timedOut:
              await giveUp()
              group.cancelAll()
              throw MCPServerError(
                .timedOut, server: name,
                "MCP server '\(name)' did not \(what) within \(Self.seconds(timeout)); the request was cancelled.")
            case .ended:
              continue
            }
          }
          throw CancellationError()
        } catch let error as MCPServerError {
          throw error
        } catch {
          group.cancelAll()
          if let reason = live.transport.closedReason {
            await lost(live, reason: reason)
            throw Self.stopped(reason, doing: what)
          }
          if error is CancellationError || Task.isCancelled { throw CancellationError() }
          throw MCPServerError(
            .requestFailed, server: name, "MCP server '\(name)' could not \(what): \(MCPErrorText.describe(error))"
          ).redacting(secrets)
        }
      }
    } onCancel: {
      Task { await giveUp() }
    }
  }

  private static func stopped(_ reason: MCPServerError, doing what: String) -> MCPServerError {
    var error = reason
    let message = reason.message.hasSuffix(".") ? String(reason.message.dropLast()) : reason.message
    error.message = message + " while it was asked to \(what). It is started again on the next use."
    return error
  }

  static func seconds(_ duration: Duration?) -> String {
    guard let duration else { return "the time limit" }
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return seconds == seconds.rounded() ? "\(Int(seconds)) seconds" : String(format: "%.1f seconds", seconds)
  }
}

/// Readable text for the errors the MCP SDK and its transports throw.
enum MCPErrorText {
  /// The server's own message for a JSON-RPC error, or the error's description.
  static func describe(_ error: any Error) -> String {
    switch error {
    case let error as MCPServerError: return error.message
    case let error as MCPError:
      switch error {
      case .serverError(_, let message): return message
      case .invalidParams(let detail?), .invalidRequest(let detail?), .methodNotFound(let detail?),
        .internalError(let detail?), .parseError(let detail?):
        return detail
      default: return error.errorDescription ?? "\(error)"
      }
    case let error as DecodingError: return "its answer could not be read (\(error))"
    default: return "\(error)"
    }
  }
}
