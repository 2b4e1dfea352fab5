import ArgumentParser

/// `--json` for commands that print a list: a JSON array instead of the table.
struct JSONArrayOutput: ParsableArguments {
  @Flag(help: "Print a JSON array.")
  var json = false
}

/// `--json` for commands that print one report: a JSON object instead of the text.
struct JSONObjectOutput: ParsableArguments {
  @Flag(help: "Print one JSON object.")
  var json = false
}
