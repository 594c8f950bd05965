import Foundation

import enum SurveyModel.DisplayText
import struct SurveyModel.SurveyID

/// What cleaning the interviews a merge changed did: how many were replayed, the surveys whose
/// records could not be cached, and how long it took.
public struct MergeCacheRefresh: Hashable, Sendable {
    /// Interviews replayed and stored, over every survey.
    public var replayed = 0
    /// One line per survey whose cleaned records were not cached, and why.
    public var notes: [String] = []
    /// Wall-clock seconds the refresh took.
    public var seconds = 0.0

    /// The line `terep merge` prints on stderr.
    public var line: String {
        "Cleaned \(replayed) changed interviews for reports and exports (\(String(format: "%.1f", seconds)) s)"
    }
}

extension BundleMerger {
    /// The policy after a merge run: when it merged at least one bundle, the interviews it
    /// changed are cleaned into the cache (every survey of the central dataset), so tonight's
    /// report and export read them instead of replaying them. Nil when nothing was merged.
    ///
    /// Never fails the merge: a survey whose records cannot be cleaned or cached is a note.
    public func refreshCleanedRecords(after summary: MergeSummary) -> MergeCacheRefresh? {
        guard summary.merged > 0 else { return nil }
        let clock = ContinuousClock()
        var refresh = MergeCacheRefresh()
        let elapsed = clock.measure {
            for (survey, result) in CleanedDataset.refreshCaches(central: central, progress: progress) {
                switch result {
                case .success(let statistics):
                    refresh.replayed += statistics.replayed
                    if let problem = statistics.problem { refresh.notes.append(Self.note(survey, problem)) }
                case .failure(let error):
                    refresh.notes.append(Self.note(survey, "\(error)"))
                }
            }
        }
        progress.finish()
        refresh.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return refresh
    }

    /// One line, escaped: a survey id and a problem may hold text from a bundle.
    private static func note(_ survey: SurveyID, _ problem: String) -> String {
        DisplayText.escaped("\(survey): cleaned records not cached (\(problem))")
    }
}
