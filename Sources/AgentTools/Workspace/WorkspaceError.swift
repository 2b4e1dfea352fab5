/// Why a workspace tool refused or failed a request.
///
/// Messages name the path as the model gave it (never the absolute path outside the workspace) and
/// say what to do instead.
public struct WorkspaceError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of problem.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    private let name: String
    private init(_ name: String) { self.name = name }

    /// The workspace root does not exist or is not a directory.
    public static let rootUnavailable = Code("root_unavailable")
    /// An absolute path was given; tools take paths relative to the root.
    public static let absolutePath = Code("absolute_path")
    /// The path resolves outside the root (through `..` or a symbolic link).
    public static let outsideRoot = Code("outside_root")
    /// The path is empty or contains a NUL byte.
    public static let invalidPath = Code("invalid_path")
    /// Nothing exists at the path.
    public static let notFound = Code("not_found")
    /// A file was expected but the path is a directory or special file.
    public static let notAFile = Code("not_a_file")
    /// A directory was expected but the path is a file.
    public static let notADirectory = Code("not_a_directory")
    /// The file is larger than the read limit.
    public static let fileTooLarge = Code("file_too_large")
    /// The file is not UTF-8 text.
    public static let binaryFile = Code("binary_file")
    /// The operating system refused access.
    public static let unreadable = Code("unreadable")
    /// The operating system refused to write a file.
    public static let unwritable = Code("unwritable")
    /// The arguments do not make sense (an empty query, an inverted line range).
    public static let invalidArgument = Code("invalid_argument")

    /// The code's stable snake_case name.
    public var description: String { name }
  }

  /// The kind of problem.
  public var code: Code
  /// What happened and what to do.
  public var message: String

  /// Creates an error.
  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
