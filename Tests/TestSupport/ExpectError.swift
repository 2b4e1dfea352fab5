import Testing
import WireCore

/// Expects `body` to throw a ``ModelServerError`` with `code`, recording an issue otherwise; returns the error.
@discardableResult
package func expectError(
  _ code: ModelServerError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> ModelServerError? {
  do {
    try await body()
    Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
  } catch let error as ModelServerError {
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("expected ModelServerError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
