extension Setting {
  /// Checks a whole-number option of one command (``Setting/commandOptions``) against its declared range.
  ///
  /// - Throws: ``AppError`` (usage) naming the option, the value and what it accepts.
  package func check(_ value: Int) throws(AppError) {
    guard let range = integerRange, !range.contains(value), let option else { return }
    throw AppError(
      .usage, "invalid value \(value) for \(option); it must be \(requirement)", fix: "pass e.g. \(option) \(example)")
  }
}
