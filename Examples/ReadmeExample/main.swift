import Agents

@Schema struct WeatherQuery {
  /// The city to look up, e.g. "Paris".
  var city: String
}

let weather = FunctionTool(name: "get_weather", description: "The current weather in a city") {
  (query: WeatherQuery, _: ToolContext) in "Sunny and 21°C in \(query.city)"
}
let agent = Agent(name: "Assistant", instructions: "Answer in one sentence.", model: "llama3.2", tools: [weather])

do {
  let result = try await Runner().run(agent, input: "What's the weather in Paris?")
  print(result.finalOutput)
} catch {
  print("error: \(error)")
}
