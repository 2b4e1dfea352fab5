import Testing

@testable import AgentsCommandLine

@Suite struct ArgumentNormalizerTests {
  @Test func movesLeadingGlobalOptionsBehindTheSubcommand() {
    #expect(
      ArgumentNormalizer.normalize(["--model", "x", "--verbose", "ask", "hi"]) == ["ask", "hi", "--model", "x", "--verbose"])
    #expect(ArgumentNormalizer.normalize(["--timeout=5", "models", "pull", "m"]) == ["models", "pull", "m", "--timeout=5"])
    #expect(ArgumentNormalizer.normalize(["--config", "a.yaml", "ask", "--", "-x"]) == ["ask", "--config", "a.yaml", "--", "-x"])
  }

  @Test func leavesOtherCommandLinesAlone() {
    #expect(ArgumentNormalizer.normalize(["ask", "--model", "x", "hi"]) == ["ask", "--model", "x", "hi"])
    #expect(ArgumentNormalizer.normalize(["--help"]) == ["--help"])
    #expect(ArgumentNormalizer.normalize(["--model", "x"]) == ["--model", "x"])
    #expect(ArgumentNormalizer.normalize(["--model", "x", "--help"]) == ["--model", "x", "--help"])
  }
}
