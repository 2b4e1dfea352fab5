/// A key press read from a terminal in raw mode.
package enum KeyPress: Sendable, Equatable {
  /// A printable character (already decoded from UTF-8).
  case character(Character)
  case enter, backspace, delete, tab
  case left, right, up, down, home, end
  case wordLeft, wordRight
  /// Ctrl-C.
  case interrupt
  /// Ctrl-D.
  case endOfFile
  /// Ctrl-U: delete to the start of the line.
  case killToStart
  /// Ctrl-K: delete to the end of the line.
  case killToEnd
  /// Ctrl-W: delete the word before the cursor.
  case deleteWord
  /// Ctrl-L: clear the screen.
  case clearScreen
  /// A sequence the editor does not handle.
  case ignored
}

/// Turns raw terminal bytes into key presses: UTF-8 text, control keys and VT100/xterm escape
/// sequences, with partial sequences carried over between reads.
package struct KeyDecoder: Sendable {
  private var pending: [UInt8] = []

  /// Creates a decoder.
  package init() {}

  /// Whether bytes of an incomplete sequence are waiting (a lone ESC, or part of a UTF-8 character).
  package var hasPending: Bool { !pending.isEmpty }

  /// Decodes as many key presses as the bytes seen so far allow.
  package mutating func decode(_ bytes: some Sequence<UInt8>) -> [KeyPress] {
    pending.append(contentsOf: bytes)
    var keys: [KeyPress] = []
    while !pending.isEmpty {
      guard let (key, length) = Self.decodeOne(pending) else { break }
      keys.append(key)
      pending.removeFirst(length)
    }
    return keys
  }

  /// Flushes an incomplete sequence: a lone ESC is ignored, stray bytes are dropped.
  package mutating func flush() -> [KeyPress] {
    defer { pending.removeAll() }
    return pending.isEmpty ? [] : [.ignored]
  }

  /// The key at the start of `bytes` and its length, or `nil` when more bytes are needed.
  static func decodeOne(_ bytes: [UInt8]) -> (KeyPress, Int)? {
    let first = bytes[0]
    switch first {
    case 0x0D, 0x0A: return (.enter, 1)
    case 0x7F, 0x08: return (.backspace, 1)
    case 0x09: return (.tab, 1)
    case 0x03: return (.interrupt, 1)
    case 0x04: return (.endOfFile, 1)
    case 0x01: return (.home, 1)
    case 0x05: return (.end, 1)
    case 0x02: return (.left, 1)
    case 0x06: return (.right, 1)
    case 0x10: return (.up, 1)
    case 0x0E: return (.down, 1)
    case 0x15: return (.killToStart, 1)
    case 0x0B: return (.killToEnd, 1)
    case 0x17: return (.deleteWord, 1)
    case 0x0C: return (.clearScreen, 1)
    case 0x1B: return decodeEscape(bytes)
    case 0x00..<0x20: return (.ignored, 1)
    default: return decodeUTF8(bytes)
    }
  }

  private static func decodeEscape(_ bytes: [UInt8]) -> (KeyPress, Int)? {
    guard bytes.count >= 2 else { return nil }
    switch bytes[1] {
    case UInt8(ascii: "["):
      // CSI: parameters (digits and ';') then a final byte in 0x40...0x7E.
      var index = 2
      while index < bytes.count, (0x30...0x3F).contains(bytes[index]) { index += 1 }
      guard index < bytes.count else { return nil }
      let parameters = String(decoding: bytes[2..<index], as: UTF8.self)
      let length = index + 1
      switch bytes[index] {
      case UInt8(ascii: "A"): return (.up, length)
      case UInt8(ascii: "B"): return (.down, length)
      case UInt8(ascii: "C"): return (parameters.hasSuffix(";5") || parameters.hasSuffix(";3") ? .wordRight : .right, length)
      case UInt8(ascii: "D"): return (parameters.hasSuffix(";5") || parameters.hasSuffix(";3") ? .wordLeft : .left, length)
      case UInt8(ascii: "H"): return (.home, length)
      case UInt8(ascii: "F"): return (.end, length)
      case UInt8(ascii: "~"):
        switch parameters {
        case "1", "7": return (.home, length)
        case "4", "8": return (.end, length)
        case "3": return (.delete, length)
        default: return (.ignored, length)
        }
      default: return (.ignored, length)
      }
    case UInt8(ascii: "O"):
      guard bytes.count >= 3 else { return nil }
      switch bytes[2] {
      case UInt8(ascii: "A"): return (.up, 3)
      case UInt8(ascii: "B"): return (.down, 3)
      case UInt8(ascii: "C"): return (.right, 3)
      case UInt8(ascii: "D"): return (.left, 3)
      case UInt8(ascii: "H"): return (.home, 3)
      case UInt8(ascii: "F"): return (.end, 3)
      default: return (.ignored, 3)
      }
    case UInt8(ascii: "b"): return (.wordLeft, 2)
    case UInt8(ascii: "f"): return (.wordRight, 2)
    case 0x7F: return (.deleteWord, 2)
    default: return (.ignored, 2)
    }
  }

  private static func decodeUTF8(_ bytes: [UInt8]) -> (KeyPress, Int)? {
    let first = bytes[0]
    let length: Int
    switch first {
    case 0x00..<0x80: length = 1
    case 0xC2..<0xE0: length = 2
    case 0xE0..<0xF0: length = 3
    case 0xF0..<0xF5: length = 4
    default: return (.ignored, 1)
    }
    guard bytes.count >= length else { return nil }
    guard let text = String(validating: bytes[0..<length], as: UTF8.self), let character = text.first else {
      return (.ignored, 1)
    }
    return (.character(character), length)
  }
}
