import Synchronization

extension Model {
  /// The size written in the model's name, e.g. 500,000,000 for `qwen2.5-coder-0.5b` or `qwen2.5:0.5b`,
  /// 135,000,000 for `smollm2-135m`; `nil` when the name carries none (`llama3.2`).
  public var parameterCount: Int? { ModelSize.parameterCount(inName: name) }
}

/// Reads model sizes from model names.
public enum ModelSize {
  /// The parameter count a model name states: the last `<number>b` or `<number>m` that stands alone between
  /// separators (`:`, `-`, `_`, `/`, `.`, or the ends), e.g. `qwen2.5-coder-0.5b`, `llama3.2:1b`,
  /// `SmolLM2-135M-Instruct`. Mixture sizes such as `8x7b` count all experts.
  public static func parameterCount(inName name: String) -> Int? {
    // A run asks for every model it makes (one per turn): a name is read once per process.
    if let known = readNames.withLock({ $0[name] }) { return known }
    let separators: Set<Character> = [":", "-", "_", "/", " ", "@"]
    let tokens = name.lowercased().split(whereSeparator: { separators.contains($0) })
    let count = tokens.reversed().lazy.compactMap(count(in:)).first
    readNames.withLock { names in
      if names.count >= 256 { names.removeAll() }  // bounded: a process uses a handful of models
      names[name] = .some(count)  // a name without a size is remembered too
    }
    return count
  }

  /// The counts read from names so far (`nil`: the name states none).
  private static let readNames = Mutex<[String: Int?]>([:])

  private static func count(in token: Substring) -> Int? {
    guard let unit = token.last, unit == "b" || unit == "m" else { return nil }
    var digits = token.dropLast()
    var experts = 1.0
    if let times = digits.firstIndex(of: "x"), let count = Double(digits[..<times]) {
      experts = count
      digits = digits[digits.index(after: times)...]
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(digits), value > 0
    else { return nil }
    let scale = unit == "b" ? 1e9 : 1e6
    return Int(value * experts * scale)
  }
}
