import Synchronization

/// Where the model server lives and how to talk to it: base URL, credentials, default model,
/// timeouts and retries.
///
/// The same configuration serves Ollama and any OpenAI-compatible server (llama.cpp's llama-server,
/// vLLM, OpenAI): only ``baseURL``, ``apiKey`` and ``provider`` differ, so switching needs no code change.
/// Build it by hand, or from the environment with ``fromEnvironment(_:)``.
public struct OllamaConfig: Sendable, Hashable {
  /// Which kind of server the base URL points at.
  public struct Provider: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable { case ollama, openAI }
    private let kind: Kind

    /// An Ollama server; its OpenAI-compatible API lives under `/v1` and its native API under the root.
    public static let ollama = Provider(kind: .ollama)
    /// Any other OpenAI-compatible server (OpenAI, llama-server, vLLM); there is no native Ollama API.
    public static let openAI = Provider(kind: .openAI)

    /// Whether the server also speaks Ollama's native `/api/*` endpoints.
    public var hasNativeAPI: Bool { kind == .ollama }

    /// `ollama` or `openai`.
    public var description: String { kind == .ollama ? "ollama" : "openai" }
  }

  /// The default OpenAI-compatible base URL of a local Ollama.
  public static let defaultBaseURL = "http://localhost:11434/v1"
  /// The API key sent when none is configured; Ollama accepts and ignores any key.
  public static let defaultAPIKey = "ollama"
  /// The model used when a request names none.
  public static let defaultModelName = "llama3.2"

  /// Which kind of server ``baseURL`` points at.
  public var provider: Provider
  /// The OpenAI-compatible API root, e.g. `http://localhost:11434/v1`; requests append `/chat/completions` etc.
  public var baseURL: String {
    didSet { baseURL = OllamaConfig.trimmingTrailingSlashes(baseURL) }
  }
  /// The key sent as `Authorization: Bearer <apiKey>`; never printed in errors or logs.
  public var apiKey: String
  /// The model used when a request names none.
  public var defaultModel: String
  /// How long each phase of a request may take.
  public var timeouts: Timeouts
  /// When and how failed requests are retried.
  public var retry: RetryPolicy
  /// The most requests this process sends to the server at the same time; more wait in a first-in,
  /// first-out queue (see ``RequestLimiter``) until one finishes. `0` or less means no limit.
  ///
  /// The limit is shared by every client of the same server (scheme, host and port) in the process, and a
  /// streamed response holds its slot until the stream ends or is cancelled.
  public var maxConcurrentRequestsPerServer: Int

  /// The default of ``maxConcurrentRequestsPerServer``: 4.
  ///
  /// Ollama runs `OLLAMA_NUM_PARALLEL` requests per model at once (1 by default, up to 4 when chosen
  /// automatically) and queues the rest, answering 503 once `OLLAMA_MAX_QUEUE` (512) are pending; four
  /// keeps its slots busy while a burst waits here instead of in the server's queue.
  public static let defaultMaxConcurrentRequestsPerServer = 4

  /// Creates a configuration; every argument has a default that targets a local Ollama.
  public init(
    provider: Provider = .ollama,
    baseURL: String = OllamaConfig.defaultBaseURL,
    apiKey: String = OllamaConfig.defaultAPIKey,
    defaultModel: String = OllamaConfig.defaultModelName,
    timeouts: Timeouts = Timeouts(),
    retry: RetryPolicy = RetryPolicy(),
    maxConcurrentRequestsPerServer: Int = OllamaConfig.defaultMaxConcurrentRequestsPerServer
  ) {
    self.provider = provider
    self.baseURL = OllamaConfig.trimmingTrailingSlashes(baseURL)
    self.apiKey = apiKey
    self.defaultModel = defaultModel
    self.timeouts = timeouts
    self.retry = retry
    self.maxConcurrentRequestsPerServer = maxConcurrentRequestsPerServer
  }

  /// The single-number timeout knob of earlier versions, kept for convenience: it is the longest
  /// silence tolerated once the server has started answering (``Timeouts/idle``).
  ///
  /// It deliberately does not bound the wait for the first byte: a cold model load sends nothing, not
  /// even headers, for minutes (``Timeouts/firstByte``), and it does not bound connecting
  /// (``Timeouts/connect``).
  public var timeout: Duration {
    get { timeouts.idle }
    set { timeouts.idle = newValue }
  }

  /// The native Ollama API root: ``baseURL`` without a trailing `/v1`, e.g. `http://localhost:11434`.
  public var nativeBaseURL: String {
    var url = baseURL
    if url.hasSuffix("/v1") { url.removeLast(3) }
    return OllamaConfig.trimmingTrailingSlashes(url)
  }

  /// Checks that ``baseURL`` is an absolute `http` or `https` URL with a host.
  ///
  /// - Throws: ``ModelServerError/invalidConfiguration`` saying what is wrong and how to fix it.
  public func validate() throws(ModelServerError) {
    // Every request validates its configuration: a URL found valid once is not parsed again.
    if Self.validBaseURLs.withLock({ $0.contains(baseURL) }) { return }
    _ = try ServerURL(validating: baseURL)
    Self.validBaseURLs.withLock { valid in
      if valid.count >= 64 { valid.removeAll() }  // bounded: a process talks to a handful of servers
      valid.insert(baseURL)
    }
  }

  /// Base URLs that passed ``validate()``.
  private static let validBaseURLs = Mutex<Set<String>>([])

  /// `url` without trailing slashes (a lone `/` stays).
  package static func trimmingTrailingSlashes(_ url: String) -> String {
    var url = url
    while url.hasSuffix("/"), url.count > 1 { url.removeLast() }
    return url
  }
}

extension OllamaConfig {
  /// How long each phase of a request may take.
  ///
  /// Connecting, waiting for the response head (first byte), the silence between body chunks and,
  /// optionally, the whole exchange are bounded separately, because a model server's phases differ
  /// by orders of magnitude: connecting takes milliseconds, a cold model load minutes.
  public struct Timeouts: Sendable, Hashable {
    /// Longest time to establish the TCP (and TLS) connection.
    public var connect: Duration
    /// Longest time from sending the request until the response head arrives.
    ///
    /// Ollama sends nothing, not even headers, until the model is loaded and has produced output,
    /// so this must cover a cold load of a large model; the default is 10 minutes.
    public var firstByte: Duration
    /// Longest silence between two body chunks once the response has started.
    public var idle: Duration
    /// Optional bound on the whole exchange, from sending the request to the last body byte.
    public var overall: Duration?

    /// Creates timeouts; defaults: connect 10 s, first byte 10 min, idle 120 s, no overall deadline.
    public init(
      connect: Duration = .seconds(10),
      firstByte: Duration = .seconds(600),
      idle: Duration = .seconds(120),
      overall: Duration? = nil
    ) {
      self.connect = connect
      self.firstByte = firstByte
      self.idle = idle
      self.overall = overall
    }
  }

  /// When and how a failed request is retried.
  ///
  /// Retries happen on connection failures and on HTTP 429, 502, 503 and 504 (500 once), honouring a
  /// `Retry-After` header given in seconds, and never after a streamed response has delivered output.
  public struct RetryPolicy: Sendable, Hashable {
    /// Whether failed requests are retried at all.
    public var isEnabled: Bool
    /// The most attempts in total, including the first one.
    public var maxAttempts: Int
    /// The wait before the first retry; each further retry doubles it.
    public var initialBackoff: Duration
    /// The longest wait between two attempts (also caps `Retry-After`).
    public var maxBackoff: Duration
    /// The fraction (0...1) of each wait that is randomized, so many clients do not retry in lockstep.
    public var jitter: Double

    /// Creates a retry policy; defaults: on, 3 attempts, 0.5 s doubling up to 8 s, 20 % jitter.
    public init(
      isEnabled: Bool = true,
      maxAttempts: Int = 3,
      initialBackoff: Duration = .milliseconds(500),
      maxBackoff: Duration = .seconds(8),
      jitter: Double = 0.2
    ) {
      self.isEnabled = isEnabled
      self.maxAttempts = max(1, maxAttempts)
      self.initialBackoff = initialBackoff
      self.maxBackoff = maxBackoff
      self.jitter = min(max(jitter, 0), 1)
    }

    /// A policy that never retries.
    public static let disabled = RetryPolicy(isEnabled: false, maxAttempts: 1)

    /// The wait before retry number `retry` (1 for the first retry), before jitter.
    public func backoff(beforeRetry retry: Int) -> Duration {
      let exponent = min(max(retry - 1, 0), 30)
      let scaled = initialBackoff * (1 << exponent)
      return min(scaled, maxBackoff)
    }
  }
}
