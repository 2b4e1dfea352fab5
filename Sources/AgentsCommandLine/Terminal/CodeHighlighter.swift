/// Colours for the lines of a fenced code block whose language is known: keywords magenta, strings green, comments
/// dim, numbers yellow, the rest in the terminal's own colour.
///
/// A line-by-line lexer, not a parser: it knows each language's keywords, comment markers and quotes, and carries
/// only a block comment across lines. Code in a language it does not know keeps the plain code colour.
struct CodeHighlighter: Sendable {
  /// What the highlighter knows about a language.
  struct Language: Sendable {
    /// Words shown as keywords.
    var keywords: Set<String>
    /// Markers that start a comment running to the end of the line.
    var lineComments: [String]
    /// The markers of a comment that may span lines, if the language has one.
    var blockComment: (start: String, end: String)?
    /// The characters that open and close a string.
    var quotes: Set<Character> = ["\"", "'"]
    /// Whether keywords match in any letter case (SQL).
    var caseInsensitive = false
  }

  private let language: Language
  private var inBlockComment = false

  /// A highlighter for the language a fence names (```swift, ```py, ```sh …), or `nil` when it is not known.
  init?(fenceInfo: String) {
    let name = fenceInfo.split(whereSeparator: { $0 == " " || $0 == "{" || $0 == "," }).first.map { $0.lowercased() }
    guard let name, let language = Self.languages[name] else { return nil }
    self.language = language
  }

  /// `line` with colours (or unchanged when `style` is off); a block comment left open carries to the next line.
  mutating func highlight(_ line: String, style: TextStyle) -> String {
    let characters = Array(line)
    var output = ""
    var index = 0
    func text(_ range: Range<Int>) -> String { String(characters[range]) }
    func starts(_ marker: String, at position: Int) -> Bool {
      let marker = Array(marker)
      return position + marker.count <= characters.count
        && Array(characters[position..<position + marker.count]) == marker
    }
    while index < characters.count {
      if inBlockComment, let (_, end) = language.blockComment {
        var stop = index
        while stop < characters.count, !starts(end, at: stop) { stop += 1 }
        if stop < characters.count {
          stop += end.count
          inBlockComment = false
        }
        output += style.dim(text(index..<stop))
        index = stop
        continue
      }
      let character = characters[index]
      let previous: Character? = index > 0 ? characters[index - 1] : nil
      if language.lineComments.contains(where: { starts($0, at: index) }),
        character != "#" || (previous?.isWhitespace ?? true)
      {
        output += style.dim(text(index..<characters.count))
        break
      }
      if let (start, _) = language.blockComment, starts(start, at: index) {
        inBlockComment = true
        output += style.dim(start)
        index += start.count
        continue
      }
      if language.quotes.contains(character) {
        var stop = index + 1
        while stop < characters.count, characters[stop] != character {
          stop += characters[stop] == "\\" ? 2 : 1
        }
        stop = min(stop + 1, characters.count)
        output += style.green(text(index..<stop))
        index = stop
        continue
      }
      if character.isNumber, !(previous.map(Self.isWordCharacter) ?? false) {
        var stop = index + 1
        while stop < characters.count, Self.isWordCharacter(characters[stop]) || characters[stop] == "." { stop += 1 }
        output += style.yellow(text(index..<stop))
        index = stop
        continue
      }
      if Self.isWordCharacter(character) {
        var stop = index + 1
        while stop < characters.count, Self.isWordCharacter(characters[stop]) { stop += 1 }
        let word = text(index..<stop)
        let isKeyword = language.keywords.contains(language.caseInsensitive ? word.lowercased() : word)
        output += isKeyword ? style.magenta(word) : word
        index = stop
        continue
      }
      output.append(character)
      index += 1
    }
    return output
  }

  private static func isWordCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || character == "_"
  }

  private static func words(_ list: String) -> Set<String> { Set(list.split(separator: " ").map(String.init)) }

  private static let cStyle = (start: "/*", end: "*/")

  /// The known languages by the names fences use for them.
  static let languages: [String: Language] = {
    let swift = Language(
      keywords: words(
        "func let var if else guard return struct class enum protocol extension import for in while repeat switch case "
          + "default break continue throw throws try catch do async await actor init self Self nil true false public "
          + "private internal package fileprivate static final some any where as is inout defer typealias"),
      lineComments: ["//"], blockComment: cStyle, quotes: ["\""])
    let python = Language(
      keywords: words(
        "def class return if elif else for while in not and or is None True False import from as with try except "
          + "finally raise lambda yield pass break continue global nonlocal async await assert del"),
      lineComments: ["#"])
    let javaScript = Language(
      keywords: words(
        "function const let var if else return for while do switch case default break continue new class extends "
          + "import export from async await try catch finally throw typeof instanceof null undefined true false this "
          + "interface type enum implements of in yield"),
      lineComments: ["//"], blockComment: cStyle, quotes: ["\"", "'", "`"])
    let shell = Language(
      keywords: words(
        "if then else elif fi for in do done while until case esac function return export local set echo exit"),
      lineComments: ["#"])
    let rust = Language(
      keywords: words(
        "fn let mut if else match return struct enum impl trait use mod pub for in while loop break continue as ref "
          + "self Self true false where async await move const static unsafe dyn crate super type"),
      lineComments: ["//"], blockComment: cStyle, quotes: ["\""])
    let go = Language(
      keywords: words(
        "func var const if else return for range switch case default break continue package import type struct "
          + "interface map chan go defer select nil true false"),
      lineComments: ["//"], blockComment: cStyle, quotes: ["\"", "`"])
    let cFamily = Language(
      keywords: words(
        "int char void float double long short unsigned signed bool auto const static struct union enum typedef if "
          + "else for while do switch case default break continue return sizeof include define class public private "
          + "protected virtual template typename namespace using new delete true false nullptr NULL this final "
          + "extends implements import package interface throws throw try catch finally"),
      lineComments: ["//"], blockComment: cStyle)
    let sql = Language(
      keywords: words(
        "select from where insert into values update set delete create table drop alter index join left right inner "
          + "outer on group by order having limit and or not null is in as distinct primary key"),
      lineComments: ["--"], blockComment: cStyle, quotes: ["'"], caseInsensitive: true)
    let json = Language(keywords: words("true false null"), lineComments: [], quotes: ["\""])
    let yaml = Language(keywords: words("true false null yes no"), lineComments: ["#"])
    var table: [String: Language] = [:]
    for (names, language) in [
      ("swift", swift), ("python py python3", python), ("javascript js jsx typescript ts tsx node", javaScript),
      ("bash sh shell zsh console", shell), ("rust rs", rust), ("go golang", go),
      ("c h cpp c++ cc hpp java kotlin kt csharp cs objc", cFamily), ("sql", sql), ("json jsonc", json),
      ("yaml yml", yaml),
    ] {
      for name in names.split(separator: " ") { table[String(name)] = language }
    }
    return table
  }()
}
