import Foundation
import SurveyModel

/// What the coordinator did, as the central dataset's fieldwork log records it (with who and when).
public enum FieldworkAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// A questionnaire version was published (`terep central add-survey`); the latest one is
    /// what new cases of the survey are interviewed with.
    case published
    /// A sample file was imported: cases added and updated.
    case sampleImported = "sample-imported"
    /// A case was given to a device.
    case assigned
    /// A case was moved from one device to another.
    case reassigned
    /// A case was taken out of the sample (its data stay).
    case withdrawn
    /// The supervisor approved an interview: it is locked on the device.
    case approved
    /// The supervisor rejected an interview: it goes back to the interviewer to fix.
    case rejected
    /// The supervisor commented on one answer.
    case commented
}

/// One entry of the fieldwork log: an append-only, numbered record of the coordinator's actions.
/// Its sequence numbers order every package: a device applies a package only when it was made
/// from a later point of the log than the one it has.
public struct FieldworkLogEntry: Hashable, Sendable {
    public var sequence: Int64
    /// Milliseconds since 1970 (the coordinator's clock).
    public var at: Int64
    /// Who did it (`--by`, else the user name).
    public var actor: String
    public var action: FieldworkAction
    public var survey: SurveyID
    public var caseID: CaseID?
    public var device: DeviceID?
    /// The device a reassigned case came from.
    public var previousDevice: DeviceID?
    public var interview: InterviewID?
    /// The definition published, or the one a reviewed interview ran on.
    public var definition: DefinitionHash?
    /// The question a comment is about (`m_age[2]`).
    public var question: Address?
    /// A rejection's or comment's text, a withdrawal's reason, or an import's file name.
    public var text: String?
    /// For a review: the interview's latest `ended` event when it was reviewed (device, sequence).
    public var reviewedDevice: DeviceID?
    public var reviewedSequence: Int64?

    // Package access: the other central dataset (SurveyStorePostgres) reads these rows too.
    package init(
        sequence: Int64, at: Int64, actor: String, action: FieldworkAction, survey: SurveyID, caseID: CaseID? = nil,
        device: DeviceID? = nil, previousDevice: DeviceID? = nil, interview: InterviewID? = nil,
        definition: DefinitionHash? = nil,
        question: Address? = nil, text: String? = nil, reviewedDevice: DeviceID? = nil, reviewedSequence: Int64? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.action = action
        self.survey = survey
        self.caseID = caseID
        self.device = device
        self.previousDevice = previousDevice
        self.interview = interview
        self.definition = definition
        self.question = question
        self.text = text
        self.reviewedDevice = reviewedDevice
        self.reviewedSequence = reviewedSequence
    }
}

/// A case of the sample to add or update, as a sample file gives it.
public struct SampleCaseInput: Hashable, Sendable {
    public var id: CaseID
    public var values: [VariableName: Value]
    /// Field-management data for the interviewer: where to go, and a note.
    public var address: String?
    public var note: String?

    public init(id: CaseID, values: [VariableName: Value], address: String? = nil, note: String? = nil) {
        self.id = id
        self.values = values
        self.address = address
        self.note = note
    }
}

/// What one sample import changed.
public struct SampleImportResult: Hashable, Sendable {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    /// The log entry of the import (nil when nothing changed and nothing was logged).
    public var sequence: Int64?

    public init() {}
}

/// A case of the central sample with where it stands.
public struct SampleCaseRecord: Hashable, Sendable {
    public var survey: SurveyID
    public var id: CaseID
    public var values: [VariableName: Value]
    public var address: String?
    public var note: String?
    /// The device it is assigned to now (nil: not assigned, or withdrawn).
    public var device: DeviceID?
    /// The log entry that assigned it there.
    public var assignedSequence: Int64?
    public var assignedAt: Int64?
    public var withdrawn: Bool
    /// The log entry that added it, and the one that last changed its values.
    public var addedSequence: Int64
    public var updatedSequence: Int64

    // Package access: the other central dataset (SurveyStorePostgres) reads these rows too.
    package init(
        survey: SurveyID, id: CaseID, values: [VariableName: Value], address: String? = nil, note: String? = nil,
        device: DeviceID? = nil,
        assignedSequence: Int64? = nil, assignedAt: Int64? = nil, withdrawn: Bool, addedSequence: Int64, updatedSequence: Int64
    ) {
        self.survey = survey
        self.id = id
        self.values = values
        self.address = address
        self.note = note
        self.device = device
        self.assignedSequence = assignedSequence
        self.assignedAt = assignedAt
        self.withdrawn = withdrawn
        self.addedSequence = addedSequence
        self.updatedSequence = updatedSequence
    }
}

/// A case's assignment to change: to `device`, from `previous` (nil for a first assignment).
public struct AssignmentChange: Hashable, Sendable {
    public var caseID: CaseID
    public var device: DeviceID
    public var previous: DeviceID?

    public init(caseID: CaseID, device: DeviceID, previous: DeviceID?) {
        self.caseID = caseID
        self.device = device
        self.previous = previous
    }
}

/// A supervisor's decision on an interview.
public enum ReviewDecision: Hashable, Sendable {
    case approve(comment: String?)
    case reject(comment: String)
    /// A comment on one answer (it travels with the next rejection or approval).
    case comment(Address, String)

    package var action: FieldworkAction {
        switch self {
        case .approve: .approved
        case .reject: .rejected
        case .comment: .commented
        }
    }
}
