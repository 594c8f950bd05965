import Foundation
import SurveyModel
import SurveyStore

/// Which interviews an export or report includes, by status and visit outcome.
public struct StatusSelection: Hashable, Sendable, CustomStringConvertible {
    /// Central statuses included.
    public var statuses: Set<InterviewStatus>
    /// Visit outcome codes included whatever their status.
    public var outcomes: Set<Int>

    public init(statuses: Set<InterviewStatus>, outcomes: Set<Int> = []) {
        self.statuses = statuses
        self.outcomes = outcomes
    }

    /// Completed interviews only (the default).
    public static let completed = StatusSelection(statuses: [.completed])
    /// Every interview, whatever its status.
    public static let all = StatusSelection(statuses: Set(InterviewStatus.allCases))

    /// Parses `completed`, `all`, or a comma-separated list of statuses (`completed`, `ended`,
    /// `in_progress`) and outcome codes (`completed,21,22`).
    public init(parsing text: String) throws(FieldworkError) {
        var statuses = Set<InterviewStatus>()
        var outcomes = Set<Int>()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if part == "all" {
                statuses.formUnion(InterviewStatus.allCases)
            } else if let status = InterviewStatus(rawValue: part) {
                statuses.insert(status)
            } else if let code = Int(part) {
                outcomes.insert(code)
            } else {
                throw .usage("--status: '\(part)' is not a status (completed, ended, in_progress, all) or an outcome code")
            }
        }
        guard !statuses.isEmpty || !outcomes.isEmpty else { throw .usage("--status: give at least one status or code") }
        self.init(statuses: statuses, outcomes: outcomes)
    }

    /// Whether an interview of this status and outcome is selected.
    public func includes(status: InterviewStatus, outcome: Int?) -> Bool {
        statuses.contains(status) || outcome.map(outcomes.contains) == true
    }

    public var description: String {
        let names = InterviewStatus.allCases.filter(statuses.contains).map(\.rawValue)
        return (names + outcomes.sorted().map { "outcome \($0)" }).joined(separator: ", ")
    }
}

/// Which definitions (questionnaire versions) of a survey an export includes.
public enum VersionSelection: Hashable, Sendable {
    /// Every version with selected interviews, merged into one schema (docs/exports.md,
    /// "Several questionnaire versions"; ``CleanedDataset/exportDefinitions``).
    case all
    /// One definition, by its full hash or a unique prefix of it.
    case hash(String)

    /// Parses `all` or a hash (prefix).
    public init(parsing text: String) {
        self = text == "all" ? .all : .hash(text.lowercased())
    }
}

/// Why an interview was left out of an export.
public enum ExclusionReason: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Its status (and outcome) was not selected.
    case status(InterviewStatus)
    /// Another questionnaire version than the one selected.
    case version
    /// Excluded by a line of the corrections file.
    case corrections
    /// Its `started` event has not reached the central dataset yet.
    case notStarted
    /// Marked at the device as a test/training interview (`CentralInterview.isTraining`).
    case training

    public var description: String {
        switch self {
        case .status(let s): "status \(s.rawValue) not selected"
        case .version: "other questionnaire version"
        case .corrections: "excluded in the corrections file"
        case .notStarted: "started event not merged yet"
        case .training: "test/training interview"
        }
    }

    public static func < (a: ExclusionReason, b: ExclusionReason) -> Bool { a.description < b.description }
}
