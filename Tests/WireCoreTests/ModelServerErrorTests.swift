import NIOHTTP1
import Testing
import WireCore

@Suite struct ModelServerErrorTests {
  @Test func codesCompareAndMatchInCatchClauses() {
    let error: any Error = ModelServerError.modelNotFound("llama9", closest: ["llama3.2:latest"])
    #expect((error as? ModelServerError)?.code == .modelNotFound)
    #expect(ModelServerError.Code.modelNotFound ~= error)
    #expect(!(ModelServerError.Code.timedOut ~= error))
    do {
      throw error
    } catch ModelServerError.Code.modelNotFound {
      // matched by code
    } catch {
      Issue.record("catch by code did not match")
    }
  }

  @Test func unreachableSaysWhereAndHowToStartTheServer() {
    let error = ModelServerError.serverUnreachable(url: "http://user:pw@127.0.0.1:1/v1/chat", underlying: "connection refused")
    #expect(error.description.contains("http://<redacted>@127.0.0.1:1/v1/chat"))
    #expect(error.description.contains("ollama serve"))
    #expect(!error.description.contains("pw"))
    #expect(error.isTransient)
  }

  @Test func timeoutNamesThePhaseAndLimit() {
    let error = ModelServerError.timedOut(.firstByte, limit: .seconds(300), url: "http://h/v1")
    #expect(error.timeoutPhase == .firstByte)
    #expect(error.description.contains("5m"))
    #expect(error.description.contains("first-byte"))
    #expect(error.shortDescription == "timed_out_first_byte")
    #expect(ModelServerError.timedOut(.idle, limit: .milliseconds(250), url: "u").description.contains("250ms"))
  }

  @Test func modelNotFoundListsClosestNamesAndThePullCommand() {
    let error = ModelServerError.modelNotFound("llama3.3", closest: ["llama3.2:latest", "llama3.1:8b"])
    #expect(error.description.contains("ollama pull llama3.3"))
    #expect(error.description.contains("llama3.2:latest, llama3.1:8b"))
    #expect(error.shortDescription == "model_not_found")
  }

  @Test func httpStatusCarriesTheServersMessage() {
    let error = ModelServerError.httpStatus(503, serverMessage: "server busy", url: "http://h/v1/chat/completions")
    #expect(error.description.contains("HTTP 503: server busy"))
    #expect(error.shortDescription == "http_503")
    #expect(error.isTransient)
    #expect(!ModelServerError.httpStatus(400, serverMessage: nil, url: nil).isTransient)
  }

  @Test func malformedResponseShowsAShortExcerpt() {
    let body = String(repeating: "x", count: 1000)
    let error = ModelServerError.malformedResponse("not JSON", body: body)
    #expect((error.bodyExcerpt?.count ?? 0) <= ModelServerError.excerptLimit + 1)
    #expect(error.description.count < 700)
  }

  @Test func redactingRemovesTheKeyFromEveryField() {
    let key = "sk-proj-abcdefghijklmnop"
    let error = ModelServerError.httpStatus(
      401, serverMessage: "Incorrect API key provided: \(key)", url: "http://h/v1?api_key=\(key)", body: key
    ).redacting(secrets: [key])
    #expect(!error.description.contains(key))
    #expect(!(error.serverMessage ?? "").contains(key))
    #expect(!(error.url ?? "").contains(key))
  }

  @Test(arguments: [
    (#"{"error":{"message":"model 'x' not found","type":"not_found_error","param":null,"code":null}}"#, "model 'x' not found"),
    (#"{"error":"model 'llama9' not found"}"#, "model 'llama9' not found"),
    ("404 page not found", "404 page not found"),
    (#"{"object":"error","message":"vllm says no","type":"BadRequestError"}"#, "vllm says no"),
    (#"{"detail":"Not Found"}"#, "Not Found"),
    ("  \n", nil),
  ] as [(String, String?)])
  func extractsTheServersMessage(_ body: String, _ expected: String?) {
    #expect(ServerErrorMessage.extract(from: Array(body.utf8)) == expected)
  }
}

@Suite struct RedactionTests {
  @Test func urlsLoseCredentialsAndSecretQueryValues() {
    #expect(Redaction.url("https://me:secret@h.com:1/v1?key=abc&model=m#f") == "https://<redacted>@h.com:1/v1?key=<redacted>&model=m#f")
    #expect(Redaction.url("http://127.0.0.1:11434/v1") == "http://127.0.0.1:11434/v1")
    #expect(Redaction.url("http://me:pw@h/v1") == "http://<redacted>@h/v1")
    #expect(Redaction.url("http://h/v1?token=t0k&x=1") == "http://h/v1?token=<redacted>&x=1")
    #expect(Redaction.url("http://hé.example/v1#top") == "http://hé.example/v1#top")
  }

  @Test func headersLoseCredentialValues() {
    let headers = Redaction.headers(["Authorization": "Bearer sk-1", "Content-Type": "application/json", "x-api-key": "k"])
    #expect(headers["authorization"] == ["<redacted>"])
    #expect(headers["x-api-key"] == ["<redacted>"])
    #expect(headers["content-type"] == ["application/json"])
  }

  @Test func messagesLoseKnownSecretsBearerTokensAndKeyLikeWords() {
    let text = "auth Bearer abc.def failed for sk-live-0123456789abcdef and mykey12345 (task-force)"
    let redacted = Redaction.message(text, secrets: ["mykey12345"])
    #expect(redacted == "auth Bearer <redacted> failed for <redacted> and <redacted> (task-force)")
  }
}
