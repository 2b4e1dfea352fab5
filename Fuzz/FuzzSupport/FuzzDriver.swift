#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a fuzz target's property under libFuzzer or, in a normal build, over saved inputs.
///
/// `scripts/fuzz` builds with `-sanitize=fuzzer -Xswiftc -DOLLAMA_AGENTS_LIBFUZZER`: then each target defines
/// libFuzzer's `LLVMFuzzerTestOneInput` (calling ``testOneInput(_:_:_:)``) and libFuzzer supplies `main`,
/// which parses libFuzzer's own options (`-runs=N`, corpus directories). A plain `swift build` produces a
/// replay tool instead (``replay(_:)``): it runs the property once on each file (or on every file of each
/// directory) named on the command line, which is how a crash artifact is reproduced without the fuzzer build.
public enum FuzzDriver {
  /// Runs `property` on one libFuzzer input; always returns 0 (a violated property aborts instead).
  public static func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int, _ property: ([UInt8]) -> Void) -> CInt {
    property(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
  }

  /// Runs `property` on the files named by the command-line arguments, then exits.
  public static func replay(_ property: ([UInt8]) -> Void) -> Never {
    exit(FuzzReplay.replay(arguments: Array(CommandLine.arguments.dropFirst()), property))
  }
}
