import FakeModelServer

/// Runs `body` with a fresh in-process fake server and shuts the server down afterwards, also when `body` throws.
package func withServer<Result>(
  _ configuration: FakeOllamaServer.Configuration = .init(),
  _ body: (FakeOllamaServer) async throws -> Result
) async throws -> Result {
  let server = try await FakeOllamaServer.start(configuration)
  do {
    let result = try await body(server)
    try await server.shutdown()
    return result
  } catch {
    try await server.shutdown()
    throw error
  }
}
