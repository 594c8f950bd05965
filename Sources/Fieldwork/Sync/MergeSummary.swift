import Foundation
import SurveyStore

import enum SurveyModel.DisplayText

/// Totals over a merge run, printed by `terep merge` as text or JSON.
public struct MergeSummary: Encodable, Hashable, Sendable {
    public var bundles: [MergeOutcome]
    public var merged: Int, alreadyMerged: Int, rejected: Int, notStored: Int
    public var newEvents: Int, duplicateEvents: Int, newInterviews: Int, updatedInterviews: Int, newConflicts: Int
    /// The files after one the central dataset could not store: the run stopped there.
    public var notTried: [String]

    public init(outcomes: [MergeOutcome], notTried: [String] = []) {
        bundles = outcomes
        self.notTried = notTried
        merged = outcomes.filter { $0.status == .merged }.count
        alreadyMerged = outcomes.filter { $0.status == .alreadyMerged }.count
        rejected = outcomes.filter { $0.status == .rejected }.count
        notStored = outcomes.filter { $0.status == .notStored }.count
        newEvents = outcomes.reduce(0) { $0 + $1.newEvents }
        duplicateEvents = outcomes.reduce(0) { $0 + $1.duplicateEvents }
        newInterviews = outcomes.reduce(0) { $0 + $1.newInterviews }
        updatedInterviews = outcomes.reduce(0) { $0 + $1.updatedInterviews }
        newConflicts = outcomes.reduce(0) { $0 + $1.newConflicts }
    }

    /// The summary lines, ending with one line per rejected bundle.
    public func text() -> String {
        let stopped = notStored == 0 ? "" : ", \(notStored) not stored, \(notTried.count) not tried"
        var lines = [
            "Summary: \(merged) bundles merged, \(alreadyMerged) already merged, \(rejected) rejected" + stopped,
            "  \(newEvents) new events, \(duplicateEvents) duplicates skipped, \(newInterviews) new interviews, "
                + "\(updatedInterviews) updated, \(newConflicts) new conflicts",
        ]
        for b in bundles where b.status == .rejected {
            lines.append("  rejected \(DisplayText.escaped(b.file)): \(b.reason ?? "?")")
        }
        return lines.joined(separator: "\n")
    }

    /// The first bundle the central dataset could not store, as the error that ends the run.
    public var storeFailure: MergeStoreFailure? {
        guard let outcome = bundles.first(where: { $0.status == .notStored }), let cause = outcome.storeFailure else { return nil }
        return MergeStoreFailure(file: outcome.file, cause: cause, notTried: notTried.count)
    }

    /// Pretty-printed JSON with sorted keys, safe to show in a terminal (``DisplayText/jsonSafe(_:)``).
    public func json() -> String { DisplayText.json(self) }
}

/// A merge run stopped because the central dataset could not store a bundle (disk full, I/O
/// error, read-only, its database server gone): the bundle is neither merged nor refused, and it
/// and the files after it merge when the run is made again once the cause is fixed.
public struct MergeStoreFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var cause: StoreError
    public var notTried: Int

    public var description: String {
        let rest = notTried == 0 ? "" : " (and the \(notTried) files after it, not tried)"
        return "\(DisplayText.escaped(file)) was not merged: the central dataset could not store it: \(cause.sentence) "
            + "The bundle was not refused: run the merge again\(rest) once this is fixed."
    }

}

extension StoreError {
    /// The description as a sentence (ending with a full stop), for a message that goes on after it.
    var sentence: String {
        let text = description
        return text.hasSuffix(".") ? text : text + "."
    }
}
