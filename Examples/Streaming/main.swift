// Streaming: print the answer as it is generated, and show tool calls and their results as they happen.
//
// `ollama pull llama3.2`, then `swift run Streaming`.
import Agents
import Foundation

/// Arguments of the `get_time` tool.
@Schema struct TimeQuery {
  /// An IANA time zone, e.g. "Asia/Tokyo".
  var timeZone: String
}

let clock = FunctionTool(name: "get_time", description: "The current local time in a time zone") {
  (query: TimeQuery, _: ToolContext) -> String in
  guard let zone = TimeZone(identifier: query.timeZone) else { return "Unknown time zone \(query.timeZone)." }
  let formatter = DateFormatter()
  formatter.timeZone = zone
  formatter.dateFormat = "HH:mm"
  return formatter.string(from: Date())
}

let agent = Agent(
  name: "Assistant",
  instructions: "Use get_time for questions about the time. Answer in a short paragraph.",
  model: "llama3.2",
  tools: [clock])

/// Writes text without a newline and without buffering, so each delta shows up at once.
func show(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

do {
  for try await event in Runner().runStreamed(agent, input: "What time is it in Tokyo, and is it a good time to call?") {
    switch event {
    case .agentChanged(let agent): show("[\(agent.name)]\n")
    case .textDelta(let text): show(text)
    case .toolCalled(let call): show("\n→ \(call.name)(\(call.arguments))\n")
    case .toolArgumentsRepaired(let call, let changes): show("(\(call.name): \(changes.joined(separator: "; ")))\n")
    case .toolOutput(let call, let output): show("← \(call.name): \(output)\n")
    case .handoff(let from, let to): show("\n[\(from.name) → \(to.name)]\n")
    case .contextTrimmed(let trimming): show("\n[\(trimming)]\n")
    case .contextOverflowRetried(let retry): show("\n[\(retry)]\n")
    case .replyDiscarded(let reason): show("\n[that \(reason); asked again without tools]\n")
    case .answerTruncated(let truncation): show("\n[cut: \(truncation)]")
    case .samplingAnswers(let count): show("[comparing \(count) answers]\n")
    case .finished(let result): show("\n\n(\(result.turns) model calls, \(result.usage.totalTokens) tokens)\n")
    case .reasoningDelta, .messageDone: break
    }
  }
} catch {
  print("\nerror: \(error)")
  exit(1)
}
