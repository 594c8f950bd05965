import Foundation
import SurveyModel

/// The device a store belongs to.
public struct DeviceInfo: Hashable, Sendable {
    public var deviceID: DeviceID
    public var interviewer: String
    /// Milliseconds since 1970 when the store was initialised.
    public var createdAt: Int64
    /// The sequence number the next event will get (events so far are `1..<nextSequence`).
    public var nextSequence: Int64
}

/// Where an interview stands, derived from its events.
public enum InterviewStatus: String, Hashable, Sendable, CaseIterable, Codable {
    /// Started and not ended (or reopened).
    case inProgress = "in_progress"
    /// Ended with the definition's "complete" outcome code.
    case completed
    /// Ended with any other outcome (refusal, break-off, nobody home…).
    case ended
}

/// What is needed to start an interview; the store writes it together with its `started` event.
public struct NewInterview: Hashable, Sendable {
    public var id: InterviewID
    public var definition: DefinitionHash
    /// The seed for option randomisation.
    public var seed: UInt64
    public var language: LanguageCode
    /// Case identifiers and other preloaded values (cluster, address…).
    public var preload: [VariableName: Value]
    /// A training or test interview, never exported as real data.
    public var isTest: Bool
    /// The assigned case the interview is for (written as its `assignedCase` label).
    public var assignedCase: CaseID?

    public init(
        id: InterviewID = InterviewID.random(), definition: DefinitionHash, seed: UInt64, language: LanguageCode,
        preload: [VariableName: Value] = [:], isTest: Bool = false, assignedCase: CaseID? = nil
    ) {
        self.assignedCase = assignedCase
        self.id = id
        self.definition = definition
        self.seed = seed
        self.language = language
        self.preload = preload
        self.isTest = isTest
    }
}

extension InterviewID {
    /// A fresh random identifier (a lower-case UUID).
    public static func random() -> InterviewID {
        InterviewID(UUID().uuidString.lowercased())
    }
}

/// The current state of one interview, derived from its events.
public struct DeviceInterview: Hashable, Sendable {
    public var id: InterviewID
    public var survey: SurveyID
    public var definition: DefinitionHash
    public var interviewer: String
    /// The preloaded values of the `started` event (case identifiers).
    public var caseIdentifiers: [VariableName: Value]
    public var status: InterviewStatus
    /// The visit outcome code of the last `ended` event, if it is ended.
    public var outcome: Int?
    /// Milliseconds since 1970.
    public var startedAt: Int64
    public var endedAt: Int64?
    /// The sequence number of its latest event.
    public var lastSequence: Int64
    public var eventCount: Int
    public var isTest: Bool
    /// The case of the sample it was started for (its `assignedCase` event), if any.
    public var caseID: CaseID? = nil
    /// The sequence number of its latest `ended` or `reopened` event: the state a review judges.
    public var endSequence: Int64? = nil
}

/// An event to append in a batch.
public struct PendingEvent: Hashable, Sendable {
    public var interview: InterviewID
    public var timestamp: Int64
    public var kind: InterviewEventKind

    public init(interview: InterviewID, timestamp: Int64, kind: InterviewEventKind) {
        self.interview = interview
        self.timestamp = timestamp
        self.kind = kind
    }
}
