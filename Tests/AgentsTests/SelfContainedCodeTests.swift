@testable import Agents
import AgentsTesting
import Testing

/// A message that carries all the code it asks about and names no file gets no tools in view on the constrained
/// strategy; any other message, agent or strategy keeps them.
@Suite struct SelfContainedCodeTests {
  let constrained = Runner(configuration: .init(toolCalling: .constrained))

  @Test func messagesThatCarryTheirCodeAndNameNoFile() {
    let selfContained = [
      "What does this Swift code print? print([1, 2, 3].map { $0 * 2 })",
      "Find the bug: for i in 0...items.count { print(items[i]) }",
      "Find the bug: def total(xs):\n    s = 0\n    for i in range(1, len(xs)):\n        s += xs[i]\n    return s",
      "Why is this slow?\n```python\nfor x in xs:\n    ys = ys + [x]\n```",
      "What does `print(len('hi'))` print?",
      "What does this log? console.log([1, 2].map(x => x + 1))",
      "def add(a, b): return a - b",
    ]
    for message in selfContained { #expect(SelfContainedCode.applies(to: message), "\(message)") }

    let notSelfContained = [
      "Write a Python function that returns the reverse of a string.",  // no code in it
      "What is the square root of 144 plus 15% of 80?",
      "Find the bug in main.py: def add(a, b): return a - b",  // a file name
      "Fix this in Sources/App/run.swift: for i in 0...n { print(i) }",  // a path
      "Is this function used anywhere in my project? func total() -> Int { items.count }",
      "Save this to a file: print('hello')",
      "Explain `git rebase` in two sentences.",  // a span that is not code
      "For each item in the list, if it is red, keep it.",
    ]
    for message in notSelfContained { #expect(!SelfContainedCode.applies(to: message), "\(message)") }
  }

  @Test func aSelfContainedCodeQuestionIsSentWithoutTools() async throws {
    let (agent, model) = scriptedAgent(
      "Coding Assistant", steps: [.text("It prints [2, 4, 6].")], tools: [weatherTool()])
    let result = try await constrained.run(agent, input: "What does this print? print([1, 2, 3].map { $0 * 2 })")
    #expect(result.text == "It prints [2, 4, 6].")
    #expect(model.calls.count == 1)
    #expect(model.calls[0].request.tools.isEmpty)
    #expect(model.calls[0].request.settings.toolChoice == nil)
  }

  @Test func otherMessagesStrategiesAndAgentsKeepTheirTools() async throws {
    let code = "What does this print? print([1, 2, 3].map { $0 * 2 })"
    // No code in the message, or a file named in it.
    for message in ["What's the weather in Oslo?", "What does this print in run.py? print(len('ab'))"] {
      let (agent, model) = scriptedAgent(steps: [.text("Sunny.")], tools: [weatherTool()])
      _ = try await constrained.run(agent, input: message)
      #expect(!model.calls[0].request.tools.isEmpty, "\(message)")
    }
    // The native strategy, and a runner that turns the rule off.
    let optedOut = Runner(configuration: .init(toolCalling: .constrained, offersToolsForSelfContainedCode: true))
    for runner in [Runner(configuration: .init(toolCalling: .native)), optedOut] {
      let (agent, model) = scriptedAgent(steps: [.text("[2, 4, 6]")], tools: [weatherTool()])
      _ = try await runner.run(agent, input: code)
      #expect(!model.calls[0].request.tools.isEmpty)
    }
    // A required tool choice: the call is the agent's job.
    let requiredModel = ScriptedModel(
      name: "scripted", steps: [.toolCall("get_weather", arguments: ["city": "Oslo"], id: "a"), .text("Sunny.")])
    let required = Agent(
      name: "Assistant", instructions: "Be helpful.", model: .model(requiredModel),
      modelSettings: try ModelSettings(toolChoice: .required), tools: [weatherTool()])
    _ = try? await constrained.run(required, input: code)  // the scripted reply is no constrained call: not the point
    #expect(!requiredModel.calls[0].request.tools.isEmpty)
  }
}
