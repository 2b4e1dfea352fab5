import Agents

/// The sampling a model family's makers recommend, used by ``AgentFactory`` for every setting the agent's
/// definition and the command's overrides leave unset.
///
/// Qwen2.5 ships `generation_config.json` with temperature 0.7, `top_p` 0.8, `top_k` 20 and a repetition penalty of
/// 1.05; servers that load the GGUF file (llama.cpp) use their own defaults instead (`top_p` 0.95, `top_k` 40, no
/// penalty). Measured on Qwen2.5-Coder-0.5B (docs/small-models.md, session 8: the coding assistant's request sent
/// straight to llama.cpp, seven code-reading questions of this repository and held-out ones): without tools 52 of
/// 70 answers right with these settings against 40 of 71 with the server's (with tools in view 14 of 31 against
/// 56 of 98, which is why ``SelfContainedCode`` leaves them out for such questions). `top_k` and `repeat_penalty` travel in
/// the request body (llama.cpp reads both; vLLM reads `top_k`; Ollama's `/v1` ignores them). Override them per run
/// with `-o top_p=0.95 -o top_k=40 -o repeat_penalty=1`, or `top_p` in an agent's YAML.
public enum RecommendedSampling {
  /// A family's recommended settings: `top_p`, and the fields the request body carries beside it.
  public struct Settings: Sendable, Hashable {
    /// Nucleus sampling mass.
    public var topP: Double
    /// Server-specific fields (`top_k`, `repeat_penalty`).
    public var extraBody: JSONObject
  }

  /// The settings recommended for `model` (its name as the server knows it, e.g. `qwen2.5-coder-0.5b` or
  /// `qwen2.5:7b`), or `nil` when none are known.
  public static func settings(forModel model: String) -> Settings? {
    let name = model.lowercased()
    guard name.contains("qwen2.5") else { return nil }
    return Settings(topP: 0.8, extraBody: ["top_k": .int(20), "repeat_penalty": .double(1.05)])
  }

  /// `settings` with the recommendation for `model` filled in where `settings` leaves it unset.
  static func applying(forModel model: String, to settings: inout ModelSettings) {
    guard let recommended = Self.settings(forModel: model) else { return }
    settings.topP = settings.topP ?? recommended.topP
    var body = recommended.extraBody
    for (key, value) in settings.extraBody ?? JSONObject() { body[key] = value }
    settings.extraBody = body
  }
}
