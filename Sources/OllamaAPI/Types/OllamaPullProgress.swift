import WireCore

/// One NDJSON line of `/api/pull` (`api.ProgressResponse`), or an `error` line.
public struct OllamaPullStatus: Sendable, Hashable, Codable {
  /// What is happening, e.g. `pulling manifest`, `pulling dde5aa3fc5ff`, `success`.
  public var status: String?
  /// The blob being downloaded (`sha256:…`).
  public var digest: String?
  /// The blob size in bytes.
  public var total: Int64?
  /// Bytes of the blob downloaded so far (absent while 0).
  public var completed: Int64?
  /// The error, on a failure line.
  public var error: String?

  /// Creates a status line.
  public init(status: String? = nil, digest: String? = nil, total: Int64? = nil, completed: Int64? = nil, error: String? = nil) {
    self.status = status
    self.digest = digest
    self.total = total
    self.completed = completed
    self.error = error
  }
}

/// A pull's progress after one more status line: the line itself plus byte totals summed over layers.
public struct OllamaPullProgress: Sendable, Hashable {
  /// The latest status text.
  public var status: String
  /// The layer the latest line is about, if any.
  public var digest: String?
  /// Bytes done and total of that layer.
  public var layer: LayerProgress?
  /// Bytes done over every layer seen so far (the latest `completed` per digest, summed).
  public var completedBytes: Int64
  /// Bytes to fetch over every layer seen so far (`total` per digest, summed).
  public var totalBytes: Int64
  /// Progress per digest, in the order layers first appeared.
  public var layers: [(digest: String, progress: LayerProgress)]
  /// Whether this is the final `success` line.
  public var isSuccess: Bool { status == "success" }

  /// The fraction of known bytes done (0 when nothing is known yet).
  public var fractionCompleted: Double { totalBytes > 0 ? Double(completedBytes) / Double(totalBytes) : 0 }

  /// Bytes of one layer.
  public struct LayerProgress: Sendable, Hashable {
    /// Bytes downloaded.
    public var completed: Int64
    /// Blob size.
    public var total: Int64

    /// Creates layer progress.
    public init(completed: Int64, total: Int64) {
      self.completed = completed
      self.total = total
    }
  }

  /// Equal when every field, including the per-layer list, is equal.
  public static func == (lhs: OllamaPullProgress, rhs: OllamaPullProgress) -> Bool {
    lhs.status == rhs.status && lhs.digest == rhs.digest && lhs.layer == rhs.layer
      && lhs.completedBytes == rhs.completedBytes && lhs.totalBytes == rhs.totalBytes
      && lhs.layers.elementsEqual(rhs.layers) { $0.digest == $1.digest && $0.progress == $1.progress }
  }

  /// Hashes the status and byte totals.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(status)
    hasher.combine(digest)
    hasher.combine(completedBytes)
    hasher.combine(totalBytes)
  }
}

/// Folds `/api/pull` status lines into ``OllamaPullProgress`` values (per-layer and total bytes).
public struct OllamaPullTracker: Sendable {
  private var layers: [(digest: String, progress: OllamaPullProgress.LayerProgress)] = []

  /// Creates an empty tracker.
  public init() {}

  /// The progress after `line` (an `error` line is not progress; check it before calling).
  public mutating func record(_ line: OllamaPullStatus) -> OllamaPullProgress {
    var layer: OllamaPullProgress.LayerProgress?
    if let digest = line.digest {
      let total = max(line.total ?? 0, 0)
      let completed = min(max(line.completed ?? 0, 0), total > 0 ? total : Int64.max)
      let progress = OllamaPullProgress.LayerProgress(completed: completed, total: total)
      if let index = layers.firstIndex(where: { $0.digest == digest }) {
        // Progress never goes backwards for a layer.
        let previous = layers[index].progress
        layers[index].progress = .init(completed: max(previous.completed, completed), total: max(previous.total, total))
      } else {
        layers.append((digest, progress))
      }
      layer = layers.first(where: { $0.digest == digest })?.progress
    }
    return OllamaPullProgress(
      status: line.status ?? "",
      digest: line.digest,
      layer: layer,
      completedBytes: layers.reduce(0) { $0 + $1.progress.completed },
      totalBytes: layers.reduce(0) { $0 + $1.progress.total },
      layers: layers
    )
  }
}
