/// Deterministic pseudo-random values derived from strings and counters, so fake digests, tool-call ids
/// and embeddings are the same on every run.
enum DeterministicHex {
  /// A 64-bit FNV-1a hash of `text`.
  static func hash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// The next value of a SplitMix64 sequence whose state is `state`.
  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// 64 lowercase hex characters derived from `seed` (looks like a SHA-256 digest; is not one).
  static func digest(seed: String) -> String {
    var state = hash(seed)
    var text = ""
    text.reserveCapacity(64)
    for _ in 0..<4 {
      let word = splitMix(&state)
      let hex = String(word, radix: 16)
      text += String(repeating: "0", count: 16 - hex.count) + hex
    }
    return text
  }

  /// `count` characters of `[a-z0-9]` derived from `counter`, as in Ollama's `call_xxxxxxxx` ids.
  static func alphanumeric(counter: UInt64, count: Int) -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    var state = counter
    var value = splitMix(&state)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    for _ in 0..<count {
      bytes.append(alphabet[Int(value % 36)])
      value /= 36
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
