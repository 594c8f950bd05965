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
    /// The earliest new `assignedCase` event.
    var assignedCase: (key: MergeKey, id: CaseID)?
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
    mutating func merge(_ other: InterviewDelta) {
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

extension CentralStore {
    /// Merges one bundle's events and definitions in one transaction.
    ///
    /// Events are keyed by (device, sequence): one already present is skipped (and must be
    /// identical, or the whole bundle is refused with ``StoreError/eventMismatch(device:sequence:)``).
    /// A bundle whose hash was already accepted changes nothing. The device must be registered
    /// and active. Interview state is derived by an order-independent rule (earliest `started`,
    /// latest `ended`/`reopened`, latest `trainingMarked`, by timestamp, device, sequence), so
    /// any merge order of the same events gives the same dataset.
    ///
    /// `interviewDefinitions` (the bundle's interview → definition map) gives interviews whose
    /// `started` event is not merged yet (a revisit on another device) their definition: the
    /// smallest mapped hash until a `started` event decides it.
    ///
    /// `registering` registers the bundle's device in the same transaction (trust on first
    /// use), so a device is registered only together with a bundle that merges.
    public func apply(
        events: [InterviewEvent], definitions: [DefinitionFile], bundle: BundleReceipt,
        interviewDefinitions: [InterviewID: DefinitionHash] = [:], registering: NewDevice? = nil
    ) throws(StoreError) -> MergeResult {
        if let existing = try self.bundle(hash: bundle.hash), existing.accepted {
            var result = MergeResult()
            result.alreadyMerged = true
            return result
        }
        for event in events {
            guard event.device == bundle.device else {
                throw .invalid("event \(event.device)#\(event.sequence) is from another device than its bundle (\(bundle.device))")
            }
            if let problem = EventBounds.problem(with: event) { throw .invalid("\(bundle.device): \(problem)") }
        }
        try validate(events, definitions: definitions, interviewDefinitions: interviewDefinitions)
        var payloads: [String] = []
        payloads.reserveCapacity(events.count)
        for event in events { payloads.append(try EventCoding.encode(event.kind)) }
        return try write { db in
            if let new = registering {
                _ = try insertDevice(
                    db, bundle.device, publicKey: new.publicKey, method: new.method, note: new.note, at: bundle.receivedAt)
            }
            guard let device = try fetchDevice(db, bundle.device) else { throw StoreError.deviceNotRegistered(bundle.device) }
            guard device.status == .active else { throw StoreError.deviceRevoked(bundle.device) }
            var result = MergeResult()
            result.newDefinitions = try insertDefinitions(db, definitions)
            var deltas: [InterviewID: InterviewDelta] = [:]
            try insertEvents(db, events, payloads: payloads, result: &result, deltas: &deltas)
            for id in deltas.keys.sorted() {
                guard var delta = deltas[id] else { continue }
                delta.mappedDefinition = interviewDefinitions[id]
                if let mapped = delta.mappedDefinition,
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM definition WHERE hash = ?", arguments: [mapped.rawValue]) == nil
                {
                    throw StoreError.unknownDefinition(mapped)
                }
                try mergeInterview(db, id, delta, device: bundle.device, result: &result)
            }
            try mergeRanges(db, device: bundle.device, sequences: events.map(\.sequence))
            try db.execute(
                sql: """
                    INSERT INTO bundle (hash, file_name, device_id, first_sequence, last_sequence, event_count,
                        new_events, status, reason, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted', NULL, ?)
                    ON CONFLICT (hash) DO UPDATE SET file_name = excluded.file_name, device_id = excluded.device_id,
                        first_sequence = excluded.first_sequence, last_sequence = excluded.last_sequence,
                        event_count = excluded.event_count, new_events = excluded.new_events,
                        status = 'accepted', reason = NULL, received_at = excluded.received_at
                    """,
                arguments: [
                    bundle.hash, bundle.fileName, bundle.device.rawValue, bundle.firstSequence, bundle.lastSequence,
                    events.count, result.newEvents, bundle.receivedAt,
                ])
            return result
        }
    }

    /// Checks every event of an interview whose definition is in the bundle against it.
    private func validate(
        _ events: [InterviewEvent], definitions: [DefinitionFile], interviewDefinitions: [InterviewID: DefinitionHash]
    ) throws(StoreError) {
        guard !definitions.isEmpty else { return }
        let validator = EventValidator(definitions)
        var definitionOf = interviewDefinitions
        for event in events {
            if case .started(let hash, _, _, _) = event.kind, definitionOf[event.interview] == nil {
                definitionOf[event.interview] = hash
            }
        }
        for event in events {
            guard let hash = definitionOf[event.interview], validator.knows(hash) else { continue }
            if let reason = validator.problem(with: event.kind, definition: hash) {
                throw .invalidEvent(device: event.device, sequence: event.sequence, reason: reason)
            }
        }
    }

    private func insertDefinitions(_ db: Database, _ definitions: [DefinitionFile]) throws -> Int {
        var added = 0
        for file in definitions {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO definition (hash, survey_id, version, complete_code, compiled_json)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    file.survey.hash.rawValue, file.survey.definition.id.rawValue, file.survey.definition.version,
                    file.survey.definition.outcome?.completeCode, file.bytes,
                ])
            added += db.changesCount
        }
        return added
    }

    private func insertEvents(
        _ db: Database, _ events: [InterviewEvent], payloads: [String],
        result: inout MergeResult, deltas: inout [InterviewID: InterviewDelta]
    ) throws {
        let insert = try RawStatement(
            db,
            sql: """
                INSERT INTO event (device_id, sequence, interview_id, timestamp, interviewer, kind, payload_json)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
        let existing = try db.makeStatement(
            sql: "SELECT interview_id, timestamp, interviewer, payload_json FROM event WHERE device_id = ? AND sequence = ?")
        var knownDefinitions: Set<DefinitionHash> = []
        var current: (id: InterviewID, delta: InterviewDelta)?
        for (event, payload) in zip(events, payloads) {
            insert.bind(1, event.device.rawValue)
            insert.bind(2, event.sequence)
            insert.bind(3, event.interview.rawValue)
            insert.bind(4, event.timestamp)
            insert.bind(5, event.interviewer)
            insert.bind(6, EventCoding.name(of: event.kind))
            insert.bind(7, payload)
            guard try insert.step() == 1 else {
                result.duplicateEvents += 1
                let row = try Row.fetchOne(existing, arguments: [event.device.rawValue, event.sequence])
                guard let row, row[0] == event.interview.rawValue, row[1] == event.timestamp, row[2] == event.interviewer,
                    row[3] == payload
                else { throw StoreError.eventMismatch(device: event.device, sequence: event.sequence) }
                continue
            }
            result.newEvents += 1
            if case .started(let definition, _, _, _) = event.kind, !knownDefinitions.contains(definition) {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM definition WHERE hash = ?", arguments: [definition.rawValue]) != nil
                else { throw StoreError.unknownDefinition(definition) }
                knownDefinitions.insert(definition)
            }
            // Events come in runs per interview: accumulate a run, then fold it in once.
            if let current, current.id != event.interview { deltas[current.id, default: InterviewDelta()].merge(current.delta) }
            if current?.id != event.interview { current = (event.interview, InterviewDelta()) }
            try current?.delta.add(event)
        }
        if let current { deltas[current.id, default: InterviewDelta()].merge(current.delta) }
    }
}
