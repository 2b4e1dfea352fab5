import AgentsStore
import Foundation
import Testing
import WireCore

@Suite("Session store")
struct SessionStoreTests {
  @Test("items come back in the order they were added; a limit gives the newest N in chronological order", arguments: StoreBackend.available)
  func itemsAndLimit(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      try await sessions.addItems([json(#"{"n":1}"#), json(#"{"n":2}"#)], to: "s")
      try await sessions.addItems([json(#"{"n":3}"#)], to: "s")
      try await sessions.addItems([json(#"{"n":4}"#), json(#"{"n":5}"#)], to: "s")

      #expect(try await sessions.items(in: "s").map { text($0.json) }
        == [#"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#, #"{"n":4}"#, #"{"n":5}"#])
      #expect(try await sessions.items(in: "s", limit: 2).map { text($0.json) } == [#"{"n":4}"#, #"{"n":5}"#])
      #expect(try await sessions.items(in: "s", limit: 0).isEmpty)
      #expect(try await sessions.items(in: "s", limit: 50).count == 5)
      #expect(try await sessions.items(in: "unknown").isEmpty)
    }
  }

  @Test("pop removes and returns the newest item, then nil when empty", arguments: StoreBackend.available)
  func pop(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      try await sessions.addItems([json("1"), json("2")], to: "s")
      #expect(try await sessions.popItem(from: "s").map { text($0.json) } == "2")
      #expect(try await sessions.items(in: "s").map { text($0.json) } == ["1"])
      #expect(try await sessions.popItem(from: "s").map { text($0.json) } == "1")
      #expect(try await sessions.popItem(from: "s") == nil)
    }
  }

  @Test("sessions are isolated and deleting one leaves the others", arguments: StoreBackend.available)
  func isolationAndDelete(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      try await sessions.addItems([json(#""a""#)], to: "a")
      try await sessions.addItems([json(#""b""#)], to: "b")
      #expect(try await sessions.deleteSession("a"))
      #expect(try await sessions.deleteSession("a") == false)
      #expect(try await sessions.items(in: "a").isEmpty)
      #expect(try await sessions.items(in: "b").map { text($0.json) } == [#""b""#])
      #expect(try await sessions.summary(of: "a") == nil)
    }
  }

  @Test("list shows every session with its item count, most recently updated first", arguments: StoreBackend.available)
  func list(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let clock = ManualClock()
      let sessions = stores.sessions(clock: clock.function)
      try await sessions.addItems([json("1"), json("2")], to: "older")
      clock.advance(by: 10)
      try await sessions.addItems([json("3")], to: "newer")
      clock.advance(by: 10)
      try await sessions.addItems([json("4")], to: "older")

      let summaries = try await sessions.sessions()
      #expect(summaries.map(\.sessionID) == ["older", "newer"])
      #expect(summaries.map(\.itemCount) == [3, 1])
      #expect(summaries[0].createdAt == Date(timeIntervalSince1970: 1_700_000_000))
      #expect(summaries[0].updatedAt == Date(timeIntervalSince1970: 1_700_000_020))
    }
  }

  @Test("export is one JSON document with the session's times and its items verbatim", arguments: StoreBackend.available)
  func export(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions(clock: ManualClock().function)
      try await sessions.addItems([json(#"{"role":"user","content":"hi"}"#), json(#"{"z":1,"a":[true,null]}"#)], to: "s")
      let exported = try #require(try await sessions.export("s"))
      let document = try JSONValue.parse(exported)
      #expect(document["format"] == "ollama-agents.session")
      #expect(document["version"] == 1)
      #expect(document["session_id"] == "s")
      #expect(document["created_at"] == "2023-11-14T22:13:20Z")
      #expect(document["items"]?.arrayValue?.map(\.jsonString)
        == [#"{"role":"user","content":"hi"}"#, #"{"z":1,"a":[true,null]}"#])
      #expect(try await sessions.export("missing") == nil)
    }
  }

  @Test("a batch with an invalid item is refused whole", arguments: StoreBackend.available)
  func invalidItemRefused(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      await #expect {
        try await sessions.addItems([json("{}"), json("{not json")], to: "s")
      } throws: { error in
        (error as? StoreError)?.code == .encoding && "\(error)".contains("item 1")
      }
      #expect(try await sessions.items(in: "s").isEmpty)
      #expect(try await sessions.summary(of: "s") == nil)
    }
  }

  @Test("bad arguments are clear errors", arguments: StoreBackend.available)
  func badArguments(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      await #expect {
        try await sessions.items(in: "s", limit: -1)
      } throws: { error in
        (error as? StoreError)?.code == .invalidArgument
      }
      await #expect {
        try await sessions.addItems([json("{}")], to: "")
      } throws: { error in
        (error as? StoreError)?.code == .invalidArgument
      }
    }
  }

  @Test("many sessions written concurrently in one process keep every item in order", arguments: StoreBackend.available)
  func concurrentSessions(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      try await withThrowingTaskGroup(of: Void.self) { group in
        for session in 0..<8 {
          group.addTask {
            for turn in 0..<20 {
              try await sessions.addItems([json("[\(turn),0]"), json("[\(turn),1]")], to: "session-\(session)")
            }
          }
        }
        try await group.waitForAll()
      }
      for session in 0..<8 {
        let items = try await sessions.items(in: "session-\(session)").map { text($0.json) }
        #expect(items == (0..<20).flatMap { ["[\($0),0]", "[\($0),1]"] })
      }
      #expect(try await sessions.sessions().count == 8)
    }
  }

  @Test("a turn saved under a key is saved once: the same key again saves nothing and returns the first answer",
    arguments: StoreBackend.available)
  func turnsUnderAKey(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let clock = ManualClock()
      let sessions = stores.sessions(clock: clock.function)
      #expect(try await sessions.turn("k1", in: "s") == nil)
      #expect(try await sessions.addTurn([json("1"), json("2")], to: "s", key: "k1", response: json(#"{"a":1}"#)) == nil)
      clock.advance(by: 5)
      let again = try await sessions.addTurn([json("1"), json("2")], to: "s", key: "k1", response: json(#"{"a":2}"#))
      #expect(again.map { text($0.response) } == #"{"a":1}"#)
      #expect(again?.createdAt == Date(timeIntervalSince1970: 1_700_000_000))
      #expect(try await sessions.addTurn([json("3")], to: "s", key: "k2", response: json("{}")) == nil)
      #expect(try await sessions.items(in: "s").map { text($0.json) } == ["1", "2", "3"])
      #expect(try await sessions.turn("k1", in: "s").map { text($0.response) } == #"{"a":1}"#)
      // Keys belong to their session.
      #expect(try await sessions.turn("k1", in: "other") == nil)
      #expect(try await sessions.addTurn([json("9")], to: "other", key: "k1", response: json("{}")) == nil)
      // Deleting a session forgets its turns.
      #expect(try await sessions.deleteSession("s"))
      #expect(try await sessions.turn("k1", in: "s") == nil)
      #expect(try await sessions.turn("k1", in: "other") != nil)
    }
  }

  @Test("concurrent saves of one turn under one key keep exactly one copy", arguments: StoreBackend.available)
  func concurrentTurnsUnderOneKey(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      try await sessions.addItems([json(#""history""#)], to: "s")
      let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
        for attempt in 0..<8 {
          group.addTask {
            try await sessions.addTurn([json("[\(attempt),0]"), json("[\(attempt),1]")], to: "s", key: "retry", response: json("\(attempt)"))
              == nil
          }
        }
        return try await group.reduce(into: [Bool]()) { $0.append($1) }
      }
      #expect(outcomes.filter { $0 }.count == 1)
      let items = try await sessions.items(in: "s").map { text($0.json) }
      #expect(items.count == 3)
      let winner = try #require(try await sessions.turn("retry", in: "s")).response
      #expect(items == [#""history""#, "[\(text(winner)),0]", "[\(text(winner)),1]"])
    }
  }

  @Test("turn keys must have 1 to 255 bytes", arguments: StoreBackend.available)
  func badTurnKeys(_ backend: StoreBackend) async throws {
    try await TestStores.with(backend) { (stores: TestStores) async throws in
      let sessions = stores.sessions()
      for key in ["", String(repeating: "k", count: 256)] {
        await #expect {
          try await sessions.addTurn([json("1")], to: "s", key: key, response: json("{}"))
        } throws: { error in
          (error as? StoreError)?.code == .invalidArgument
        }
      }
      #expect(try await sessions.items(in: "s").isEmpty)
    }
  }
}
