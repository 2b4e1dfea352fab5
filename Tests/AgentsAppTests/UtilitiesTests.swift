import Testing

@testable import AgentsApp

@Suite struct BenchmarkStatisticsTests {
  @Test func percentilesInterpolateBetweenRanks() {
    let samples: [Double] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    #expect(BenchmarkStatistics.percentile(50, of: samples) == 55)
    #expect(BenchmarkStatistics.percentile(0, of: samples) == 10)
    #expect(BenchmarkStatistics.percentile(100, of: samples) == 100)
    #expect(abs(BenchmarkStatistics.percentile(95, of: samples)! - 95.5) < 1e-9)
    #expect(BenchmarkStatistics.percentile(99, of: [42]) == 42)
    #expect(BenchmarkStatistics.percentile(50, of: []) == nil)
    #expect(BenchmarkStatistics.mean([1, 2, 3, 6]) == 3)
  }

  @Test func readsPeakResidentSetSize() {
    let status = "Name:\tagents\nVmPeak:\t  100 kB\nVmHWM:\t   2048 kB\nVmRSS:\t 1000 kB\n"
    #expect(BenchmarkStatistics.parseKilobytes(field: "VmHWM", in: status) == 2048)
    #expect(BenchmarkStatistics.parseKilobytes(field: "VmSwap", in: status) == nil)
    #expect((BenchmarkStatistics.peakResidentBytes() ?? 0) > 1_000_000)
    #expect(BenchmarkStatistics.peakResidentBytes(statusFile: "/nonexistent") == nil)
  }
}

@Suite struct ConversationResultTests {
  @Test func encodesTheDocumentedKeysInOrder() {
    let result = ConversationResult(
      agentName: "Math Tutor", userInput: "2+2?", finalOutput: "4", executionTime: 1.23456, success: true,
      model: "llama3.2", turns: 2, usage: .init(inputTokens: 10, outputTokens: 5, totalTokens: 15),
      toolCalls: [.init(name: "calculator", arguments: #"{"expression":"2+2"}"#, output: "4")])
    #expect(
      result.json.jsonString
        == #"{"agent_name":"Math Tutor","user_input":"2+2?","final_output":"4","execution_time":1.235,"success":true,"error":null,"model":"llama3.2","turns":2,"usage":{"input_tokens":10,"output_tokens":5,"total_tokens":15},"tool_calls":[{"name":"calculator","arguments":"{\"expression\":\"2+2\"}","output":"4"}],"cached":false,"finish_reason":null,"truncated":false,"truncation":null}"#
    )
  }

  @Test func aCutAnswerSaysWhyAndWhatToDo() {
    var result = ConversationResult(
      agentName: "Creative Writer", userInput: "Story", finalOutput: "Once", executionTime: 1, success: true,
      model: "qwen2.5-coder-0.5b")
    result.finishReason = "length"
    result.truncation = "the answer reached its 1024-token limit (max_tokens)"
    result.reachedMaxTokens = true
    #expect(result.truncated)
    #expect(result.json["finish_reason"] == "length")
    #expect(result.json["truncated"] == true)
    #expect(result.json["truncation"] == "the answer reached its 1024-token limit (max_tokens)")
    #expect(result.truncationAdvice.contains("max_tokens"))
    result.reachedMaxTokens = false
    #expect(result.truncationAdvice.contains("/clear"))
  }
}
