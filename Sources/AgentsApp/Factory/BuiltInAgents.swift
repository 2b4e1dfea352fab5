/// How the creative writer writes: its style, tone and usual length.
public struct WritingStyle: Sendable, Hashable {
  /// How long pieces usually are.
  public enum Length: String, Sendable, Hashable, CaseIterable {
    case short, medium, long

    var guidance: String {
      switch self {
      case .short: "Keep pieces short: a few sentences or a short poem, under about 150 words."
      case .medium: "Aim for a medium length: roughly 200 to 500 words."
      case .long: "Write at length when the task allows: 600 words or more, with room to develop ideas."
      }
    }
  }

  /// The literary style, e.g. `vivid`, `minimalist`, `whimsical`, `noir`.
  public var style: String
  /// The tone, e.g. `warm`, `playful`, `serious`.
  public var tone: String
  /// The usual length.
  public var length: Length

  /// Creates a style.
  public init(style: String = "vivid", tone: String = "warm", length: Length = .medium) {
    self.style = style
    self.tone = tone
    self.length = length
  }

  /// The default style: vivid, warm, medium length.
  public static let standard = WritingStyle()
}

/// The four built-in agents: math tutor, coding assistant, creative writer and triage.
public enum BuiltInAgents {
  /// `math`: the math tutor.
  public static let mathID = "math"
  /// `coding`: the coding assistant.
  public static let codingID = "coding"
  /// `creative`: the creative writer.
  public static let creativeID = "creative"
  /// `triage`: routes each request to a specialist.
  public static let triageID = "triage"
  /// The built-in ids, in `agents list` order.
  public static let ids = [mathID, codingID, creativeID, triageID]

  /// The math tutor: step-by-step explanations, arithmetic by the calculator tool.
  public static func mathTutor(model: String? = nil) -> AgentDefinition {
    AgentDefinition(
      id: mathID, name: "Math Tutor",
      instructions: """
        You are a patient math tutor. Explain problems step by step in plain language, show the \
        intermediate results, and finish with a clearly marked final answer.
        Always use the calculator tool for arithmetic, even simple sums: pass it a single expression \
        such as "(12.5 * 4) / 3" or "sqrt(2) ^ 2". It supports + - * / ^ %, parentheses, sqrt, sin, \
        cos, tan, log (base 10), ln, abs, round, pi and e. Never guess a numeric result you have not \
        computed with the tool. If the tool reports an error, fix the expression and try again.
        """,
      summary: "Solves and explains math step by step, using a calculator for arithmetic.",
      model: model, tools: [BuiltInTool.calculator.rawValue], guardsPromptInjection: true)
  }

  /// The coding assistant: programming and debugging help with read-only workspace tools.
  public static func codingAssistant(model: String? = nil) -> AgentDefinition {
    AgentDefinition(
      id: codingID, name: "Coding Assistant",
      instructions: """
        You are an experienced software engineer who helps with programming and debugging. Give \
        correct, idiomatic code with short explanations, point out bugs and their causes, and suggest \
        tests. When the question is about the user's project, look before answering: use list_files to \
        see the layout, search_text to find symbols or messages, and read_file to read the code. Paths \
        are relative to the workspace root. You can only read files; you cannot run commands or change \
        files, so show the user the edits to make.
        """,
      summary: "Helps with programming and debugging; can read the files in the workspace.",
      model: model,
      tools: [BuiltInTool.listFiles.rawValue, BuiltInTool.readFile.rawValue, BuiltInTool.searchText.rawValue],
      guardsPromptInjection: true)
  }

  /// The creative writer: ideation and writing in the given style.
  public static func creativeWriter(model: String? = nil, style: WritingStyle = .standard) -> AgentDefinition {
    AgentDefinition(
      id: creativeID, name: "Creative Writer",
      instructions: """
        You are a creative writer and brainstorming partner: stories, poems, names, slogans, outlines \
        and ideas. Write in a \(style.style) style with a \(style.tone) tone. \(style.length.guidance) \
        When the user asks for a different style, tone or length, adapt to it. Offer a few distinct \
        options when brainstorming, and ask one short question when the request is too vague to start.
        """,
      summary: "Brainstorms and writes stories, poems and copy in an adaptable style.",
      model: model, guardsPromptInjection: true)
  }

  /// The triage agent: answers nothing itself beyond greetings, and hands off to a specialist.
  public static func triage(model: String? = nil) -> AgentDefinition {
    AgentDefinition(
      id: triageID, name: "Triage",
      instructions: """
        You are the front desk of a team of specialists. For every request, decide which specialist \
        should answer and hand off to them by calling the matching transfer tool; do not answer the \
        request yourself and do not describe the handoff in text. Hand off math and arithmetic to the \
        Math Tutor, programming and debugging to the Coding Assistant, and stories, poems, ideas and \
        other writing to the Creative Writer. Only greetings or questions about what you can do may be \
        answered directly, in one or two sentences.
        """,
      summary: "Routes each request to the math tutor, the coding assistant or the creative writer.",
      model: model, handoffs: [mathID, codingID, creativeID], guardsPromptInjection: true)
  }

  /// All built-in definitions with default settings.
  public static var all: [AgentDefinition] { [mathTutor(), codingAssistant(), creativeWriter(), triage()] }
}
