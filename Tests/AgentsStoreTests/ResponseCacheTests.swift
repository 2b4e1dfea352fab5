import Foundation
import Testing
import WireCore

@testable import AgentsStore

@Suite("Response cache")
struct ResponseCacheTests {
  static func request(_ content: String, temperature: Double = 0.2) -> JSONValue {
    [
      "model": "llama3.2",
      "messages": [["role": "user", "content": .string(content)]],
      "temperature": .double(temperature),
      "tools": [],
    ]
  }

  @Test("SHA-256 matches the FIPS 180-4 test vectors")
  func sha256Vectors() {
    #expect(SHA256.hexDigest("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hexDigest("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hexDigest(repeatElement(UInt8(ascii: "a"), count: 1000))
        == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }

  @Test("the key ignores object key order but not content, settings or message order")
  func keyStability() throws {
    let request = Self.request("hi")
    let reordered = try JSONValue.parse(#"{"tools":[],"temperature":0.2,"messages":[{"content":"hi","role":"user"}],"model":"llama3.2"}"#)
    #expect(CacheKey(request: request) == CacheKey(request: reordered))
    #expect(CacheKey(request: request).hex.count == 64)
    #expect(CacheKey(request: request) != CacheKey(request: Self.request("hi!")))
    #expect(CacheKey(request: request) != CacheKey(request: Self.request("hi", temperature: 0.3)))
    let twoMessages: JSONValue = ["messages": ["a", "b"]]
    let swapped: JSONValue = ["messages": ["b", "a"]]
    #expect(CacheKey(request: twoMessages) != CacheKey(request: swapped))
  }

  @Test("a stored response is found again and counts its hits")
  func storeAndLookup() async throws {
    let cached = try CacheUnderTest()
    let cache = cached.cache
    let key = CacheKey(request: Self.request("hi"))
    #expect(try await cache.lookup(key) == nil)
    #expect(try await cache.store(json(#"{"text":"hello"}"#), model: "llama3.2", for: key))
    let first = try #require(try await cache.lookup(key))
    #expect(text(first.response) == #"{"text":"hello"}"#)
    #expect(first.model == "llama3.2")
    #expect(first.hits == 1)
    #expect(try await cache.lookup(key)?.hits == 2)
    #expect(try await cache.lookup(CacheKey(request: Self.request("other"))) == nil)
  }

  @Test("entries expire after the time to live")
  func timeToLive() async throws {
    let cached = try CacheUnderTest(.init(timeToLive: .seconds(60)))
    let (cache, clock) = (cached.cache, cached.clock)
    let key = CacheKey(request: Self.request("hi"))
    try await cache.store(json("1"), model: "m", for: key)
    clock.advance(by: 59)
    #expect(try await cache.lookup(key) != nil)
    clock.advance(by: 2)
    #expect(try await cache.lookup(key) == nil)
    #expect(try await cache.statistics().entries == 0)  // the expired entry was dropped on lookup

    try await cache.store(json("2"), model: "m", for: key)
    clock.advance(by: 61)
    #expect(try await cache.removeExpired() == 1)
  }

  @Test("the entry limit evicts the least recently used entry")
  func entryLimit() async throws {
    let cached = try CacheUnderTest(.init(maximumEntries: 2))
    let (cache, clock) = (cached.cache, cached.clock)
    let keys = ["a", "b", "c"].map { CacheKey(request: Self.request($0)) }
    try await cache.store(json("0"), model: "m", for: keys[0])
    clock.advance(by: 1)
    try await cache.store(json("1"), model: "m", for: keys[1])
    clock.advance(by: 1)
    _ = try await cache.lookup(keys[0])  // a is now more recently used than b
    clock.advance(by: 1)
    try await cache.store(json("2"), model: "m", for: keys[2])
    #expect(try await cache.lookup(keys[0]) != nil)
    #expect(try await cache.lookup(keys[1]) == nil)
    #expect(try await cache.lookup(keys[2]) != nil)
    #expect(try await cache.statistics().entries == 2)
  }

  @Test("the byte limit evicts old entries and refuses a response larger than the limit")
  func byteLimit() async throws {
    let cached = try CacheUnderTest(.init(maximumBytes: 100))
    let (cache, clock) = (cached.cache, cached.clock)
    let payload = json("\"" + String(repeating: "x", count: 38) + "\"")  // 40 bytes
    for name in ["a", "b", "c"] {
      try await cache.store(payload, model: "m", for: CacheKey(request: Self.request(name)))
      clock.advance(by: 1)
    }
    let statistics = try await cache.statistics()
    #expect(statistics.entries == 2)
    #expect(statistics.bytes == 80)
    #expect(try await cache.lookup(CacheKey(request: Self.request("a"))) == nil)

    let huge = Data(repeating: 0x20, count: 101)
    #expect(try await cache.store(huge, model: "m", for: CacheKey(request: Self.request("huge"))) == false)
    #expect(try await cache.statistics().entries == 2)
  }

  @Test("clear empties the cache and reports how many entries went")
  func clear() async throws {
    let cached = try CacheUnderTest()
    let cache = cached.cache
    for name in ["a", "b"] { try await cache.store(json("{}"), model: "m", for: CacheKey(request: Self.request(name))) }
    #expect(try await cache.clear() == 2)
    #expect(try await cache.statistics() == ResponseCache.Statistics(entries: 0, bytes: 0, oldest: nil, newest: nil))
  }
}

/// A response cache in a fresh temporary store, on a clock that only moves when told; keep it alive while the
/// cache is used (its store's directory goes with it).
struct CacheUnderTest {
  let store: TemporaryStore
  let clock = ManualClock()
  let cache: ResponseCache

  init(_ configuration: ResponseCache.Configuration = .init()) throws {
    store = try TemporaryStore()
    cache = ResponseCache(database: store.database, configuration: configuration, clock: clock.function)
  }
}
