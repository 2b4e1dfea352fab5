import Synchronization
import WireCore

extension ServerCore {
  /// `POST /api/pull`: NDJSON progress per layer, then `success`; an unknown model answers 200, then
  /// `pulling manifest`, then an `error` line (reference §3). The model is installed when the pull is answered.
  func pull(_ request: RecordedRequest) -> EndpointResponse {
    let name = request.json?["model"]?.stringValue ?? request.json?["name"]?.stringValue ?? ""
    guard !name.isEmpty, !name.contains(" "), !name.hasSuffix(":"), !name.hasPrefix("/") else {
      return ErrorBody.response(.native, status: 400, message: "invalid model name")
    }
    let streams = request.json?["stream"]?.boolValue != false
    let missing = "pull model manifest: file does not exist"
    let tagged = ModelName.withTag(name)
    let (catalogModel, installed, steps) = state.withLock { state in
      (
        state.pullCatalog.first { $0.name == tagged }, state.model(named: tagged),
        max(1, state.pullProgressSteps)
      )
    }
    guard let model = catalogModel ?? installed else {
      guard streams else { return ErrorBody.response(.native, status: 500, message: missing) }
      return EndpointResponse(
        status: 200, headers: [("Content-Type", ContentType.ndjson)],
        body: .stream([Framing.ndjson(["status": "pulling manifest"]), Framing.ndjson(["error": .string(missing)])])
      )
    }
    state.withLock { state in
      state.models.removeAll { $0.name == model.name }
      state.models.append(model)
    }
    guard streams else { return .json(["status": "success"]) }

    var lines: [[UInt8]] = [Framing.ndjson(["status": "pulling manifest"])]
    for layer in model.layers {
      let status = JSONValue.string("pulling " + String(layer.digest.dropFirst("sha256:".count).prefix(12)))
      let present = installed?.layers.contains(layer) == true
      for step in (present ? steps : 0)...steps {
        var line: JSONObject = ["status": status, "digest": .string(layer.digest), "total": .int(layer.size)]
        let completed = layer.size / steps * step + (step == steps ? layer.size % steps : 0)
        if completed > 0 { line["completed"] = .int(completed) }
        lines.append(Framing.ndjson(.object(line)))
      }
    }
    for status in ["verifying sha256 digest", "writing manifest", "success"] {
      lines.append(Framing.ndjson(["status": .string(status)]))
    }
    return EndpointResponse(
      status: 200, headers: [("Content-Type", ContentType.ndjson)], body: .stream(lines),
      midStreamFailure: .nativeErrorLine
    )
  }
}
