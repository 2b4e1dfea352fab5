#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a fuzz target's property under libFuzzer or, in a normal build, over saved inputs.
///
/// `scripts/fuzz` builds with coverage instrumentation, libFuzzer's no-main runtime and
/// `-DOLLAMA_AGENTS_LIBFUZZER`: then ``run(_:)`` hands control to `LLVMFuzzerRunDriver`, which parses
/// libFuzzer's own options (`-runs=N`, corpus directories). A plain `swift build` produces a replay tool
/// instead: it runs the property once on each file (or on every file of each directory) named on the
/// command line, which is how a crash artifact is reproduced without the fuzzer build.
public enum FuzzDriver {
  /// Runs `property` on fuzzer-generated inputs (fuzzer build) or on the files named by the arguments (replay).
  public static func run(_ property: @escaping ([UInt8]) -> Void) -> Never {
    #if OLLAMA_AGENTS_LIBFUZZER
    activeProperty = property
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = runLibFuzzer(&argc, &argv) { data, size in
      activeProperty?(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
      return 0
    }
    exit(status)
    #else
    exit(FuzzReplay.replay(arguments: Array(CommandLine.arguments.dropFirst()), property))
    #endif
  }
}

#if OLLAMA_AGENTS_LIBFUZZER
/// The property libFuzzer's C callback runs; set once before the driver starts, then only read.
nonisolated(unsafe) private var activeProperty: (([UInt8]) -> Void)?

/// libFuzzer's entry point for programs that have their own `main` (LLVM 12 and later).
@_silgen_name("LLVMFuzzerRunDriver")
private func runLibFuzzer(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
