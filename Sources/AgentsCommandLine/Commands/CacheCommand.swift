import Foundation

/// `agents cache`: the local response cache's size and state, and clearing it.
package struct CacheCommand: Sendable {
  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// Prints whether the cache is on, how many answers it holds and their age; returns the exit status.
  package func show(json asJSON: Bool) async -> Int32 {
    let console = services.console
    do {
      let cache = try responseCache()
      let statistics = try await read { try await cache.statistics() }
      let limits = cache.configuration
      if asJSON {
        console.print(
          JSONValue.object([
            "enabled": .bool(services.settings.responseCache), "entries": .int(statistics.entries),
            "bytes": .int(statistics.bytes), "oldest": Self.timestamp(statistics.oldest),
            "newest": Self.timestamp(statistics.newest), "max_entries": .int(limits.maximumEntries),
            "max_bytes": .int(limits.maximumBytes), "ttl_seconds": .int(Int(limits.timeToLive.components.seconds)),
          ]).jsonString)
        return 0
      }
      let state = services.settings.responseCache ? "on" : "off (enable with --cache, AGENTS_CACHE=1 or response_cache: true)"
      console.print("response cache  \(state)")
      console.print("entries         \(statistics.entries) (at most \(limits.maximumEntries))")
      console.print("size            \(ByteCount.format(statistics.bytes)) (at most \(ByteCount.format(limits.maximumBytes)))")
      console.print("kept for        \(limits.timeToLive.components.seconds / 86_400) days")
      if let oldest = statistics.oldest, let newest = statistics.newest {
        console.print("stored          \(DisplayFormat.date(oldest)) … \(DisplayFormat.date(newest))")
      }
      return 0
    } catch {
      console.error(error)
      return error.exitStatus
    }
  }

  /// Deletes every cached answer and says how many there were; returns the exit status.
  package func clear() async -> Int32 {
    let console = services.console
    do {
      let cache = try responseCache()
      let removed = try await read { try await cache.clear() }
      console.print("Removed \(removed) cached \(removed == 1 ? "answer" : "answers").")
      return 0
    } catch {
      console.error(error)
      return error.exitStatus
    }
  }

  private func responseCache() throws(AppError) -> ResponseCache {
    guard let database = services.runStore?.database else {
      throw AppError(
        .invalidInput, "no response cache: the data directory is unavailable",
        fix: "set AGENTS_HOME (or HOME) to a writable directory")
    }
    return ResponseCache(database: database)
  }

  private func read<Value>(_ body: () async throws -> Value) async throws(AppError) -> Value {
    do {
      return try await body()
    } catch {
      throw AppError(.runFailed, "cannot use the response cache: \(error)", fix: "run 'agents doctor' to check the data directory")
    }
  }

  private static func timestamp(_ date: Date?) -> JSONValue {
    date.map { .string($0.formatted(.iso8601)) } ?? .null
  }

}
