import Foundation
import Testing
import TestSupport

@testable import AgentTools

@Suite struct LineDiffTests {
  @Test func unifiedDiffMatchesDiffU() {
    let old = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"
    let new = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\neight\nnine\nten\neleven\n"
    let diff = LineDiff(old: old, new: new).unified(path: "n.txt", context: 1)
    #expect(
      diff == """
        --- a/n.txt
        +++ b/n.txt
        @@ -3,3 +3,3 @@
         three
        -four
        +FOUR
         five
        @@ -10,1 +10,2 @@
         ten
        +eleven

        """)
    #expect(LineDiff(old: old, new: new).counts == (added: 2, removed: 1))
  }

  @Test func newFilesAndNoChanges() {
    #expect(
      LineDiff(old: "", new: "a\nb\n").unified(path: "x", isNewFile: true)
        == "--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n")
    #expect(LineDiff(old: "same\n", new: "same\n").unified(path: "x") == "")
    #expect(LineDiff(old: "a\r\nb\r\n", new: "a\nb\n").isEmpty)
  }

  @Test func theScriptIsAShortestEdit() {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<200 {
      let old = (0..<Int.random(in: 0...12, using: &generator)).map { _ in ["a", "b", "c"].randomElement(using: &generator)! }
      let new = (0..<Int.random(in: 0...12, using: &generator)).map { _ in ["a", "b", "c"].randomElement(using: &generator)! }
      let script = LineDiff.script(old, new)
      // Replaying the script gives both texts back.
      let replayedOld = script.filter { if case .added = $0 { false } else { true } }.map(\.text)
      let replayedNew = script.filter { if case .removed = $0 { false } else { true } }.map(\.text)
      #expect(replayedOld == old && replayedNew == new, "\(old) → \(new)")
      // Its kept lines are a longest common subsequence.
      let kept = script.filter { if case .same = $0 { true } else { false } }.count
      #expect(kept == Self.lcsLength(old, new), "\(old) → \(new)")
    }
  }

  static func lcsLength(_ a: [String], _ b: [String]) -> Int {
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    return table[0][0]
  }
}

extension LineDiff.Line {
  fileprivate var text: String {
    switch self {
    case .same(let text), .removed(let text), .added(let text): text
    }
  }
}

@Suite struct UnifiedPatchTests {
  let file = "import Foundation\n\nfunc greet() {\n  print(\"hello\")\n}\n\nfunc main() {\n  greet()\n}\n"

  @Test func appliesByContentWhateverTheLineNumbers() throws {
    let patch = try UnifiedPatch(
      """
      --- a/main.swift
      +++ b/main.swift
      @@ -40,3 +40,3 @@
       func greet() {
      -  print("hello")
      +  print("hello, world")
       }
      """)
    #expect(try patch.apply(to: file) == file.replacing("print(\"hello\")", with: "print(\"hello, world\")"))
  }

  @Test func keepsCRLFAndTheMissingFinalNewline() throws {
    let patch = try UnifiedPatch("@@ -1,2 +1,2 @@\n a\n-b\n+B\n")
    #expect(try patch.apply(to: "a\r\nb\r\n") == "a\r\nB\r\n")
    #expect(try patch.apply(to: "a\nb") == "a\nB")
  }

  @Test func toleratesTrailingSpaceAndLostBlankContextLines() throws {
    let patch = try UnifiedPatch("@@ @@\n }  \n\n func main() {\n+  print(\"start\")\n")
    let patched = try patch.apply(to: file)
    #expect(patched.contains("func main() {\n  print(\"start\")\n  greet()"))
  }

  @Test func aHunkThatDoesNotMatchQuotesItsLines() throws {
    let patch = try UnifiedPatch("@@ -1 +1 @@\n-print(\"goodbye\")\n+print(\"bye\")\n")
    let error = #expect(throws: UnifiedPatch.Failure.self) { try patch.apply(to: file) }
    #expect(error?.message.contains("hunk 1 of 1 does not match the file") == true)
    #expect(error?.message.contains("print(\"goodbye\")") == true)
  }

  @Test func textThatIsNotAPatchIsRefused() {
    #expect(throws: UnifiedPatch.Failure.self) { try UnifiedPatch("") }
    let error = #expect(throws: UnifiedPatch.Failure.self) { try UnifiedPatch("@@ -1 +1 @@\nreplace this line\n") }
    #expect(error?.message.contains("does not start with ' ', '-' or '+'") == true)
  }
}

@Suite struct EditingToolTests {
  struct Fixture {
    let outer: TemporaryDirectory
    let catalog: ToolCatalog
    var root: String { outer.path + "/root" }

    init() throws {
      outer = try TemporaryDirectory()
      try outer.write("secret.txt", "top secret\n")
      try outer.write("root/main.swift", "print(\"hello\")\n")
      try outer.write("root/.git/config", "[core]\n")
      catalog = ToolCatalog(workspaceRoot: outer.path + "/root")
    }
  }

  @Test func writesCreateDirectoriesAndReplaceAtomically() throws {
    let fixture = try Fixture()
    let sandbox = try fixture.catalog.workspace.get()
    let target = try sandbox.writeTarget("docs/guide/intro.md")
    #expect(target.currentText == nil)
    try sandbox.write("# Intro\n", to: target)
    #expect(try String(contentsOfFile: fixture.root + "/docs/guide/intro.md", encoding: .utf8) == "# Intro\n")
    chmod(fixture.root + "/main.swift", 0o640)
    try sandbox.write("print(\"bye\")\n", to: try sandbox.writeTarget("main.swift"))
    let attributes = try FileManager.default.attributesOfItem(atPath: fixture.root + "/main.swift")
    #expect((attributes[.posixPermissions] as? Int) == 0o640)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.root).filter { $0.contains(".tmp") }
    #expect(leftovers.isEmpty)
  }

  @Test func writesStayInsideTheWorkspace() throws {
    let fixture = try Fixture()
    let sandbox = try fixture.catalog.workspace.get()
    try fixture.outer.link("root/out", to: fixture.outer.path)
    try fixture.outer.link("root/secret-link.txt", to: fixture.outer.path + "/secret.txt")
    let cases: [(String, WorkspaceError.Code)] = [
      ("../secret.txt", .outsideRoot), ("a/../../secret.txt", .outsideRoot), ("/etc/passwd", .absolutePath),
      ("~/x", .absolutePath), ("out/secret.txt", .outsideRoot), ("out/new.txt", .outsideRoot),
      ("secret-link.txt", .notAFile), (".git/hooks/pre-commit", .invalidPath), ("main.swift/x", .notADirectory),
      ("", .invalidPath), ("dir/", .invalidPath),
    ]
    for (path, code) in cases {
      let error = #expect(throws: WorkspaceError.self, "\(path)") { try sandbox.writeTarget(path) }
      #expect(error?.code == code, "\(path): \(String(describing: error))")
    }
    #expect(try String(contentsOfFile: fixture.outer.path + "/secret.txt", encoding: .utf8) == "top secret\n")
  }

  @Test func theEditingToolsNeedApprovalAndPreviewTheirDiff() async throws {
    let fixture = try Fixture()
    let write = fixture.catalog.tool(.writeFile)
    let patch = fixture.catalog.tool(.applyPatch)
    let arguments: JSONValue = ["path": "main.swift", "content": "print(\"hello, world\")\n"]
    let edit = try fixture.catalog.plannedWrite(arguments)
    #expect(edit.diff == "--- a/main.swift\n+++ b/main.swift\n@@ -1,1 +1,1 @@\n-print(\"hello\")\n+print(\"hello, world\")\n")
    #expect(!write.needsApproval.isNever)
    #expect(!patch.needsApproval.isNever)

    let patched = try fixture.catalog.plannedPatch(
      ["path": "main.swift", "patch": "@@ -1 +1 @@\n-print(\"hello\")\n+print(\"patched\")\n"])
    #expect(patched.newText == "print(\"patched\")\n")
    #expect(throws: WorkspaceError.self) {
      try fixture.catalog.plannedPatch(["path": "missing.swift", "patch": "@@ @@\n+x\n"])
    }
  }
}
