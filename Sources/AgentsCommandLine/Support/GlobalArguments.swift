/// Takes the global settings (every ``Setting`` with an ``Setting/option``) out of a command line, wherever they
/// stand before `--`: `agents --model x ask hi` and `agents ask --model x hi` mean the same. What is left goes to
/// the subcommand's parser.
package enum GlobalArguments {
  /// The settings given and the other arguments, in order.
  ///
  /// `--name value` and `--name=value` both work (a short form such as `-o` only as `-o value`); a flag is `--name`
  /// or `--no-name`; a ``Setting/Kind/keyValues`` option given more than once adds up. Everything from `--` on is
  /// left alone.
  ///
  /// - Throws: ``AppError`` (usage) when an option that takes a value is last, or a flag is given a value.
  package static func extract(_ arguments: [String]) throws(AppError) -> (options: GlobalOptions, rest: [String]) {
    var options = GlobalOptions(values: [:])
    var rest: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" {
        rest.append(contentsOf: arguments[index...])
        break
      }
      let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      guard argument.hasPrefix("--") || argument.count == 2, argument.hasPrefix("-"),
        let (setting, negated) = Setting.withOption(parts[0])
      else {
        rest.append(argument)
        index += 1
        continue
      }
      if setting.kind == .flag {
        guard parts.count == 1 else {
          throw AppError(.usage, "\(parts[0]) takes no value", fix: "write \(parts[0]) alone")
        }
        options[setting] = negated ? "0" : "1"
        index += 1
      } else if parts.count == 2 {
        options.add(parts[1], for: setting)
        index += 1
      } else {
        guard index + 1 < arguments.count else {
          throw AppError(.usage, "missing value for \(argument)", fix: "pass e.g. \(argument) \(setting.example)")
        }
        options.add(arguments[index + 1], for: setting)
        index += 2
      }
    }
    return (options, rest)
  }

  /// The global options, for "did you mean" suggestions: each option, and `--no-…` for flags.
  package static var optionNames: [String] {
    Setting.all.flatMap { setting -> [String] in
      guard let option = setting.option else { return [] }
      return setting.kind == .flag && setting.key != Setting.verbose.key
        ? [option, "--no-" + option.dropFirst(2)] : [option]
    }
  }

  /// " (did you mean '--model'?)" when `message` is the parser's "Unknown option '--modle'" and a global option is
  /// close; otherwise "".
  package static func suggestion(for message: String) -> String {
    let prefix = "Unknown option '"
    guard message.hasPrefix(prefix) else { return "" }
    let option = message.dropFirst(prefix.count).prefix { $0 != "'" }
    return Suggestions.didYouMean(String(option), in: optionNames)
  }
}
