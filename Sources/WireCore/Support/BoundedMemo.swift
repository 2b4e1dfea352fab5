/// Values remembered by key, at most ``limit`` of them: remembering one more past the limit starts the memory over.
///
/// The transport's per-URL memories use it (``HTTPRequestTemplates``, ``RequestLimiter/forServer(of:)``): a process
/// talks to a handful of URLs, and the bound keeps one that talks to many from growing without end.
struct BoundedMemo<Key: Hashable, Value> {
  /// The most values kept.
  let limit: Int
  private var values: [Key: Value] = [:]

  /// An empty memory of at most `limit` values.
  init(limit: Int) { self.limit = limit }

  /// The value remembered for `key`, if any.
  subscript(key: Key) -> Value? { values[key] }

  /// Remembers `value` for `key`; a new key past the limit first forgets everything else.
  mutating func remember(_ value: Value, for key: Key) {
    if values[key] == nil, values.count >= limit { values.removeAll(keepingCapacity: true) }
    values[key] = value
  }
}
