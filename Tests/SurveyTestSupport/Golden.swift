import Foundation
import Testing

/// Golden-file comparison: `actual` must equal the file's content; with `RECORD_GOLDEN=1` in
/// the environment the file is (re)written instead and the test records an issue so a
/// re-recording run is never mistaken for a pass.
public func assertGolden(
    _ actual: String, file goldenPath: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let url = URL(fileURLWithPath: goldenPath)
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try Data(actual.utf8).write(to: url, options: .atomic)
            Issue.record("recorded golden file \(url.lastPathComponent); run again without RECORD_GOLDEN", sourceLocation: sourceLocation)
        } catch {
            Issue.record("cannot write golden file \(goldenPath): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden file \(goldenPath); run with RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        let want = line < e.count ? String(e[line]) : "<end>"
        let got = line < a.count ? String(a[line]) : "<end>"
        Issue.record(
            "golden mismatch in \(url.lastPathComponent) at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n(RECORD_GOLDEN=1 re-records)",
            sourceLocation: sourceLocation)
    }
}

/// The directory of the calling test file (golden files live beside the tests).
public func goldenDirectory(_ filePath: String = #filePath) -> String {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().path
}
