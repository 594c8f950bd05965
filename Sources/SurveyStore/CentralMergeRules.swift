import Foundation
import SurveyModel

// The store-neutral rules of a merge into the central dataset, shared by every implementation
// of ``CentralDataset`` (the SQLite `CentralStore` here, the PostgreSQL store in
// SurveyStorePostgres): the checks each event passes before it is stored (``MergeEventCheck``),
// what a merge's new events contribute to an interview (``InterviewDelta``), and how an
// interview's derived state follows from them (``DerivedInterview``). The stores only read and
// write rows; no store restates these rules in its own SQL.

/// The checks every event of a bundle passes as it is fed, before anything is stored: from the
/// bundle's device, within ``EventBounds``, fitting its questionnaire (``EventValidator``).
package struct MergeEventCheck {
    package let device: DeviceID
    private var validator: EventValidator?
    /// The definition each interview's events are checked against.
    private var checkedAgainst: [InterviewID: DefinitionHash] = [:]

    package init(device: DeviceID) { self.device = device }

    /// The bundle's definitions and the definition each interview is checked against.
    package mutating func begin(definitions: [DefinitionFile], checkedAgainst: [InterviewID: DefinitionHash]) {
        validator = definitions.isEmpty ? nil : EventValidator(definitions)
        self.checkedAgainst = checkedAgainst
    }

    /// Refuses an event from another device, outside ``EventBounds`` or not fitting its
    /// questionnaire.
    package func check(_ event: InterviewEvent) throws(StoreError) {
        guard event.device == device else {
            throw .invalid("event \(event.device)#\(event.sequence) is from another device than its bundle (\(device))")
        }
        if let problem = EventBounds.problem(with: event) { throw .invalid("\(device): \(problem)") }
        if let validator, let hash = checkedAgainst[event.interview], validator.knows(hash),
            let reason = validator.problem(with: event.kind, definition: hash)
        {
            throw .invalidEvent(device: event.device, sequence: event.sequence, reason: reason)
        }
    }

    /// The definitions a whole in-memory bundle's events are checked against: the bundle's map,
    /// and for an interview it leaves out, its `started` event's definition.
    package static func checkedAgainst(
        _ events: [InterviewEvent], mapped: [InterviewID: DefinitionHash]
    ) -> [InterviewID: DefinitionHash] {
        var checked = mapped
        for event in events {
            if case .started(let hash, _, _, _) = event.kind, checked[event.interview] == nil {
                checked[event.interview] = hash
            }
        }
        return checked
    }
}

/// What the new events of one merge contribute to one interview (all from the bundle's device).
package struct InterviewDelta {
    package var newEvents = 0
    package var lastTimestamp = Int64.min
    /// The lowest and highest sequence numbers of the new events.
    package var firstSequence = Int64.max
    package var lastSequence = Int64.min
    /// The earliest new `started` event.
    package var start: (key: MergeKey, definition: DefinitionHash, interviewer: String, caseJSON: String)?
    /// The latest new `ended` / `reopened` event (outcome nil for reopened).
    package var status: (key: MergeKey, outcome: Int?)?
    /// The latest new `trainingMarked` event.
    package var training: (key: MergeKey, value: Bool)?
    /// The earliest new `assignedCase` event.
    package var assignedCase: (key: MergeKey, id: CaseID)?
    /// The definition the bundle maps the interview to.
    package var mappedDefinition: DefinitionHash?

    package init() {}

    package mutating func add(_ event: InterviewEvent) throws(StoreError) {
        newEvents += 1
        lastTimestamp = max(lastTimestamp, event.timestamp)
        firstSequence = min(firstSequence, event.sequence)
        lastSequence = max(lastSequence, event.sequence)
        switch event.kind {
        case .started(let definition, _, _, let preload):
            let key = event.mergeKey
            if start.map({ key < $0.key }) ?? true {
                start = (key, definition, event.interviewer, try EventCoding.encode(preload))
            }
        case .ended(let outcome):
            noteStatus(event.mergeKey, outcome)
        case .reopened:
            noteStatus(event.mergeKey, nil)
        case .trainingMarked(let value):
            noteTraining(event.mergeKey, value)
        case .assignedCase(let id):
            noteCase(event.mergeKey, id)
        default:
            break
        }
    }

    private mutating func noteStatus(_ key: MergeKey, _ outcome: Int?) {
        if status.map({ $0.key < key }) ?? true { status = (key, outcome) }
    }

    private mutating func noteTraining(_ key: MergeKey, _ value: Bool) {
        if training.map({ $0.key < key }) ?? true { training = (key, value) }
    }

    private mutating func noteCase(_ key: MergeKey, _ id: CaseID) {
        if assignedCase.map({ key < $0.key }) ?? true { assignedCase = (key, id) }
    }

    /// Combines two deltas of the same interview (min start, max status, summed counts).
    package mutating func merge(_ other: InterviewDelta) {
        newEvents += other.newEvents
        lastTimestamp = max(lastTimestamp, other.lastTimestamp)
        firstSequence = min(firstSequence, other.firstSequence)
        lastSequence = max(lastSequence, other.lastSequence)
        if let s = other.start, start.map({ s.key < $0.key }) ?? true { start = s }
        if let s = other.status { noteStatus(s.key, s.outcome) }
        if let t = other.training { noteTraining(t.key, t.value) }
        if let c = other.assignedCase { noteCase(c.key, c.id) }
    }
}

/// An interview's derived row (the `interview` table's columns, whatever the store): a function
/// of the set of its merged events. ``fold(_:deviceCount:survey:)`` adds one merge's
/// ``InterviewDelta``; every step is a min, max or sum by ``MergeKey``, so the order of merges
/// does not matter: the earliest `started` event starts it, the latest `ended`/`reopened`
/// decides its outcome, the latest `trainingMarked` its training flag, the earliest
/// `assignedCase` its case; until a `started` event is merged, the smallest definition a bundle
/// maps it to is its definition.
package struct DerivedInterview: Hashable, Sendable {
    package var id: InterviewID
    package var survey: SurveyID?
    package var definition: DefinitionHash?
    package var interviewer: String?
    package var caseIdentifiersJSON: String?
    package var start: MergeKey?
    package var outcome: Int?
    package var endedAt: Int64?
    package var statusKey: MergeKey?
    package var isTraining = false
    package var trainingKey: MergeKey?
    package var caseID: CaseID?
    package var caseKey: MergeKey?
    package var lastTimestamp = Int64.min
    package var eventCount = 0
    package var deviceCount = 0

    /// An interview with no events merged yet.
    package init(id: InterviewID) { self.id = id }

    /// Adds one merge's new events; `deviceCount` is the number of devices with events of it
    /// after the merge, and `survey` names a definition's survey.
    package mutating func fold(
        _ delta: InterviewDelta, deviceCount: Int, survey: (DefinitionHash) throws(StoreError) -> SurveyID?
    ) throws(StoreError) {
        lastTimestamp = max(lastTimestamp, delta.lastTimestamp)
        eventCount += delta.newEvents
        self.deviceCount = deviceCount
        if let new = delta.start, start.map({ new.key < $0 }) ?? true {
            (definition, interviewer, caseIdentifiersJSON, start) = (new.definition, new.interviewer, new.caseJSON, new.key)
            self.survey = try survey(new.definition)
        }
        if let mapped = delta.mappedDefinition, start == nil,
            definition.map({ mapped.rawValue.utf8.lexicographicallyPrecedes($0.rawValue.utf8) }) ?? true
        {
            definition = mapped
            self.survey = try survey(mapped)
        }
        if let new = delta.status, statusKey.map({ $0 < new.key }) ?? true {
            (outcome, endedAt, statusKey) = (new.outcome, new.outcome == nil ? nil : new.key.timestamp, new.key)
        }
        if let new = delta.training, trainingKey.map({ $0 < new.key }) ?? true {
            (isTraining, trainingKey) = (new.value, new.key)
        }
        if let new = delta.assignedCase, caseKey.map({ new.key < $0 }) ?? true {
            (caseID, caseKey) = (new.id, new.key)
        }
    }

    /// Its status, given its definition's complete-outcome code: in progress until an `ended`
    /// event is the latest, then completed with the complete code and ended with any other.
    package func status(completeCode: Int?) -> InterviewStatus {
        guard let outcome else { return .inProgress }
        return outcome == completeCode ? .completed : .ended
    }
}
