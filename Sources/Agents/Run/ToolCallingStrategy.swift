/// How the runner gets tool calls and handoffs out of a model.
///
/// Large models call tools natively and reliably. Models of 0.5B to 3B parameters mostly do not: they write
/// the call as text, pick the wrong specialist, or repeat a call after getting its result. The
/// ``constrained`` strategy uses constrained decoding (a `response_format` JSON schema, which llama.cpp,
/// Ollama, vLLM and OpenAI enforce with a grammar) for the decisions such models get wrong:
///
/// - **Routing**: an agent with handoffs first classifies the newest user message with a short, standalone
///   question whose answer must be one of the handoff targets' names or `greeting or small talk` (the agent
///   itself), decoded greedily; a target's name hands off to it.
/// - **Required calls**: when the agent's ``ModelSettings/toolChoice`` is ``ToolChoice/required`` or
///   ``ToolChoice/function(_:)``, the reply must be `{"question": …, "name": …, "arguments": …}` for one of
///   those tools (many servers ignore `tool_choice`): the request restated first, so that the arguments cover all
///   of it; a call whose arguments leave out a number of the request is asked once more without the restatement.
/// - **Answering**: after tool results, the next call carries a one-off user message telling the model to
///   answer with them rather than call the tool again.
///
/// Constrained steps use temperature 0. Everything else (text tool-call recovery, argument repair,
/// repeated-call guidance) applies under both strategies.
public enum ToolCallingStrategy: String, Sendable, Hashable, CaseIterable {
  /// ``constrained`` for models known to have fewer than ``smallModelParameterLimit`` parameters (from
  /// ``Model/parameterCount``), else ``native``.
  case automatic
  /// Tools and handoffs are offered in the request, and the model calls them itself.
  case native
  /// Routing, required calls and answers after tool results are steered with constrained decoding.
  case constrained

  /// Models with fewer parameters than this count as small: 4 billion.
  public static let smallModelParameterLimit = 4_000_000_000

  /// The strategy for `model`: this one, or for ``automatic`` the one its size calls for.
  public func resolved(for model: any Model) -> ToolCallingStrategy {
    guard self == .automatic else { return self }
    guard let count = model.parameterCount else { return .native }
    return count < Self.smallModelParameterLimit ? .constrained : .native
  }
}

/// The texts and schemas of the constrained steps.
enum ConstrainedSteps {
  /// The label that keeps a request with the routing agent itself.
  static let ownLabel = "greeting or small talk"

  /// The standalone routing question: measured on Qwen2.5-Coder-0.5B, asking what the request is about, with
  /// the answers only in the schema, routes far better than listing the options in the prompt (which makes
  /// small models pick the first one) or adding the agent's instructions.
  static func routingQuestion(for request: String) -> String {
    "What is this request about: \"\(request)\"?\nReply with JSON."
  }

  /// The schema of the routing answer: one of `labels`.
  static func routingSchema(labels: [String]) -> JSONSchema {
    JSONSchema([
      "type": "object",
      "properties": ["topic": ["type": "string", "enum": .array(labels.map(JSONValue.string))]],
      "required": ["topic"], "additionalProperties": false,
    ])
  }

  /// The name of a required call's schema that starts with the restated request.
  static let restatedCallName = "tool_call"
  /// The field a required call starts with: the request, restated.
  static let restatementField = "question"
  /// The longest restatement, in characters: room for a question, and an end to a rambling one.
  static let restatementLength = 300

  /// The schema of a required call to one of `tools`: `{"name": …, "arguments": …}`, with `restating`
  /// `{"question": …, "name": …, "arguments": …}`.
  ///
  /// The restated request comes first so that the arguments are written with the whole request just before them
  /// (run loops read only `name` and `arguments`). Measured on Qwen2.5-Coder-0.5B at temperature 0: "What is the
  /// square root of 144 plus 15% of 80?" became `144 + 15% of 80` without it and `sqrt(144) + (15% of 80)` with
  /// it; but "Compute (17 + 25) / 6 - 2^3." became `17 + 25` with it, which ``numbersLeftOut(of:by:)`` catches
  /// (the call is then asked again without the restatement). A free "plan" field instead made the model work the
  /// numbers out in it (a runaway `7000000…`) and drop parentheses.
  static func callSchema(for tools: [ToolDefinition], restating: Bool) -> JSONSchema {
    func shape(_ tool: ToolDefinition) -> JSONValue {
      var properties: JSONObject = [
        "name": ["type": "string", "enum": [.string(tool.name)]], "arguments": tool.parameters.value,
      ]
      var required: [JSONValue] = ["name", "arguments"]
      if restating {
        let restatement: JSONValue = ["type": "string", "maxLength": .int(restatementLength)]
        properties = JSONObject([(restatementField, restatement)] + properties.fields.map { ($0.key, $0.value) })
        required.insert(.string(restatementField), at: 0)
      }
      return [
        "type": "object", "properties": .object(properties), "required": .array(required),
        "additionalProperties": false,
      ]
    }
    if tools.count == 1 { return JSONSchema(shape(tools[0])) }
    return JSONSchema(["anyOf": .array(tools.map(shape))])
  }

  /// Whether a constrained call step's reply is a whole call: JSON with a `name` and an `arguments` object, not
  /// cut at the token limit (a small model can run away inside a string until the limit ends it).
  static func isWholeCall(_ response: ModelResponse) -> Bool {
    guard response.finishReason != "length", let text = response.text,
      case .object(let call)? = try? JSONValue.parse(text)
    else { return false }
    return call["name"]?.stringValue != nil && call["arguments"]?.objectValue != nil
  }

  /// The numbers of `request` (the user's message) that the arguments of the call in `reply` leave out, e.g.
  /// `[6, 2, 3]` for "Compute (17 + 25) / 6 - 2^3." answered with `{"arguments": {"expression": "17 + 25"}}`;
  /// empty when the reply holds no call.
  static func numbersLeftOut(of request: String, by reply: String) -> [Double] {
    guard let arguments = arguments(in: reply) else { return [] }
    let used = Set(numbers(in: leaves(of: arguments).joined(separator: " ")))
    var left: [Double] = []
    for number in numbers(in: request) where !used.contains(number) && !left.contains(number) { left.append(number) }
    return left
  }

  /// The `arguments` of the call in `reply`, when it holds one.
  static func arguments(in reply: String) -> JSONValue? {
    (try? JSONValue.parse(JSONExtraction.extract(from: reply)))?["arguments"]
  }

  /// The scalar values of `value` as text, depth first.
  static func leaves(of value: JSONValue) -> [String] {
    switch value {
    case .string(let text): [text]
    case .int(let number): [String(number)]
    case .double(let number): [String(number)]
    case .array(let values): values.flatMap(leaves(of:))
    case .object(let object): object.fields.flatMap { leaves(of: $0.value) }
    case .null, .bool: []
    }
  }

  /// The numbers written in `text` with digits: `17`, `2.5`, the `15` of `15%`.
  static func numbers(in text: String) -> [Double] {
    text.matches(of: /\d+(?:\.\d+)?/).compactMap { Double($0.output) }
  }

  /// `items` without the tool calls (and their outputs) of tools not in `callable`: after a handoff, a small
  /// model that sees the previous agent's calls imitates them (it writes `transfer_to_…` as its answer).
  static func callableOnly(_ items: [Item], callable: Set<String>) -> [Item] {
    var hidden = Set<String>()
    return items.filter { item in
      switch item {
      case .toolCall(let call):
        guard !callable.contains(call.name) else { return true }
        hidden.insert(call.id)
        return false
      case .toolOutput(let output): return !hidden.contains(output.callID)
      default: return true
      }
    }
  }

  /// The one-off message after tool results: small models otherwise call the same tool again.
  static let answerWithResults = "Now answer my question in words, using this result. Do not call the tool again."
}
