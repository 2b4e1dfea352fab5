extension Setting {
  /// The setting's default as help and the README show it.
  public var defaultText: String {
    if let defaultDescription { return defaultDescription }
    return defaultValue.map { kind == .flag ? ($0 == .flag(true) ? "on" : "off") : $0.description } ?? "not set"
  }

  /// How the option is written in help: `--base-url <url>`, `--[no-]cache`, `--verbose`.
  public var optionSynopsis: String? {
    guard let option else { return nil }
    if kind == .flag { return key == Setting.verbose.key ? option : "--[no-]" + option.dropFirst(2) }
    return (shortOption.map { $0 + ", " } ?? "") + "\(option) <\(valueName)>"
  }

  /// The settings section appended to every `--help`: each setting with an option, its help, environment variables,
  /// file key and default; then the settings that only the environment sets.
  public static var helpText: String {
    var lines = ["SETTINGS (any command; option > environment > config file > default):"]
    let withOptions = all.filter { $0.option != nil }
    let width = (withOptions.compactMap { $0.optionSynopsis?.count }.max() ?? 0) + 2
    for setting in withOptions {
      var sources: [String] = []
      if !setting.variables.isEmpty { sources.append("env " + setting.variables.joined(separator: ", ")) }
      if setting.inFile { sources.append("file " + setting.key) }
      if setting.defaultValue != nil || setting.defaultDescription != nil {
        sources.append("default " + setting.defaultText)
      }
      let detail = sources.isEmpty ? "" : " (" + sources.joined(separator: "; ") + ")"
      lines += helpEntry(setting.optionSynopsis ?? "", setting.help + detail, width: width)
    }
    lines.append("  Environment only:")
    for setting in all where setting.option == nil {
      let text = setting.help + " (default " + setting.defaultText + ")"
      lines += helpEntry(setting.variables.joined(separator: ", "), text, width: width)
    }
    return lines.joined(separator: "\n")
  }

  /// `name` in a column of `width`, then `text` wrapped at 100 columns with its continuation lines under it.
  private static func helpEntry(_ name: String, _ text: String, width: Int) -> [String] {
    let indent = String(repeating: " ", count: width + 2)
    var lines: [String] = []
    var line = "  " + name + String(repeating: " ", count: max(1, width - name.count))
    var lineHasWords = false
    for word in text.split(separator: " ") {
      if lineHasWords, line.count + 1 + word.count > 100 {
        lines.append(line)
        line = indent
        lineHasWords = false
      }
      line += (lineHasWords ? " " : "") + word
      lineHasWords = true
    }
    lines.append(line)
    return lines
  }

  /// The README's settings reference: a Markdown table with one row per setting.
  public static var markdownReference: String {
    var lines = [
      "| setting | option | environment | file key (`defaults:`) | accepts | default |",
      "|---|---|---|---|---|---|",
    ]
    for setting in all + commandOptions {
      let option = setting.optionSynopsis.map { "`\($0)`" } ?? "—"
      let variables = setting.variables.isEmpty ? "—" : setting.variables.map { "`\($0)`" }.joined(separator: ", ")
      let file = setting.inFile ? "`\(setting.key)`" : "—"
      let cells = [
        "\(setting.label): \(setting.help)", option, variables, file, setting.requirement, setting.defaultText,
      ]
      lines.append("| " + cells.map { $0.replacingPipes() }.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate func replacingPipes() -> String {
    var result = ""
    for character in self { result += character == "|" ? "\\|" : String(character) }
    return result
  }
}
