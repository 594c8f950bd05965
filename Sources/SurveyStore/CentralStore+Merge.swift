import Foundation
import GRDB
import SurveyModel

/// What the new events of one merge contribute to one interview (all from the bundle's device).
struct InterviewDelta {
    var newEvents = 0
    var lastTimestamp = Int64.min
    /// The lowest and highest sequence numbers of the new events.
    var firstSequence = Int64.max
    var lastSequence = Int64.min
    /// The earliest new `started` event.
    var start: (key: MergeKey, definition: DefinitionHash, interviewer: String, caseJSON: String)?
    /// The latest new `ended` / `reopened` event (outcome nil for reopened).
    var status: (key: MergeKey, outcome: Int?)?
    /// The latest new `trainingMarked` event.
    var training: (key: MergeKey, value: Bool)?
    /// The definition the bundle maps the interview to.
    var mappedDefinition: DefinitionHash?

    mutating func add(_ event: InterviewEvent) throws(StoreError) {
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

    /// Combines two deltas of the same interview (min start, max status, summed counts).
    mutating func merge(_ other: InterviewDelta) {
        newEvents += other.newEvents
        lastTimestamp = max(lastTimestamp, other.lastTimestamp)
        firstSequence = min(firstSequence, other.firstSequence)
        lastSequence = max(lastSequence, other.lastSequence)
        if let s = other.start, start.map({ s.key < $0.key }) ?? true { start = s }
        if let s = other.status { noteStatus(s.key, s.outcome) }
        if let t = other.training { noteTraining(t.key, t.value) }
    }
}
