import Foundation
import SurveyStore

import enum SurveyModel.DisplayText
import struct SurveyModel.SequenceRanges

/// `terep central status` output: devices, received and missing sequence ranges, counts.
public struct CentralStatusReport: Encodable, Hashable, Sendable {
    /// One device's line.
    public struct Device: Encodable, Hashable, Sendable {
        public var id: String, status: String, registered: String, events: Int
        public var received: String, missing: String, lastBundle: String?
    }

    public var devices: [Device]
    public var events: Int
    public var interviews: [String: Int]
    /// Interviews marked as training (included in ``interviews``, never exported or reported).
    public var trainingInterviews: Int
    /// The training interviews by status, as in ``interviews``.
    public var trainingByStatus: [String: Int]
    public var conflicts: Int
    public var bundlesAccepted: Int
    public var bundlesRejected: Int
    public var lastBundle: String?

    public init(_ status: CentralStatus) {
        func ranges(_ list: [ClosedRange<Int64>]) -> String {
            list.isEmpty ? "none" : SequenceRanges.text(list)
        }
        func describe(_ b: BundleRecord) -> String {
            // The reason was escaped when the bundle was refused; an older log's is escaped again, harmlessly.
            let name = DisplayText.escaped((b.fileName as NSString).lastPathComponent)
            return "\(name) (\(b.accepted ? "accepted" : "rejected: \(DisplayText.escaped(b.reason ?? "?"))"))"
        }
        devices = status.devices.map {
            Device(
                id: $0.device.id.rawValue, status: $0.device.status.rawValue, registered: $0.device.method.rawValue,
                events: $0.eventCount, received: ranges($0.received), missing: ranges($0.missing),
                lastBundle: $0.lastBundle.map(describe))
        }
        events = status.eventCount
        interviews = Dictionary(uniqueKeysWithValues: InterviewStatus.allCases.map { ($0.rawValue, status.interviews[$0] ?? 0) })
        trainingInterviews = status.trainingInterviews
        trainingByStatus = Dictionary(
            uniqueKeysWithValues: InterviewStatus.allCases.map { ($0.rawValue, status.trainingByStatus[$0] ?? 0) })
        conflicts = status.conflicts
        bundlesAccepted = status.bundlesAccepted
        bundlesRejected = status.bundlesRejected
        lastBundle = status.lastBundle.map(describe)
    }

    /// Pretty-printed JSON with sorted keys, safe to show in a terminal (``DisplayText/json(_:)``).
    public func json() -> String { DisplayText.json(self) }

    /// The text `terep central status` prints.
    public func text() -> String {
        var lines = ["Devices: \(devices.count)"]
        for d in devices {
            lines.append(
                "  \(DisplayText.escaped(d.id)) [\(d.status), \(d.registered)] events \(d.events); received \(d.received); missing \(d.missing)"
            )
            if let last = d.lastBundle { lines.append("      last bundle \(last)") }
        }
        lines.append("Events: \(events)")
        // Each status says how many of its interviews are training ones, so a count is never
        // read as belonging to the status written before it.
        lines.append(
            "Interviews: "
                + InterviewStatus.allCases.map { status in
                    let training = trainingByStatus[status.rawValue] ?? 0
                    return "\(status.rawValue) \(interviews[status.rawValue] ?? 0)" + (training > 0 ? " (\(training) training)" : "")
                }.joined(separator: ", "))
        if trainingInterviews > 0 {
            lines.append("  Training interviews: \(trainingInterviews) in all, never exported or reported")
        }
        lines.append("Conflicts (interviews with events from several devices): \(conflicts)")
        lines.append("Bundles: \(bundlesAccepted) accepted, \(bundlesRejected) rejected")
        if let lastBundle { lines.append("Last bundle: \(lastBundle)") }
        return lines.joined(separator: "\n")
    }
}
