/// The run loop's use of a tool that runs code (``Runner/Configuration/codeRunningTool``) for a question about
/// what a self-contained piece of code does.
extension RunLoop {
  /// Where a run stands with a code question and the tool that runs code.
  enum CodeRunStep: Equatable {
    /// The model must call the tool (`name`) first: the code is run, not read.
    case run(String)
    /// The tool has run (or the person refused it): the model answers with its result in view and only that
    /// tool offered, so the call and its result stay in the request.
    case answer(String)
    /// Every run told nothing about the code (its output starts with ``Runner/Configuration/CodeRunningTool/noResult``
    /// or, after the last retry, ``Runner/Configuration/CodeRunningTool/needsDefinitions``: a fragment that uses
    /// names nobody defined, or a program that prints nothing): the model answers as if nothing had run, without
    /// tools, the calls and their output out of view.
    case answerWithoutRun
  }

  /// The step of this model call, or `nil` when the tool plays no part: with ``ToolCallingStrategy/constrained``,
  /// for an agent without handoffs that has the tool and need not call another (`toolChoice` unset or `auto`),
  /// when the newest user message carries all its code, names no file, asks what the code does (its output,
  /// result, error or bug: ``SelfContainedCode/asksWhatItDoes(_:)``) and is in a language the tool runs. Before any
  /// call since the agent took over it is ``CodeRunStep/run(_:)``; once every call since then was of this tool,
  /// ``CodeRunStep/answer(_:)`` (``CodeRunStep/answerWithoutRun`` once the person refused a run), unless the newest
  /// output asks for the fragment's missing definitions and fewer
  /// than ``Runner/Configuration/CodeRunningTool/retries`` calls were made again: then ``CodeRunStep/run(_:)``
  /// once more; after any other call, `nil`.
  func codeRunStep(_ agentConfiguration: Agent.Configuration, toolChoice: ToolChoice?) -> CodeRunStep? {
    guard let runner = configuration.codeRunningTool, currentStrategy == .constrained,
      agentConfiguration.handoffs.isEmpty, toolChoice == nil || toolChoice == .auto,
      agentConfiguration.tools.contains(where: { $0.name == runner.name })
    else { return nil }
    let newest = transcript.last { item in
      if case .message(let message) = item { message.role == .user } else { false }
    }
    guard case .message(let message)? = newest, SelfContainedCode.applies(to: message.content),
      SelfContainedCode.asksWhatItDoes(message.content),
      let language = SelfContainedCode.language(of: message.content), runner.languages.contains(language)
    else { return nil }
    let takeover = generatedItems.lastIndex { $0.kind == .handoffOutput }.map { $0 + 1 } ?? generatedItems.startIndex
    // One pass over what happened since then: the calls (a handoff counts as another tool), whether the person
    // refused one, and the tool's outputs.
    var calls: [String] = []
    var refused = false
    var outputs: [String] = []
    for item in generatedItems[takeover...] {
      switch (item.kind, item.item) {
      case (.toolCall, .toolCall(let call)):
        calls.append(call.name)
        if case .rejected? = approvals.decisions.decision(for: call) { refused = true }
      case (.handoffCall, _): calls.append("")
      case (.toolOutput, .toolOutput(let output)): outputs.append(output.output)
      default: break
      }
    }
    if calls.isEmpty { return .run(runner.name) }
    guard calls.allSatisfy({ $0 == runner.name }) else { return nil }
    // The person refused a run: the question is answered by reading the code, and they are not asked again (with
    // the tool still offered, the 0.5B model called it again after each refusal, in chat on the real model).
    if refused { return .answerWithoutRun }
    typealias Tool = Runner.Configuration.CodeRunningTool
    // A fragment the tool could not complete: call again with the names defined, up to `retries` times.
    if let last = outputs.last, last.hasPrefix(Tool.needsDefinitions), calls.count <= runner.retries {
      return .run(runner.name)
    }
    let toldNothing =
      !outputs.isEmpty && outputs.allSatisfy { $0.hasPrefix(Tool.noResult) || $0.hasPrefix(Tool.needsDefinitions) }
    return toldNothing ? .answerWithoutRun : .answer(runner.name)
  }
}

extension Runner.Configuration {
  /// A tool that runs snippets of code, and the languages it runs (see ``Runner/Configuration/codeRunningTool``).
  public struct CodeRunningTool: Sendable, Hashable {
    /// The tool's name, e.g. `run_code`.
    public var name: String
    /// The languages it runs, by the fence labels people use: `swift`, `python`, `javascript`.
    public var languages: Set<String>

    /// How the tool's output begins when the run told nothing about what the code does (it did not compile for
    /// want of definitions, or printed nothing): the answer is then given as if nothing had run.
    public static let noResult = "No result: "

    /// How the tool's output begins when the code is a fragment that uses names the tool could not define
    /// itself: the model is asked to call the tool again with the names defined (at most ``retries`` times).
    public static let needsDefinitions = "Not run: "

    /// How many times the model is made to call the tool again after ``needsDefinitions``; then it answers as
    /// if nothing had run.
    public var retries: Int

    /// Creates the description of a tool that runs code.
    public init(name: String, languages: Set<String>, retries: Int = 2) {
      self.name = name
      self.languages = languages
      self.retries = retries
    }
  }
}
