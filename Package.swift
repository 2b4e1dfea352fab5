// swift-tools-version:6.2
import CompilerPluginSupport
import PackageDescription

/// Settings every target shares: Swift 6 language mode (strict concurrency) plus upcoming features
/// that keep the public surface explicit.
let commonSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

/// An example program in `Examples/<name>/main.swift` that uses the Agents SDK only.
func example(_ name: String) -> Target {
  .executableTarget(name: name, dependencies: ["Agents"], path: "Examples/\(name)", swiftSettings: commonSettings)
}

/// A fuzz target in `Fuzz/<name>`: `scripts/fuzz` builds it with libFuzzer; a plain build makes it a replay tool.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
  .executableTarget(
    name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Fuzz/\(name)", swiftSettings: commonSettings)
}

let package = Package(
  name: "OllamaAgents",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "WireCore", targets: ["WireCore"]),
    .library(name: "OpenAICompatible", targets: ["OpenAICompatible"]),
    .library(name: "OllamaAPI", targets: ["OllamaAPI"]),
    .library(name: "Agents", targets: ["Agents"]),
    .library(name: "AgentsStore", targets: ["AgentsStore"]),
    .library(name: "AgentsStorePostgres", targets: ["AgentsStorePostgres"]),
    .library(name: "AgentTools", targets: ["AgentTools"]),
    .library(name: "AgentsMCP", targets: ["AgentsMCP"]),
    .library(name: "AgentsMCPServer", targets: ["AgentsMCPServer"]),
    .library(name: "AgentsApp", targets: ["AgentsApp"]),
    .library(name: "AgentsServer", targets: ["AgentsServer"]),
    .library(name: "AgentsTesting", targets: ["AgentsTesting"]),
    .executable(name: "agents", targets: ["AgentsCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "603.0.1"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
    .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"6.0.0"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
  ],
  targets: [
    // MARK: Layer 1 — wire
    .target(
      name: "WireCore",
      dependencies: [
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
      ],
      swiftSettings: commonSettings
    ),
    .target(
      name: "OpenAICompatible",
      dependencies: ["WireCore"],
      swiftSettings: commonSettings
    ),
    .target(
      name: "OllamaAPI",
      dependencies: ["WireCore"],
      swiftSettings: commonSettings
    ),
    .target(
      name: "FakeModelServer",
      dependencies: [
        "WireCore",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: commonSettings
    ),

    // MARK: Layer 2 — Agents SDK
    // The expansions of the SDK's macros (@Schema, @Guide, @MemberwiseInit), a library of their own so that their
    // tests run them in-process: a test target that depends on a macro target makes SwiftPM build the test product,
    // and the whole package it links, a second time for the host (every target as a "-tool" variant, BoringSSL
    // included), which doubled the cost of `swift build --build-tests` after `swift build`.
    .target(
      name: "AgentsMacroExpansions",
      dependencies: [
        .product(name: "SwiftSyntax", package: "swift-syntax"),
        .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
        .product(name: "SwiftDiagnostics", package: "swift-syntax"),
      ],
      swiftSettings: commonSettings
    ),
    // The compiler plugin that serves those expansions to the compiler.
    .macro(
      name: "AgentsMacros",
      dependencies: [
        "AgentsMacroExpansions",
        .product(name: "SwiftSyntax", package: "swift-syntax"),
        .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
        .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
      ],
      swiftSettings: commonSettings
    ),
    .target(
      name: "Agents",
      dependencies: [
        "WireCore",
        "OpenAICompatible",
        "AgentsMacros",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: commonSettings
    ),
    .target(
      name: "AgentsTesting",
      dependencies: ["Agents", "FakeModelServer"],
      swiftSettings: commonSettings
    ),

    .target(
      name: "AgentsStore",
      dependencies: [
        "Agents",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ],
      swiftSettings: commonSettings
    ),
    // Child process the AgentsStore tests launch to write to a store from many processes and to be killed mid-run.
    .executableTarget(
      name: "AgentsStoreStress",
      dependencies: ["AgentsStore"],
      path: "Tests/Support/AgentsStoreStress",
      swiftSettings: commonSettings
    ),

    // The same session and run store protocols on PostgreSQL, for several processes or machines sharing one store.
    .target(
      name: "AgentsStorePostgres",
      dependencies: [
        "AgentsStore", "WireCore",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: commonSettings
    ),

    // Tools any agent can be given: the calculator and the read-only workspace file tools.
    .target(
      name: "AgentTools",
      dependencies: ["Agents"],
      swiftSettings: commonSettings
    ),

    // MCP servers' tools for agents: stdio servers started with swift-subprocess, Streamable HTTP servers over
    // WireCore's HTTPTransport and SSE parser, on the official MCP Swift SDK's client.
    .target(
      name: "AgentsMCP",
      dependencies: [
        "Agents", "WireCore",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: commonSettings
    ),
    // Agents offered to MCP clients as tools (`agents mcp serve`), on the MCP Swift SDK's server.
    .target(
      name: "AgentsMCPServer",
      dependencies: ["Agents", .product(name: "MCP", package: "swift-sdk")],
      swiftSettings: commonSettings
    ),

    // MARK: Layer 3 — application
    .target(
      name: "AgentsApp",
      dependencies: [
        "Agents", "AgentsStore", "AgentTools", "AgentsMCP", "OllamaAPI", "OpenAICompatible", "WireCore",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: commonSettings
    ),

    // The agents behind HTTP: an OpenAI-compatible endpoint (`agents serve`: routes, authentication, limits, SSE
    // encoding and error mapping) and MCP's Streamable HTTP (`agents mcp serve --http`), on Hummingbird and
    // swift-service-lifecycle.
    .target(
      name: "AgentsServer",
      dependencies: [
        "AgentsApp", "AgentsStore", "Agents", "AgentsMCPServer", "WireCore",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
      ],
      swiftSettings: commonSettings
    ),

    // MARK: Layer 4 — command line
    // The commands (returning exit codes), the interactive chat and the terminal code; not a product.
    .target(
      name: "AgentsCommandLine",
      dependencies: [
        "AgentsApp", "AgentsMCPServer", "AgentsServer", "AgentsStorePostgres",
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "MCP", package: "swift-sdk"),
      ],
      swiftSettings: commonSettings
    ),
    .executableTarget(
      name: "AgentsCLI",
      dependencies: [
        "AgentsCommandLine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: commonSettings
    ),

    // MARK: Benchmarks (commands, not tests; `scripts/benchmark` runs them all)
    .executableTarget(
      name: "AgentsBenchmarks",
      dependencies: [
        "WireCore", "OpenAICompatible", "Agents", "FakeModelServer", "AgentsMCP", "MCPFixtureServer",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      path: "Benchmarks/AgentsBenchmarks",
      swiftSettings: commonSettings
    ),

    // MARK: Fuzzing (scripts/fuzz; see "Fuzzing and sanitizers" in README.md)
    .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport", swiftSettings: commonSettings),
    fuzzTarget("FuzzSSE", ["WireCore"]),
    fuzzTarget("FuzzNDJSON", ["WireCore"]),
    fuzzTarget("FuzzResponses", ["WireCore", "OpenAICompatible"]),
    fuzzTarget("FuzzOllamaHost", ["WireCore"]),
    fuzzTarget("FuzzCalculator", ["AgentTools"]),
    fuzzTarget("FuzzAgentsYAML", ["AgentsApp"]),

    // MARK: Examples (small programs that run against a local Ollama; CI builds them)
    example("ReadmeExample"),
    example("HelloAgent"),
    example("FunctionTools"),
    example("Handoffs"),
    example("StructuredOutput"),
    example("Streaming"),
    example("Sessions"),
    // The built-in agents from AgentsApp's factory (the other examples need only the SDK).
    .executableTarget(
      name: "BuiltInAgents", dependencies: ["AgentsApp"], path: "Examples/BuiltInAgents", swiftSettings: commonSettings),

    // MARK: Tests — one target per module, plus the support they share
    // The FastMCP fixture server (Python scripts) and how to start it: for TestSupport and the mcp-call benchmark.
    .target(
      name: "MCPFixtureServer",
      path: "Tests/MCPFixtureServer",
      resources: [.copy("MCPServers")],
      swiftSettings: commonSettings
    ),
    // The fake-server scaffold, virtual time, error expectations, seeded randomness, log capture, temporary
    // directories and the `agents` binary runner that every test target uses.
    .target(
      name: "TestSupport",
      dependencies: [
        "FakeModelServer", "WireCore", "MCPFixtureServer",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
      ],
      path: "Tests/TestSupport",
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "WireCoreTests", dependencies: ["WireCore", "FakeModelServer", "TestSupport", .product(name: "NIOPosix", package: "swift-nio")], swiftSettings: commonSettings),
    .testTarget(
      name: "OpenAICompatibleTests",
      dependencies: ["OpenAICompatible", "FakeModelServer", "TestSupport"],
      resources: [.copy("Fixtures")],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "OllamaAPITests",
      dependencies: ["OllamaAPI", "FakeModelServer", "TestSupport", .product(name: "NIOHTTP1", package: "swift-nio")],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "FakeModelServerTests",
      dependencies: [
        "FakeModelServer",
        "WireCore",
        "TestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "AgentsMacrosTests",
      dependencies: [
        "AgentsMacroExpansions",
        .product(name: "SwiftSyntaxMacrosTestSupport", package: "swift-syntax"),
      ],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "AgentsTests", dependencies: ["Agents", "AgentsTesting", "TestSupport"], swiftSettings: commonSettings),
    .testTarget(
      name: "AgentsStoreTests",
      dependencies: [
        "AgentsStore", "AgentsStorePostgres", "AgentsTesting", "AgentsStoreStress", "OpenAICompatible", "TestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: commonSettings
    ),
    // PostgreSQL specifics (URLs, errors, migrations); the session and run suites in AgentsStoreTests run against
    // both stores.
    .testTarget(
      name: "AgentsStorePostgresTests",
      dependencies: ["AgentsStorePostgres", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
      swiftSettings: commonSettings
    ),
    // `agents serve` over real HTTP: the built binary in front of the fake model server, with AsyncHTTPClient and
    // the official OpenAI Python clients.
    .testTarget(
      name: "AgentsServerTests",
      dependencies: [
        "AgentsServer", "AgentsMCP", "AgentsMCPServer", "AgentsTesting", "TestSupport", "WireCore",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      exclude: ["Clients/openai_clients.py"],  // run by ServeClientTests with the venv's Python, from its path
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "AgentToolsTests", dependencies: ["AgentTools", "TestSupport"], swiftSettings: commonSettings),
    .testTarget(
      name: "AgentsMCPTests",
      dependencies: ["AgentsMCP", "AgentsTesting", "TestSupport", .product(name: "MCP", package: "swift-sdk")],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "AgentsAppTests", dependencies: ["AgentsApp", "AgentsTesting", "TestSupport"], swiftSettings: commonSettings),
    // AgentsCLI is a dependency so that `swift test` builds the `agents` binary these tests launch.
    .testTarget(
      name: "AgentsCommandLineTests",
      dependencies: ["AgentsCommandLine", "AgentsTesting", "AgentsCLI", "TestSupport"],
      swiftSettings: commonSettings
    ),
    // End-to-end tier: runs only when AGENTS_E2E_BASE_URL names a real server (.ci/run starts llama-server).
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "Agents", "AgentsApp", "AgentsMCP", "OpenAICompatible", "WireCore", "AgentsCLI", "TestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: commonSettings
    ),
  ]
)
