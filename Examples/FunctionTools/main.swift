// Function tools with typed arguments: `@Schema` derives the JSON schema the model sees from a Swift type,
// and the runner decodes the model's arguments into that type before your closure runs.
//
// `ollama pull llama3.2`, then `swift run FunctionTools`.
import Agents
import Foundation

/// A temperature unit.
@Schema enum TemperatureUnit: String { case celsius, fahrenheit }

/// Arguments of the `get_forecast` tool.
@Schema struct ForecastQuery {
  /// The city, e.g. "Lyon".
  var city: String
  @Guide("How many days ahead, starting today", .range(1...5))
  var days: Int = 1
  var unit: TemperatureUnit = .celsius
}

/// One day of a forecast; a tool may return any `Encodable` value, and the model reads it as JSON.
struct DayForecast: Encodable {
  var day: Int
  var temperature: Int
  var sky: String
}

let forecast = FunctionTool(name: "get_forecast", description: "The weather forecast for a city") {
  (query: ForecastQuery, _: ToolContext) -> [DayForecast] in
  // The schema asks for 1...5 days, but a model may still send something else: clamp rather than trust it.
  (1...min(max(query.days, 1), 5)).map { day in
    let celsius = 18 + day * 2
    let temperature = query.unit == .celsius ? celsius : celsius * 9 / 5 + 32
    return DayForecast(day: day, temperature: temperature, sky: day.isMultiple(of: 2) ? "cloudy" : "sunny")
  }
}

/// Arguments of the `convert_currency` tool.
@Schema struct Conversion {
  @Guide("The amount to convert", .minimum(0))
  var amount: Double
  @Guide("ISO 4217 code of the target currency", .pattern("^[A-Z]{3}$"))
  var to: String
}

let convert = FunctionTool(name: "convert_currency", description: "Converts an amount in euros to another currency") {
  (conversion: Conversion, _: ToolContext) -> String in
  let rates = ["USD": 1.08, "GBP": 0.85, "JPY": 162.0]
  guard let rate = rates[conversion.to] else { return "No rate for \(conversion.to); known: USD, GBP, JPY." }
  return String(format: "%.2f %@", conversion.amount * rate, conversion.to)
}

print("The model sees get_forecast's parameters as:\n\(ForecastQuery.jsonSchema)\n")

let agent = Agent(
  name: "Travel assistant",
  instructions: "Use the tools for weather and money questions. Answer briefly.",
  model: "llama3.2",
  tools: [forecast, convert])

do {
  let result = try await Runner().run(
    agent, input: "I'm going to Lyon for 3 days with 200 euros. What weather should I expect, and how much is that in USD?")
  print("Tools called: \(result.toolCallNames.joined(separator: ", "))")
  print(result.finalOutput)
} catch {
  print("error: \(error)")
  exit(1)
}
