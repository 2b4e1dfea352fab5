/// How the creative writer writes: its style, tone and usual length.
@MemberwiseInit
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

    /// The answer-token limit that fits this length with room to spare: 512, 1024 or 2048.
    public var maxTokens: Int {
      switch self {
      case .short: 512
      case .medium: 1024
      case .long: 2048
      }
    }
  }

  /// The literary style, e.g. `vivid`, `minimalist`, `whimsical`, `noir`.
  public var style: String = "vivid"
  /// The tone, e.g. `warm`, `playful`, `serious`.
  public var tone: String = "warm"
  /// The usual length.
  public var length: Length = .medium

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

  /// The answer-token limits (`max_tokens`) of the built-in agents: room for their usual answers, and an end to
  /// a runaway one (a small model repeating itself would otherwise write until the context is full). The
  /// creative writer's follows its ``WritingStyle/Length``.
  public enum AnswerLimit {
    /// The math tutor: a step-by-step explanation.
    public static let math = 1024
    /// The coding assistant: code with an explanation.
    public static let coding = 2048
    /// Triage: a greeting or a one-line answer; its handoffs are tool calls.
    public static let triage = 256
  }

  // The instructions are written for small models too (0.5B–3B parameters): short sentences, one job each,
  // an example of the call, and when to use each tool. Longer, nuanced prompts measured worse on
  // Qwen2.5-Coder-0.5B: the model copied their wording and skipped the tools.

  /// The math tutor: arithmetic by the calculator tool (required on its first turn), then a short explanation.
  public static func mathTutor(model: String? = nil) -> AgentDefinition {
    AgentDefinition(
      id: mathID, name: "Math Tutor",
      instructions: """
        You are a math tutor. Use the calculator tool for every calculation; never work numbers out in your \
        head. Give it one expression, for example {"expression": "17% of 2340"} or {"expression": "(12.5 * 4) / 3"}. \
        When it returns the result, explain the answer in a few short steps and end with the final answer. \
        If the calculator reports an error, fix the expression and call it again.
        """,
      summary: "Math: arithmetic, percentages, equations and word problems, worked out with a calculator.",
      model: model, maxTokens: AnswerLimit.math, tools: [BuiltInTool.calculator.rawValue], guardsPromptInjection: true,
      toolChoice: .required)
  }

  /// The coding assistant: programming and debugging help with the workspace tools; its file edits
  /// (`write_file`, `apply_patch`) run only after the user approved each one with its diff shown.
  public static func codingAssistant(model: String? = nil) -> AgentDefinition {
    AgentDefinition(
      id: codingID, name: "Coding Assistant",
      instructions: """
        You are a coding assistant. Answer programming questions directly with correct, idiomatic code and a \
        short explanation; point out bugs, their cause and the fix. Use the workspace tools only when the \
        question is about the user's own files: list_files to see them, search_text to find text, read_file \
        to read one (paths relative to the workspace root). Only when the user asks you to create or change a \
        file, use apply_patch to edit an existing file (read it first) or write_file to create one; the user \
        sees the diff and approves each edit. Otherwise show the code in your reply. run_code runs a short \
        program; the user approves each run.
        """,
      summary: "Programming: code, bugs, errors and tools; reads the workspace and edits files with your approval.",
      model: model, maxTokens: AnswerLimit.coding,
      tools: [
        BuiltInTool.listFiles.rawValue, BuiltInTool.readFile.rawValue, BuiltInTool.searchText.rawValue,
        BuiltInTool.writeFile.rawValue, BuiltInTool.applyPatch.rawValue, BuiltInTool.runCode.rawValue,
      ],
      guardsPromptInjection: true)
  }

  /// The creative writer: ideation and writing in the given style.
  public static func creativeWriter(model: String? = nil, style: WritingStyle = .standard) -> AgentDefinition {
    AgentDefinition(
      id: creativeID, name: "Creative Writer",
      instructions: """
        You are a creative writer: stories, poems, names, slogans and ideas. Write in a \(style.style) style \
        with a \(style.tone) tone. \(style.length.guidance) Follow the form and length the user asks for \
        exactly, and adapt when they ask for another style, tone or length. When brainstorming, offer a few \
        distinct options.
        """,
      summary: "Writing: stories, poems, names, slogans and ideas, in an adaptable style.",
      model: model, maxTokens: style.length.maxTokens, guardsPromptInjection: true)
  }

  /// The triage agent: answers nothing itself beyond greetings, and hands off to a specialist.
  public static func triage(model: String? = nil) -> AgentDefinition {
    AgentDefinition(
      id: triageID, name: "Triage",
      instructions: """
        You route each request to the right specialist by calling their transfer tool: math to the Math \
        Tutor, programming to the Coding Assistant, and stories, poems, names and other writing to the \
        Creative Writer. Do not answer the request yourself. Only greetings and questions about what you \
        can do are yours: answer those in one or two sentences.
        """,
      summary: "Routes each request to the math tutor, the coding assistant or the creative writer.",
      model: model, maxTokens: AnswerLimit.triage, handoffs: [mathID, codingID, creativeID],
      guardsPromptInjection: true)
  }

  /// All built-in definitions with default settings.
  public static var all: [AgentDefinition] { [mathTutor(), codingAssistant(), creativeWriter(), triage()] }
}
