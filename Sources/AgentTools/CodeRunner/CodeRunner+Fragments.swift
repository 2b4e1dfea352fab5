/// Running a pasted fragment: code that uses names it does not define (`for i in 0...items.count { … }` without
/// `items`). Such code fails before it does anything, so its run says nothing about the code. Where the code's
/// own use of a name shows what kind of value it is, the runner defines it with an example value and runs again;
/// where it does not, the report asks the caller to define the names and run again.
///
/// The runner cannot know types in general; it only tells two uses apart: a name used as a sequence (subscripted,
/// counted, iterated, appended to: `items[i]`, `items.count`, `len(items)`, `for x in items`) gets the array
/// `[1, 2, 3]`, and a name used only as a plain value (`total / count`, `range(n)`) the number `3`. A name that is
/// called (`f(5)`) or has another member read (`user.name`) is left to the caller, who can see what it must be.
extension CodeRunner {
  /// How many times a fragment is run again with more definitions (Python and JavaScript name one missing name
  /// per run).
  static let fillingRounds = 3

  /// Runs `code` as `language`; when it fails only because it uses names it does not define, runs it again with
  /// example definitions of those names put before it, and returns the report the model reads.
  public func runFillingIn(_ code: String, language: Language) async -> String {
    let first = await run(code, language: language)
    let names = first.undefinedNames
    guard !names.isEmpty else { return first.report }
    guard language != .swift || first.failsOnlyForUndefinedNames else { return first.report }
    var definitions: [String] = []
    var defined: Set<String> = []
    var run = first
    var missing = names
    for _ in 0..<Self.fillingRounds where !missing.isEmpty {
      let guessed = missing.compactMap { ExampleValue.definition(of: $0, in: code, language: language) }
      guard guessed.count == missing.count else { break }
      definitions += guessed
      defined.formUnion(missing)
      run = await self.run((definitions + [code]).joined(separator: "\n"), language: language)
      missing = run.undefinedNames.filter { !defined.contains($0) }
    }
    // Swift checks types before it runs anything, so a compile error now comes from an example value that does
    // not fit the code (the first run showed every other compile error): the caller must choose the values.
    let fits = language != .swift || !run.hasCompileErrors
    guard !definitions.isEmpty, run.undefinedNames.isEmpty, fits else {
      let all = names + run.undefinedNames.filter { !names.contains($0) }
      return Self.askForDefinitions(all, code: code, language: language)
    }
    // One line: `let a = [1, 2, 3]; let b = 3` (JavaScript's own semicolons dropped).
    let shown = definitions.map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }.joined(separator: "; ")
    return run.report(note: "(run with example values put before the snippet: \(shown))")
  }

  /// The report for a fragment the runner could not complete: it did not run, and the caller should run it again
  /// with definitions of `names`. Begins with ``Runner/Configuration/CodeRunningTool/needsDefinitions``.
  static func askForDefinitions(_ names: [String], code: String, language: Language) -> String {
    let list = names.map { "'\($0)'" }.joined(separator: ", ")
    let name = names.first ?? "items"
    let example =
      ExampleValue.isCalled(name, in: code)
      ? ExampleValue.function(name: name, language: language)
      : ExampleValue.line(name: name, value: "[1, 2, 3]", language: language)
    return Runner.Configuration.CodeRunningTool.needsDefinitions
      + "the code uses \(list), which it does not define, so it stopped before doing anything. Call run_code "
      + "again with the same code, and before it define \(names.count == 1 ? "that name" : "those names") "
      + "with small example values (a list, a number or a function, as the code uses it), for example: \(example)"
  }
}

extension CodeRun {
  /// The names the code uses without defining them, when the run failed for that: Swift's `cannot find 'x' in
  /// scope` (all of them), Python's `NameError` and JavaScript's `ReferenceError` (the first); empty otherwise.
  public var undefinedNames: [String] {
    guard case .exited(let status) = ending, status != 0 else { return [] }
    var names: [String] = []
    for pattern in Self.undefinedNamePatterns {
      for match in standardError.matches(of: pattern) where !names.contains(String(match.output.1)) {
        names.append(String(match.output.1))
      }
    }
    return names
  }

  /// Whether every compile error the Swift run reported is a name it cannot find.
  var failsOnlyForUndefinedNames: Bool {
    let errors = standardError.split(separator: "\n").filter { $0.contains(": error: ") }
    return !errors.isEmpty && errors.allSatisfy { $0.contains("cannot find '") && $0.contains("' in scope") }
  }

  /// Whether the Swift run reported compile errors.
  var hasCompileErrors: Bool { standardError.contains(": error: ") }

  /// The interpreters' messages for a name the code uses without defining it, the name captured.
  static var undefinedNamePatterns: [Regex<(Substring, Substring)>] {
    [/cannot find '(\w+)' in scope/, /NameError: name '(\w+)' is not defined/, /ReferenceError: (\w+) is not defined/]
  }
}

/// Example values for names a fragment uses without defining them (see ``CodeRunner/runFillingIn(_:language:)``).
enum ExampleValue {
  /// A definition of `name` with an example value that fits how `code` uses it, or `nil` when the use does not
  /// show what it is (it is called, or a member other than a sequence's is read).
  static func definition(of name: String, in code: String, language: CodeRunner.Language) -> String? {
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !name.isEmpty else { return nil }
    func uses(_ pattern: String) -> Bool { matches(pattern, code) }
    let word = "(?:^|[^\\w.])\(name)"
    if isCalled(name, in: code) { return nil }
    let sequenceMembers = sequenceMembers.joined(separator: "|")
    let isSequence =
      uses("\(word)\\s*\\[") || uses("\(word)\\s*\\.(\(sequenceMembers))\\b") || uses("\\blen\\(\\s*\(name)\\s*\\)")
      || uses("\\b(in|of)\\s+\(name)\\b")
    if !isSequence && uses("\(word)\\s*\\.\\s*[A-Za-z_]") { return nil }
    let mutated = uses("\(word)\\s*(\\.(append|insert|remove|sort|reverse)\\b|\\[[^\\]]*\\]\\s*=[^=]|[-+*/]?=[^=])")
    return line(name: name, value: isSequence ? "[1, 2, 3]" : "3", language: language, mutable: mutated)
  }

  /// Whether `code` calls `name` (`name(…)`, not `x.name(…)`).
  static func isCalled(_ name: String, in code: String) -> Bool {
    matches("(?:^|[^\\w.])\(name)\\s*\\(", code)
  }

  /// A one-parameter function `name` that returns its argument, in `language`'s syntax.
  static func function(name: String, language: CodeRunner.Language) -> String {
    switch language {
    case .swift: "func \(name)(_ x: Int) -> Int { x }"
    case .python: "def \(name)(x): return x"
    case .javascript: "function \(name)(x) { return x; }"
    }
  }

  private static func matches(_ pattern: String, _ code: String) -> Bool {
    (try? Regex(pattern)).map { code.contains($0) } ?? false
  }

  /// `name = value` in `language`'s syntax (Swift `let`, or `var` when the code changes it; JavaScript `let`).
  static func line(name: String, value: String, language: CodeRunner.Language, mutable: Bool = false) -> String {
    switch language {
    case .swift: "\(mutable ? "var" : "let") \(name) = \(value)"
    case .python: "\(name) = \(value)"
    case .javascript: "let \(name) = \(value);"
    }
  }

  /// Members that only a sequence (array, list, string) has among the values the runner guesses.
  private static let sequenceMembers = [
    "count", "length", "isEmpty", "first", "last", "append", "insert", "remove", "map", "filter", "reduce",
    "sorted", "sort", "push", "pop", "forEach", "indices", "enumerated", "contains", "includes", "indexOf",
    "index", "reverse", "reversed", "slice", "join", "extend", "some", "every", "find", "startIndex", "endIndex",
  ]
}
