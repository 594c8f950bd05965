import Foundation
import GRDB
import SurveyModel

/// The coordinator's fieldwork on the central dataset (migration v5): published questionnaire
/// versions, the sample, assignments of cases to devices and review decisions. Every change is
/// an entry of the append-only `fieldwork_log` (who, when, what); `sample_case` is the state
/// those entries lead to, kept in the same transaction.
extension CentralStore {
    // MARK: - The log

    /// The log's latest sequence number (0 when empty): where a package made now stands.
    public func fieldworkThrough() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(sequence), 0) FROM fieldwork_log") ?? 0 }
    }

    /// Log entries, oldest first: all, or those of one survey, interview or device (assigned
    /// to it or taken from it).
    public func fieldworkLog(
        survey: SurveyID?, interview: InterviewID?, device: DeviceID?, through: Int64
    ) throws(StoreError) -> [FieldworkLogEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM fieldwork_log WHERE (?1 IS NULL OR survey_id = ?1) AND (?2 IS NULL OR interview_id = ?2)
                        AND (?3 IS NULL OR device_id = ?3 OR previous_device_id = ?3) AND sequence <= ?4
                    ORDER BY sequence
                    """,
                arguments: [survey?.rawValue, interview?.rawValue, device?.rawValue, through]
            ).map(CentralStore.logEntry(from:))
        }
    }

    /// Appends one entry inside a write; returns its sequence number.
    func appendLog(_ db: Database, _ e: FieldworkLogEntry) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO fieldwork_log (at, actor, action, survey_id, case_id, device_id, previous_device_id,
                    interview_id, definition_hash, question, text, reviewed_device, reviewed_sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                e.at, e.actor, e.action.rawValue, e.survey.rawValue, e.caseID?.rawValue, e.device?.rawValue,
                e.previousDevice?.rawValue, e.interview?.rawValue, e.definition?.rawValue, e.question?.description, e.text,
                e.reviewedDevice?.rawValue, e.reviewedSequence,
            ])
        return db.lastInsertedRowID
    }

    static func logEntry(from row: Row) throws(StoreError) -> FieldworkLogEntry {
        FieldworkLogEntry(
            sequence: row["sequence"], at: row["at"], actor: row["actor"],
            action: try StoredWord.decode(row["action"], as: FieldworkAction.self, what: "fieldwork log action"),
            survey: SurveyID(row["survey_id"] as String),
            caseID: (row["case_id"] as String?).map(CaseID.init), device: (row["device_id"] as String?).map(DeviceID.init),
            previousDevice: (row["previous_device_id"] as String?).map(DeviceID.init),
            interview: (row["interview_id"] as String?).map(InterviewID.init),
            definition: (row["definition_hash"] as String?).map(DefinitionHash.init),
            question: (row["question"] as String?).flatMap(Address.init(parsing:)), text: row["text"],
            reviewedDevice: (row["reviewed_device"] as String?).map(DeviceID.init), reviewedSequence: row["reviewed_sequence"])
    }

    // MARK: - Publishing

    /// Publishes a questionnaire version: stores its definition (every version is kept) and
    /// makes it the survey's current one. Returns the log entry's sequence number.
    @discardableResult
    public func publish(_ file: DefinitionFile, actor: String, at time: Int64) throws(StoreError) -> Int64 {
        try write { db in
            try CentralStore.insertDefinition(db, file)
            return try appendLog(db, FieldworkRules.publication(file, actor: actor, at: time))
        }
    }

    /// The current (latest published) definition of each published survey, up to a log entry.
    public func publishedDefinitions(through: Int64) throws(StoreError) -> [SurveyID: DefinitionHash] {
        try read { db in try CentralStore.published(db, through: through) }
    }

    static func published(_ db: Database, through: Int64) throws -> [SurveyID: DefinitionHash] {
        var out: [SurveyID: DefinitionHash] = [:]
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT survey_id, definition_hash FROM fieldwork_log
                WHERE action = 'published' AND sequence <= ? ORDER BY sequence
                """,
            arguments: [through])
        for row in rows { out[SurveyID(row[0] as String)] = DefinitionHash(row[1] as String) }
        return out
    }

    // MARK: - The sample

    /// Adds new cases and updates changed ones, in one transaction with one log entry; a case
    /// not in `cases` is left as it is (an import never deletes). Cases must have distinct ids.
    public func importSample(
        survey: SurveyID, cases: [SampleCaseInput], file: String, actor: String, at time: Int64
    ) throws(StoreError) -> SampleImportResult {
        // Every case's preload JSON and id in one buffer, bound in place: a String per case was
        // two allocations per row, and a transient bind a copy SQLite allocated and freed per row.
        // Case i's JSON ends at ends[2i] and its id at ends[2i + 1].
        var text: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(2 * cases.count)
        var writer = EventJSON.ValuesWriter()  // a sample's cases share their keys: sorted once
        for i in cases.indices {  // by index: a copy of each case retained its values and texts
            do { try writer.append(cases[i].values, to: &text) } catch { throw .invalid("cannot encode case identifiers: \(error)") }
            ends.append(text.count)
            text.append(contentsOf: cases[i].id.rawValue.utf8)
            ends.append(text.count)
            // Room for every case as long as the first (and an eighth), rather than doublings.
            if ends.count == 2 { text.reserveCapacity((text.count + 8) * cases.count * 9 / 8) }
        }
        return try text.withUnsafeBufferPointer { (buffer) throws(StoreError) in
            try writeSample(survey: survey, cases: cases, text: buffer, ends: ends, file: file, actor: actor, at: time)
        }
    }

    private func writeSample(
        survey: SurveyID, cases: [SampleCaseInput], text: UnsafeBufferPointer<UInt8>, ends: [Int], file: String, actor: String,
        at time: Int64
    ) throws(StoreError) -> SampleImportResult {
        func encoded(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: text[(i == 0 ? 0 : ends[2 * i - 1])..<ends[2 * i]])
        }
        func id(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: text[ends[2 * i]..<ends[2 * i + 1]]) }
        return try write { db in
            var existing: [String: (values: String, address: String?, note: String?)] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT case_id, preload_json, address, note FROM sample_case WHERE survey_id = ?",
                arguments: [survey.rawValue])
            while let row = try rows.next() { existing[row[0]] = (row[1], row[2], row[3]) }
            var result = SampleImportResult()
            var changes: [(index: Int, isNew: Bool)] = []
            for i in cases.indices {
                guard let old = existing[cases[i].id.rawValue] else {
                    changes.append((i, true))
                    continue
                }
                if old.values.utf8.elementsEqual(encoded(i)), old.address == cases[i].address, old.note == cases[i].note {
                    result.unchanged += 1
                } else {
                    changes.append((i, false))
                }
            }
            guard !changes.isEmpty else { return result }
            let sequence = try appendLog(
                db,
                FieldworkLogEntry(
                    sequence: 0, at: time, actor: actor, action: .sampleImported, survey: survey, text: file))
            result.sequence = sequence
            let insert = try RawStatement(
                db,
                sql: """
                    INSERT INTO sample_case (survey_id, case_id, preload_json, address, note, added_sequence, updated_sequence)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            let update = try RawStatement(
                db,
                sql: """
                    UPDATE sample_case SET preload_json = ?, address = ?, note = ?, updated_sequence = ?
                    WHERE survey_id = ? AND case_id = ?
                    """)
            defer {  // nothing bound in place outlives the buffer
                insert.clearBindings()
                update.clearBindings()
            }
            // What every row shares is bound once (a reset keeps the bindings).
            insert.bind(1, survey.rawValue)
            insert.bind(6, sequence)
            insert.bind(7, sequence)
            update.bind(4, sequence)
            update.bind(5, survey.rawValue)
            for (i, isNew) in changes {
                if isNew {
                    insert.bind(2, inPlace: id(i))
                    insert.bind(3, inPlace: encoded(i))
                    insert.bind(4, cases[i].address)
                    insert.bind(5, cases[i].note)
                    _ = try insert.step()
                    result.added += 1
                } else {
                    update.bind(1, inPlace: encoded(i))
                    update.bind(2, cases[i].address)
                    update.bind(3, cases[i].note)
                    update.bind(6, inPlace: id(i))
                    _ = try update.step()
                    result.updated += 1
                }
            }
            return result
        }
    }

    /// The sample's cases of a survey (or every survey), by survey and case id.
    public func sampleCases(survey: SurveyID?) throws(StoreError) -> [SampleCaseRecord] {
        try read { db in
            var out: [SampleCaseRecord] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.*, l.at AS assigned_at FROM sample_case c
                    LEFT JOIN fieldwork_log l ON l.sequence = c.assigned_sequence
                    WHERE ?1 IS NULL OR c.survey_id = ?1 ORDER BY c.survey_id, c.case_id
                    """,
                arguments: [survey?.rawValue])
            while let row = try rows.next() { out.append(try CentralStore.sampleCase(from: row)) }
            return out
        }
    }

    static func sampleCase(from row: Row) throws(StoreError) -> SampleCaseRecord {
        SampleCaseRecord(
            survey: SurveyID(row["survey_id"] as String), id: CaseID(row["case_id"] as String),
            values: try EventCoding.decodeValues(row["preload_json"]), address: row["address"], note: row["note"],
            device: (row["device_id"] as String?).map(DeviceID.init),
            assignedSequence: row["assigned_sequence"], assignedAt: row["assigned_at"], withdrawn: row["withdrawn"],
            addedSequence: row["added_sequence"], updatedSequence: row["updated_sequence"])
    }

    /// Takes cases out of the sample, each with its own log entry (who, when, why). Their data
    /// stay; the device that had one is told in its next package. Refused as a whole, with every
    /// reason, when a case is unknown or already withdrawn.
    @discardableResult
    public func withdraw(
        survey: SurveyID, cases: [CaseID], reason: String, actor: String, at time: Int64
    ) throws(StoreError) -> [Int64] {
        try write { db in
            var states: [CaseID: FieldworkRules.CaseState] = [:]
            for id in cases {
                if let row = try Row.fetchOne(
                    db, sql: "SELECT device_id, withdrawn FROM sample_case WHERE survey_id = ? AND case_id = ?",
                    arguments: [survey.rawValue, id.rawValue])
                {
                    states[id] = .init(device: (row["device_id"] as String?).map(DeviceID.init), withdrawn: row["withdrawn"])
                }
            }
            let problems = FieldworkRules.withdrawalProblems(cases, survey: survey, cases: states)
            guard problems.isEmpty else { throw StoreError.refused(problems) }
            var sequences: [Int64] = []
            for id in cases {
                let sequence = try appendLog(
                    db,
                    FieldworkLogEntry(
                        sequence: 0, at: time, actor: actor, action: .withdrawn, survey: survey, caseID: id,
                        device: states[id]?.device, text: reason))
                try db.execute(
                    sql: """
                        UPDATE sample_case SET withdrawn = 1, device_id = NULL, withdrawn_sequence = ?
                        WHERE survey_id = ? AND case_id = ?
                        """,
                    arguments: [sequence, survey.rawValue, id.rawValue])
                sequences.append(sequence)
            }
            return sequences
        }
    }

    // MARK: - Assignments

    /// Gives cases to devices, each change its own log entry (`assigned`, or `reassigned` with
    /// the device it came from). Refused as a whole, with every reason, when a device is not
    /// registered or revoked, or a case is unknown, withdrawn, not on `previous` (a
    /// reassignment) or already on another device (a first assignment). A case already on its
    /// device is left as it is. Returns the cases assigned or moved.
    @discardableResult
    public func assign(
        survey: SurveyID, _ changes: [AssignmentChange], actor: String, at time: Int64
    ) throws(StoreError) -> [CaseID] {
        try write { db in
            var devices: [DeviceID: RegistrationStatus] = [:]
            for device in Set(changes.map(\.device)) { devices[device] = try fetchDevice(db, device)?.status }
            var states: [CaseID: FieldworkRules.CaseState] = [:]
            for change in changes {
                if let row = try Row.fetchOne(
                    db, sql: "SELECT device_id, withdrawn FROM sample_case WHERE survey_id = ? AND case_id = ?",
                    arguments: [survey.rawValue, change.caseID.rawValue])
                {
                    states[change.caseID] = .init(device: (row["device_id"] as String?).map(DeviceID.init), withdrawn: row["withdrawn"])
                }
            }
            let (todo, problems) = FieldworkRules.assignments(changes, survey: survey, devices: devices, cases: states)
            guard problems.isEmpty else { throw StoreError.refused(problems) }
            for change in todo {
                let sequence = try appendLog(
                    db,
                    FieldworkLogEntry(
                        sequence: 0, at: time, actor: actor, action: change.previous == nil ? .assigned : .reassigned,
                        survey: survey, caseID: change.caseID, device: change.device, previousDevice: change.previous))
                try db.execute(
                    sql: "UPDATE sample_case SET device_id = ?, assigned_sequence = ? WHERE survey_id = ? AND case_id = ?",
                    arguments: [change.device.rawValue, sequence, survey.rawValue, change.caseID.rawValue])
            }
            return todo.map(\.caseID)
        }
    }
}
