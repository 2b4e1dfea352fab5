/// Notices degenerate repetition in text as it arrives: the same line, or the same run of words, again and
/// again at the end of the text (a small model stuck in a loop).
///
/// Feed it the deltas of a stream (``feed(_:)``) or check a whole text (``check(_:configuration:)``). The text is
/// read as words (whitespace-separated; a numbered-list marker such as `3.` at a line start counts as one and
/// the same word); it reports when the text ends in a block of at most ``Configuration/maximumBlockWords`` words
/// that follows itself at least ``Configuration/minimumRepeats`` times in a row, covering at least
/// ``Configuration/minimumRepeatedCharacters``. Work per word is proportional to the longest block, never to the
/// text's length.
///
/// ```swift
/// var detector = RepetitionDetector()
/// for try await delta in stream {
///   if let report = detector.feed(delta) { print("stopped: \(report)"); break }
/// }
/// ```
///
/// The runner uses it when ``Runner/Configuration/repetitionDetection`` is set: it stops the model's stream and
/// ends the answer after the first occurrence of the block, marked as ``ResponseTruncation/Reason/repetition(_:)``.
public struct RepetitionDetector: Sendable {
  /// When repetition counts as degenerate.
  public struct Configuration: Sendable, Hashable {
    /// How many times a block must appear in a row (the first occurrence included); at least 2.
    public var minimumRepeats: Int
    /// The fewest characters the repeats must cover together, so short legitimate repeats ("no, no, no") never
    /// count; at least 1.
    public var minimumRepeatedCharacters: Int
    /// The longest block looked for, in words; at least 1.
    public var maximumBlockWords: Int

    /// Creates a configuration; the defaults stop a 25-character line on its 8th copy and never a refrain sung
    /// four times.
    public init(minimumRepeats: Int = 5, minimumRepeatedCharacters: Int = 200, maximumBlockWords: Int = 100) {
      self.minimumRepeats = max(2, minimumRepeats)
      self.minimumRepeatedCharacters = max(1, minimumRepeatedCharacters)
      self.maximumBlockWords = max(1, maximumBlockWords)
    }
  }

  /// What repeated, and where the text should end.
  @MemberwiseInit
  public struct Report: Sendable, Hashable, CustomStringConvertible {
    /// The repeating block as first written, whitespace collapsed (e.g. `Silent whispers of leaves,`).
    public var block: String
    /// How many times in a row it appeared when it was noticed.
    public var repeats: Int
    /// The text up to the end of the block's first occurrence: what is worth keeping.
    public var keptText: String

    /// E.g. `repeated "Silent whispers of leaves," 8 times`.
    public var description: String {
      let shown = block.count > 60 ? String(block.prefix(60)) + "…" : block
      return "repeated \"\(shown)\" \(repeats) times"
    }
  }

  /// The configuration in use.
  public let configuration: Configuration
  /// Everything fed so far.
  public private(set) var text = ""
  /// One hash per complete word.
  private var words: [Int] = []
  /// The UTF-8 offsets where each complete word starts and ends in ``text``.
  private var starts: [Int] = []
  private var ends: [Int] = []
  /// For each block length `p` (index `p - 1`): how many words in a row, ending at the last word, equal the
  /// word `p` before them.
  private var runs: [Int]
  /// The UTF-8 length of ``text``, and where the unfinished last word starts (`nil` between words).
  private var length = 0
  private var wordStart: Int?
  /// The bytes of the unfinished last word.
  private var word: [UInt8] = []
  private var atLineStart = true
  private var report: Report?

  /// Creates a detector.
  public init(_ configuration: Configuration = Configuration()) {
    self.configuration = configuration
    runs = Array(repeating: 0, count: configuration.maximumBlockWords)
  }

  /// Adds `delta`; returns the report once the text ends in degenerate repetition (and the same report after).
  public mutating func feed(_ delta: String) -> Report? {
    if let report { return report }
    text += delta
    for byte in delta.utf8 {
      let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
      if isSpace {
        if wordStart != nil, let found = completeWord(end: length) {
          report = found
          return found
        }
        if byte == 0x0A { atLineStart = true }
      } else {
        if wordStart == nil {
          wordStart = length
          word.removeAll(keepingCapacity: true)  // one buffer for all the words
        }
        word.append(byte)
      }
      length += 1
    }
    return nil
  }

  /// Ends the text (the last word needs no trailing space); returns the report, if any.
  public mutating func finish() -> Report? {
    if let report { return report }
    guard wordStart != nil else { return nil }
    report = completeWord(end: length)
    return report
  }

  /// The report for a whole text, or `nil` when it does not end in degenerate repetition.
  public static func check(_ text: String, configuration: Configuration = Configuration()) -> Report? {
    var detector = RepetitionDetector(configuration)
    return detector.feed(text) ?? detector.finish()
  }

  /// Records the word that ends at `end` and looks for a repeating block ending with it.
  private mutating func completeWord(end: Int) -> Report? {
    guard let start = wordStart else { return nil }
    wordStart = nil
    var hasher = Hasher()
    if atLineStart, Self.isListMarker(word) {
      hasher.combine(0x23)  // every "1." / "2)" at a line start is the same word
    } else {
      word.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
    atLineStart = false
    let hash = hasher.finalize()
    let index = words.count
    words.append(hash)
    starts.append(start)
    ends.append(end)
    var found: Report?
    for period in 1...configuration.maximumBlockWords {
      guard period <= index, words[index - period] == hash else {
        runs[period - 1] = 0
        continue
      }
      runs[period - 1] += 1
      let repeats = (runs[period - 1] + period) / period
      if found == nil, repeats >= configuration.minimumRepeats {
        let first = index + 1 - repeats * period
        if end - starts[first] >= configuration.minimumRepeatedCharacters {
          found = makeReport(firstWord: first, period: period, repeats: repeats)
        }
      }
    }
    return found
  }

  /// The report for `repeats` copies of a `period`-word block starting at word `firstWord`. The kept text ends at
  /// the last line end inside the first copy (a block read from a line start, e.g. `1. Apples are red` rather than
  /// `Apples are red 2.`), or after the whole first copy when it has none.
  private func makeReport(firstWord: Int, period: Int, repeats: Int) -> Report {
    let utf8 = Array(text.utf8)
    let lastOfFirstCopy = firstWord + period - 1
    let end = (firstWord...lastOfFirstCopy).last { ends[$0] < utf8.count && utf8[ends[$0]] == 0x0A }
      ?? lastOfFirstCopy
    let block = (max(0, end + 1 - period)...end)
      .map { String(decoding: utf8[starts[$0]..<ends[$0]], as: UTF8.self) }
      .joined(separator: " ")
    return Report(block: block, repeats: repeats, keptText: String(decoding: utf8[..<ends[end]], as: UTF8.self))
  }

  /// `12.` or `3)`: digits followed by one `.` or `)`.
  private static func isListMarker(_ bytes: [UInt8]) -> Bool {
    guard let last = bytes.last, last == UInt8(ascii: ".") || last == UInt8(ascii: ")"), bytes.count >= 2 else {
      return false
    }
    return bytes.dropLast().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
  }
}
