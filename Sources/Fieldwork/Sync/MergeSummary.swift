import Foundation

import enum SurveyModel.DisplayText

/// Totals over a merge run, printed by `terep merge` as text or JSON.
public struct MergeSummary: Encodable, Hashable, Sendable {
    public var bundles: [MergeOutcome]
    public var merged: Int, alreadyMerged: Int, rejected: Int
    public var newEvents: Int, duplicateEvents: Int, newInterviews: Int, updatedInterviews: Int, newConflicts: Int

    public init(outcomes: [MergeOutcome]) {
        bundles = outcomes
        merged = outcomes.filter { $0.status == .merged }.count
        alreadyMerged = outcomes.filter { $0.status == .alreadyMerged }.count
        rejected = outcomes.filter { $0.status == .rejected }.count
        newEvents = outcomes.reduce(0) { $0 + $1.newEvents }
        duplicateEvents = outcomes.reduce(0) { $0 + $1.duplicateEvents }
        newInterviews = outcomes.reduce(0) { $0 + $1.newInterviews }
        updatedInterviews = outcomes.reduce(0) { $0 + $1.updatedInterviews }
        newConflicts = outcomes.reduce(0) { $0 + $1.newConflicts }
    }

    /// The summary lines, ending with one line per rejected bundle.
    public func text() -> String {
        var lines = [
            "Summary: \(merged) bundles merged, \(alreadyMerged) already merged, \(rejected) rejected",
            "  \(newEvents) new events, \(duplicateEvents) duplicates skipped, \(newInterviews) new interviews, "
                + "\(updatedInterviews) updated, \(newConflicts) new conflicts",
        ]
        for b in bundles where b.status == .rejected {
            lines.append("  rejected \(DisplayText.escaped(b.file)): \(b.reason ?? "?")")
        }
        return lines.joined(separator: "\n")
    }

    /// Pretty-printed JSON with sorted keys, safe to show in a terminal (``DisplayText/jsonSafe(_:)``).
    public func json() -> String { DisplayText.json(self) }
}
