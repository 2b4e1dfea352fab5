import Crypto

/// The integrity check of saved run states: a SHA-256 digest without a key, an HMAC-SHA-256 with one
/// (swift-crypto), written as `sha256:<hex>` or `hmac-sha256:<hex>`.
enum RunStateIntegrity {
  static let digestPrefix = "sha256:"
  static let signaturePrefix = "hmac-sha256:"

  /// The integrity text of `bytes`: signed with `key`, or a plain digest without one.
  static func of(_ bytes: [UInt8], key: RunStateKey?) -> String {
    guard let key else { return digestPrefix + hex(SHA256.hash(data: bytes)) }
    let code = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: key.bytes))
    return signaturePrefix + hex(code)
  }

  /// Whether `saved` is the integrity text of `bytes` under `key`, compared in constant time.
  static func matches(_ saved: String, _ bytes: [UInt8], key: RunStateKey?) -> Bool {
    let expected = Array(of(bytes, key: key).utf8)
    let given = Array(saved.utf8)
    guard expected.count == given.count else { return false }
    var difference: UInt8 = 0
    for (left, right) in zip(expected, given) { difference |= left ^ right }
    return difference == 0
  }

  private static func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
