import Foundation
import GRDB
import SurveyModel

/// What a batch of new events changes in one interview's derived row.
struct DeviceDelta {
    var count = 0
    var last: Int64 = 0
    /// The latest `ended` (an outcome) or `reopened` (nil) event.
    var status: (outcome: Int?, timestamp: Int64, sequence: Int64)?
    var training: Bool?
    var caseID: CaseID?
    /// Every event's kind and timestamp, in order (for the visits).
    var kinds: [(InterviewEventKind, Int64)] = []

    mutating func add(_ item: PendingEvent, sequence: Int64) {
        count += 1
        last = sequence
        kinds.append((item.kind, item.timestamp))
        switch item.kind {
        case .ended(let outcome): status = (outcome, item.timestamp, sequence)
        case .reopened: status = (nil, item.timestamp, sequence)
        case .trainingMarked(let value): training = value
        case .assignedCase(let id): caseID = id
        default: break
        }
    }
}

extension DeviceStore {
    // MARK: - Writing

    /// Starts an interview: writes it together with its `started` event, durably, in one transaction.
    ///
    /// A test/training interview (`new.isTest`) also gets a `trainingMarked(true)` event right
    /// after `started`, so the flag travels with the log to the central dataset, and the
    /// interview of an assigned case its `assignedCase` label.
    public func createInterview(_ new: NewInterview, timestamp: Int64) throws(StoreError) -> DeviceInterview {
        let caseJSON = try EventCoding.encode(new.preload)
        let started = InterviewEventKind.started(
            definition: new.definition, seed: new.seed, language: new.language, preload: new.preload)
        var opening = [PendingEvent(interview: new.id, timestamp: timestamp, kind: started)]
        if new.isTest { opening.append(PendingEvent(interview: new.id, timestamp: timestamp, kind: .trainingMarked(true))) }
        if let id = new.assignedCase { opening.append(PendingEvent(interview: new.id, timestamp: timestamp, kind: .assignedCase(id))) }
        var payloads: [String] = []
        for item in opening { payloads.append(try EventCoding.encode(item.kind)) }
        return try write { db in
            guard
                let survey = try String.fetchOne(
                    db, sql: "SELECT survey_id FROM definition WHERE hash = ?", arguments: [new.definition.rawValue])
            else { throw StoreError.unknownDefinition(new.definition) }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM interview WHERE id = ?", arguments: [new.id.rawValue]) != nil {
                throw StoreError.duplicateInterview(new.id)
            }
            try db.execute(
                sql: """
                    INSERT INTO interview (id, survey_id, definition_hash, interviewer, case_ids_json, status,
                        started_at, last_sequence, event_count, is_test)
                    VALUES (?, ?, ?, ?, ?, 'in_progress', ?, 0, 0, ?)
                    """,
                arguments: [new.id.rawValue, survey, new.definition.rawValue, interviewer, caseJSON, timestamp, new.isTest])
            let sequence = try reserveSequences(db, count: Int64(opening.count))
            try insert(db, first: sequence, opening, payloads: payloads)
            guard let record = try fetchInterview(db, id: new.id) else {
                throw StoreError.unknownInterview(new.id)
            }
            return record
        }
    }

    /// Appends one event to an interview's log and updates its derived state, durably, in one
    /// transaction; returns the event with its device sequence number.
    public func append(
        _ kind: InterviewEventKind, interview: InterviewID, timestamp: Int64
    ) throws(StoreError) -> InterviewEvent {
        let events = try appendBatch([PendingEvent(interview: interview, timestamp: timestamp, kind: kind)])
        guard let event = events.first else { throw .invalid("internal: an append returned no event") }
        return event
    }

    /// Appends many events in one transaction (the simulator's speed path); all or nothing.
    public func appendBatch(_ pending: [PendingEvent]) throws(StoreError) -> [InterviewEvent] {
        guard !pending.isEmpty else { return [] }
        var payloads: [String] = []
        payloads.reserveCapacity(pending.count)
        for item in pending {
            if case .started = item.kind {
                throw .invalid("an interview's 'started' event is written by createInterview, not appended")
            }
            payloads.append(try EventCoding.encode(item.kind))
        }
        return try write { db in
            let first = try reserveSequences(db, count: Int64(pending.count))
            try insert(db, first: first, pending, payloads: payloads)
            return pending.enumerated().map { offset, item in
                InterviewEvent(
                    device: deviceID, sequence: first + Int64(offset), interview: item.interview, timestamp: item.timestamp,
                    interviewer: interviewer, kind: item.kind)
            }
        }
    }

    /// Takes `count` sequence numbers; a write first, so the lock is held before reading.
    func reserveSequences(_ db: Database, count: Int64) throws -> Int64 {
        let statement = try db.cachedStatement(
            sql: "UPDATE device SET next_sequence = next_sequence + ? RETURNING next_sequence - ?")
        guard let first = try Int64.fetchOne(statement, arguments: [count, count]) else {
            throw StoreError.notATerepDatabase(path: path, detail: "the device row is missing")
        }
        return first
    }

    /// Updates each interview's derived state once, then inserts the event rows with
    /// sequence numbers from `first` on.
    func insert(_ db: Database, first: Int64, _ pending: [PendingEvent], payloads: [String]) throws {
        var deltas: [InterviewID: DeviceDelta] = [:]
        var order: [InterviewID] = []
        for (offset, item) in pending.enumerated() {
            if deltas[item.interview] == nil {
                deltas[item.interview] = DeviceDelta()
                order.append(item.interview)
            }
            deltas[item.interview]?.add(item, sequence: first + Int64(offset))
        }
        for id in order {
            guard let delta = deltas[id] else { continue }
            try db.cachedStatement(sql: "UPDATE interview SET last_sequence = ?, event_count = event_count + ? WHERE id = ?")
                .execute(arguments: [delta.last, delta.count, id.rawValue])
            guard db.changesCount == 1 else { throw StoreError.unknownInterview(id) }
            if let training = delta.training {
                try db.cachedStatement(sql: "UPDATE interview SET is_test = ? WHERE id = ?").execute(arguments: [training, id.rawValue])
            }
            if let caseID = delta.caseID {
                try db.cachedStatement(sql: "UPDATE interview SET case_id = ? WHERE id = ?").execute(arguments: [
                    caseID.rawValue, id.rawValue,
                ])
            }
            try recordVisits(db, interview: id, delta.kinds)
            guard let status = delta.status else { continue }
            try db.cachedStatement(sql: "UPDATE interview SET end_sequence = ? WHERE id = ?").execute(arguments: [
                status.sequence, id.rawValue,
            ])
            try db.cachedStatement(
                sql: """
                    UPDATE interview SET outcome = ?1, ended_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END,
                        status = CASE WHEN ?1 IS NULL THEN 'in_progress'
                            WHEN ?1 IS (SELECT complete_code FROM definition WHERE hash = definition_hash) THEN 'completed'
                            ELSE 'ended' END
                    WHERE id = ?3
                    """
            ).execute(arguments: [status.outcome, status.timestamp, id.rawValue])
        }
        let insert = try RawStatement(
            db,
            sql: """
                INSERT INTO event (device_id, sequence, interview_id, timestamp, interviewer, kind, payload_json)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        for (offset, item) in pending.enumerated() {
            insert.bind(1, deviceID.rawValue)
            insert.bind(2, first + Int64(offset))
            insert.bind(3, item.interview.rawValue)
            insert.bind(4, item.timestamp)
            insert.bind(5, interviewer)
            insert.bind(6, EventCoding.name(of: item.kind))
            insert.bind(7, payloads[offset])
            _ = try insert.step()
        }
    }

    /// Counts the new events of one interview into its stored visits.
    private func recordVisits(_ db: Database, interview id: InterviewID, _ kinds: [(InterviewEventKind, Int64)]) throws {
        var tracker = try VisitRows.load(db, interview: id)
        let before = tracker.visits
        let closed = tracker.isClosed
        for (kind, timestamp) in kinds { tracker.record(kind, at: LocalClock.moment(at: timestamp).dateTime) }
        guard tracker.visits != before || tracker.isClosed != closed else { return }
        try VisitRows.save(db, interview: id, tracker, from: before)
    }

    // MARK: - Reading

    /// Interviews, optionally only those with a status, oldest first.
    public func interviews(status: InterviewStatus? = nil) throws(StoreError) -> [DeviceInterview] {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM interview WHERE ?1 IS NULL OR status = ?1 ORDER BY started_at, id",
                arguments: [status?.rawValue])
            return try rows.map { row throws(StoreError) in try DeviceStore.deviceInterview(row) }
        }
    }

    /// One interview's current state, if it exists.
    public func interview(id: InterviewID) throws(StoreError) -> DeviceInterview? {
        try read { db in try fetchInterview(db, id: id) }
    }

    private func fetchInterview(_ db: Database, id: InterviewID) throws -> DeviceInterview? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM interview WHERE id = ?", arguments: [id.rawValue]) else {
            return nil
        }
        return try DeviceStore.deviceInterview(row)
    }

    static func deviceInterview(_ row: Row) throws(StoreError) -> DeviceInterview {
        let statusText: String = row["status"]
        guard let status = InterviewStatus(rawValue: statusText) else {
            throw .undecodable(what: "interview status", detail: "unknown status '\(statusText)'")
        }
        return DeviceInterview(
            id: InterviewID(row["id"] as String), survey: SurveyID(row["survey_id"] as String),
            definition: DefinitionHash(row["definition_hash"] as String), interviewer: row["interviewer"],
            caseIdentifiers: try EventCoding.decodeValues(row["case_ids_json"]),
            status: status, outcome: row["outcome"], startedAt: row["started_at"], endedAt: row["ended_at"],
            lastSequence: row["last_sequence"], eventCount: row["event_count"], isTest: row["is_test"],
            caseID: (row["case_id"] as String?).map(CaseID.init), endSequence: row["end_sequence"])
    }

    /// An interview's events in sequence order, for replay through the engine.
    public func events(interview: InterviewID) throws(StoreError) -> [InterviewEvent] {
        try read { db in
            try EventCoding.fetchEvents(
                db, sql: "SELECT * FROM event WHERE interview_id = ? ORDER BY sequence", arguments: [interview.rawValue])
        }
    }

    /// Up to `limit` events with a sequence number above `sequence`, in order (for bundles).
    public func events(after sequence: Int64, limit: Int = Int.max) throws(StoreError) -> [InterviewEvent] {
        try read { db in
            try EventCoding.fetchEvents(
                db, sql: "SELECT * FROM event WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [sequence, Int64(clamping: limit)])
        }
    }

    // MARK: - Checking

    /// Runs SQLite's integrity and foreign-key checks and verifies the event log has no gaps;
    /// returns the problems found (empty when all is well).
    public func integrityCheck() throws(StoreError) -> [String] {
        try read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreign = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += foreign.map { "foreign key violation in \($0[0] as String? ?? "?") row \($0[1] as Int64? ?? 0)" }
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS n, coalesce(max(sequence), 0) AS last,
                        (SELECT next_sequence FROM device) AS next FROM event
                    """)
            if let row {
                let count: Int64 = row["n"], last: Int64 = row["last"], next: Int64 = row["next"] ?? 0
                if count != last { problems.append("the event log has gaps: \(count) events up to sequence \(last)") }
                if next != last + 1 { problems.append("the next sequence \(next) does not follow the last event \(last)") }
            }
            return problems
        }
    }
}
