import Testing

@testable import WireCore

/// The bounded memory behind the transport's per-URL memories.
@Suite struct BoundedMemoTests {
  @Test func remembersUpToItsLimitThenStartsOver() {
    var memo = BoundedMemo<String, Int>(limit: 2)
    memo.remember(1, for: "a")
    memo.remember(2, for: "b")
    memo.remember(20, for: "b")  // a known key past the limit is replaced, nothing forgotten
    #expect(memo["a"] == 1 && memo["b"] == 20)
    memo.remember(3, for: "c")  // a new key past the limit: the rest is forgotten
    #expect(memo["a"] == nil && memo["b"] == nil && memo["c"] == 3)
  }
}
