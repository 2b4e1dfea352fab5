/// Lets global options come before the subcommand (`agents --model x ask hi`) by moving them to the end
/// of the command line (before any `--`), where the subcommand's parser reads them.
package enum ArgumentNormalizer {
  /// Global options that take a value.
  package static let valuedGlobalOptions: Set<String> = [
    "--base-url", "--api-key", "--provider", "--model", "--timeout", "--config",
  ]
  /// Global flags.
  package static let globalFlags: Set<String> = ["--verbose"]

  /// The arguments with leading global options moved behind the subcommand's own arguments.
  ///
  /// Only options before the first non-option argument move; `--opt=value` forms are kept whole.
  /// Anything unrecognised stops the scan, so the parser reports it in its usual way.
  package static func normalize(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
      if globalFlags.contains(argument) {
        leading.append(argument)
        index += 1
      } else if valuedGlobalOptions.contains(name) {
        if argument.contains("=") {
          leading.append(argument)
          index += 1
        } else {
          leading.append(contentsOf: arguments[index..<min(index + 2, arguments.count)])
          index += 2
        }
      } else {
        break
      }
    }
    guard !leading.isEmpty, index < arguments.count else { return arguments }
    guard !arguments[index].hasPrefix("-") else { return arguments }
    let rest = arguments[index...]
    guard let terminator = rest.firstIndex(of: "--") else { return Array(rest) + leading }
    return Array(rest[..<terminator]) + leading + rest[terminator...]
  }
}
