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
  /// Text pasted while bracketed paste was on (`ESC [200~` … `ESC [201~`), line ends as `\n`: inserted as typed
  /// text, never submitted by its newlines.
  case paste(String)
  /// A sequence the editor does not handle.
  case ignored
}

/// Turns raw terminal bytes into key presses: UTF-8 text, control keys and VT100/xterm escape
/// sequences, with partial sequences carried over between reads.
package struct KeyDecoder: Sendable {
  private var pending: [UInt8] = []
  /// The bytes of a bracketed paste in progress (after `ESC [200~`), or `nil` outside a paste.
  private var pasted: [UInt8]?

  /// The sequence a terminal sends before pasted text when bracketed paste is on.
  static let pasteStart: [UInt8] = Array("\u{1B}[200~".utf8)
  /// The sequence a terminal sends after pasted text.
  static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

  /// Creates a decoder.
  package init() {}

  /// Whether bytes of an incomplete sequence are waiting (a lone ESC, or part of a UTF-8 character); a paste in
  /// progress is not pending: its end is always sent.
  package var hasPending: Bool { pasted == nil && !pending.isEmpty }

  /// Decodes as many key presses as the bytes seen so far allow.
  package mutating func decode(_ bytes: some Sequence<UInt8>) -> [KeyPress] {
    pending.append(contentsOf: bytes)
    var keys: [KeyPress] = []
    while !pending.isEmpty {
      if pasted != nil {
        guard let paste = takePaste() else { break }
        keys.append(paste)
        continue
      }
      if pending.starts(with: Self.pasteStart) {
        pending.removeFirst(Self.pasteStart.count)
        pasted = []
        continue
      }
      guard let (key, length) = Self.decodeOne(pending) else { break }
      keys.append(key)
      pending.removeFirst(length)
    }
    return keys
  }

  /// Moves pending bytes into the paste until its end marker; returns the whole paste once the marker arrived.
  private mutating func takePaste() -> KeyPress? {
    if let end = Self.index(of: Self.pasteEnd, in: pending) {
      let text = (pasted ?? []) + pending[..<end]
      pending.removeFirst(end + Self.pasteEnd.count)
      pasted = nil
      return .paste(Self.pastedText(text))
    }
    // Keep a tail that may be the start of the end marker.
    let keep = min(pending.count, Self.pasteEnd.count - 1)
    pasted! += pending.dropLast(keep)
    pending.removeFirst(pending.count - keep)
    return nil
  }

  private static func index(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= needle.count else { return nil }
    for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
      if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start }
    }
    return nil
  }

  /// Pasted bytes as text: invalid UTF-8 replaced, CRLF and CR as LF, other control characters but tab removed.
  static func pastedText(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self).replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    return String(String.UnicodeScalarView(text.unicodeScalars.filter { !TerminalSanitizer.isControl($0) || $0 == "\n" || $0 == "\t" }))
  }

  /// Flushes an incomplete sequence: a lone ESC is ignored, stray bytes are dropped.
  package mutating func flush() -> [KeyPress] {
    guard pasted == nil else { return [] }
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
