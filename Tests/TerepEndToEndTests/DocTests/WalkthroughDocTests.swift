import Foundation
import Testing

/// The walk-throughs of the role guides, run as scripts with the real binary (see `Walkthrough`
/// for what the fences and the `<!-- walkthrough … -->` comments say): README's day in the field,
/// the coordinator's set-up and evening merge, the analyst's export and recipes. A change that
/// breaks a documented step fails here with the document's file and line.
extension EndToEnd {
    @Suite("Docs: walk-throughs run", .timeLimit(.minutes(5)))
    struct WalkthroughDocTests {
        /// Where each walk-through is: the document, the heading it starts at and the one it stops before.
        static let walkthroughs: [(document: String, from: String, until: String?)] = [
            ("README.md", "A day in the field, by role", "Documentation"),
            ("docs/coordinator.md", "1. Setting up the central dataset", "5. Reading `terep central status`"),
            ("docs/analyst.md", "Making an export", "Excel"),
        ]

        /// README's elided arguments, and what each stands for.
        static let placeholders = [
            "--to x25519:…": "Coordinator public key", "--coordinator-key ed25519:…": "Coordinator signing key",
            "--key ed25519:…": "Device public key", "--reopen 3f2a": "interview",
        ]

        static func walkthrough(_ index: Int, root: URL = TerepProcess.packageRoot) throws -> Walkthrough {
            let (document, from, until) = walkthroughs[index]
            return Walkthrough(try DocText.load(document, root: root), from: from, until: until)
        }

        @Test(arguments: walkthroughs.indices)
        func theWalkthroughRunsAsDocumented(index: Int) throws {
            let walkthrough = try Self.walkthrough(index)
            #expect(walkthrough.steps.count >= 5, "\(Self.walkthroughs[index].document): only \(walkthrough.steps.count) steps found")
            for finding in try WalkthroughRun(walkthrough, placeholders: Self.placeholders).run() { Issue.record("\(finding)") }
        }

        /// A copy of README with a wrong option planted in one step, and a copy of the coordinator
        /// guide with a changed output line: each fails at the planted line, saying what disagrees.
        @Test func aPlantedBrokenStepFailsTheWalkthrough() throws {
            let root = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)

            let readme = try DocText.load("README.md")
            let line = try #require(readme.lines.firstIndex { $0.hasPrefix("terep compile ") }) + 1
            var lines = readme.lines
            lines[line - 1] = lines[line - 1].replacingOccurrences(of: " -o ", with: " --out ")
            try lines.joined(separator: "\n").write(to: root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            let broken = try WalkthroughRun(try Self.walkthrough(0, root: root), placeholders: Self.placeholders).run()
            #expect(
                broken.count == 1
                    && broken[0].hasPrefix(
                        "README.md:\(line): `terep compile questionnaires/wellbeing.survey --out wellbeing.json` exited with 64"),
                "\(broken)")

            let guide = try DocText.load("docs/coordinator.md")
            let shown = try #require(guide.lines.firstIndex { $0.hasPrefix("Registered device laptop-01 (key ") }) + 1
            lines = guide.lines
            lines[shown - 1] = lines[shown - 1].replacingOccurrences(of: "Registered device", with: "Registered the device")
            try lines.joined(separator: "\n").write(
                to: root.appendingPathComponent("docs/coordinator.md"), atomically: true, encoding: .utf8)
            let changed = try WalkthroughRun(try Self.walkthrough(1, root: root), placeholders: Self.placeholders).run(through: shown)
            #expect(
                changed.contains { $0.hasPrefix("docs/coordinator.md:\(shown): the document shows `Registered the device laptop-01") },
                "\(changed)")
            #expect(
                changed.contains { $0.contains("printed `Registered device laptop-01") && $0.contains("which the document does not show") },
                "\(changed)")
        }
    }
}
