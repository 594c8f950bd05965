import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

/// Fieldwork management on PostgreSQL: the log, publishing, the sample, withdrawals and
/// assignments (the package snapshot: `+Packages`; review decisions: `+Reviews`) — the same
/// tables (migration v5, as SQLite's) and the same rules as `CentralStore+Fieldwork.swift`: every change is an entry
/// of the append-only `fieldwork_log`, `sample_case` is the state it leads to, written in the
/// same transaction; refusals name every reason and write nothing.
///
/// Two coordinators' processes (or servers) may write at once: every change to the log runs
/// under one transaction-level lock of the dataset's fieldwork (``fieldworkWrite(_:)``), so the
/// log's sequence numbers commit in order — a package read at entry N holds every entry up to
/// N, as on SQLite, whose writes are serial — and a check and the write it allows see the same
/// rows. Only these writers change `sample_case` and `fieldwork_log`, so the rows they read need
/// no row locks of their own (`FOR UPDATE` on a 100,000-case sample would rewrite every row's
/// header just to compare it); the primary keys keep every case and log entry once whatever
/// happens.
extension PostgresCentralStore {
    static let logColumns = """
        sequence, at, actor, action, survey_id, case_id, device_id, previous_device_id, interview_id, definition_hash,
        question, text, reviewed_device, reviewed_sequence
        """

    // MARK: - The log

    /// Runs `body` in a write transaction that first takes the dataset's fieldwork lock (held
    /// until commit or rollback): the fieldwork log's writers, in any process, one at a time.
    /// In PostgreSQL's read-committed mode each later statement sees what the previous holder
    /// committed.
    func fieldworkWrite<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try write { link in
            try link.execute("SELECT pg_advisory_xact_lock(hashtext('terep fieldwork ' || current_schema()))")
            return try body(link)
        }
    }

    public func fieldworkThrough() throws(StoreError) -> Int64 {
        try read { link in try Self.through(link) }
    }

    static func through(_ link: PostgresSession) throws -> Int64 {
        try link.query("SELECT coalesce(max(sequence), 0)::bigint FROM fieldwork_log").scalar(Int64.self) ?? 0
    }

    public func fieldworkLog(survey: SurveyID?, interview: InterviewID?, device: DeviceID?, through: Int64) throws(StoreError)
        -> [FieldworkLogEntry]
    {
        try read { link in
            let rows = try link.query(
                """
                SELECT \(unescaped: Self.logColumns) FROM fieldwork_log
                WHERE (\(survey?.rawValue)::text IS NULL OR survey_id = \(survey?.rawValue))
                    AND (\(interview?.rawValue)::text IS NULL OR interview_id = \(interview?.rawValue))
                    AND (\(device?.rawValue)::text IS NULL OR device_id = \(device?.rawValue)
                        OR previous_device_id = \(device?.rawValue))
                    AND sequence <= \(through)
                ORDER BY sequence
                """)
            return try rows.map { row throws(StoreError) in try Self.logEntry(row.makeRandomAccess()) }
        }
    }

    /// Appends one entry inside a transaction; returns its sequence number.
    static func appendLog(_ link: PostgresSession, _ e: FieldworkLogEntry) throws -> Int64 {
        let sequence = try link.query(
            """
            INSERT INTO fieldwork_log (at, actor, action, survey_id, case_id, device_id, previous_device_id,
                interview_id, definition_hash, question, text, reviewed_device, reviewed_sequence)
            VALUES (\(e.at), \(e.actor), \(e.action.rawValue), \(e.survey.rawValue), \(e.caseID?.rawValue),
                \(e.device?.rawValue), \(e.previousDevice?.rawValue), \(e.interview?.rawValue), \(e.definition?.rawValue),
                \(e.question?.description), \(e.text), \(e.reviewedDevice?.rawValue), \(e.reviewedSequence))
            RETURNING sequence
            """
        ).scalar(Int64.self)
        guard let sequence else { throw StoreError.invalid("the fieldwork log gave no sequence number") }
        return sequence
    }

    // MARK: - Publishing

    @discardableResult
    public func publish(_ file: DefinitionFile, actor: String, at time: Int64) throws(StoreError) -> Int64 {
        try fieldworkWrite { link in
            _ = try Self.insertDefinition(link, file)
            return try Self.appendLog(link, FieldworkRules.publication(file, actor: actor, at: time))
        }
    }

    public func publishedDefinitions(through: Int64) throws(StoreError) -> [SurveyID: DefinitionHash] {
        try read { link in try Self.published(link, through: through) }
    }

    static func published(_ link: PostgresSession, through: Int64) throws -> [SurveyID: DefinitionHash] {
        var out: [SurveyID: DefinitionHash] = [:]
        let rows = try link.query(
            """
            SELECT survey_id, definition_hash FROM fieldwork_log
            WHERE action = 'published' AND sequence <= \(through) ORDER BY sequence
            """
        ).all((String, String).self)
        for (survey, hash) in rows { out[SurveyID(survey)] = DefinitionHash(hash) }
        return out
    }

    // MARK: - The sample

    public func importSample(survey: SurveyID, cases: [SampleCaseInput], file: String, actor: String, at time: Int64)
        throws(StoreError) -> SampleImportResult
    {
        var encoded: [String] = []
        encoded.reserveCapacity(cases.count)
        for c in cases { encoded.append(try EventCoding.encode(c.values)) }
        // Arrays cannot hold NULL through the binding: '' stands for none, '=' begins a value.
        let addresses = cases.map { $0.address.map { "=" + $0 } ?? "" }
        let notes = cases.map { $0.note.map { "=" + $0 } ?? "" }
        return try fieldworkWrite { link in
            // The file's cases go to the server once, into a table of this transaction; they are
            // compared with the survey's stored sample and written there, so the stored sample
            // never travels back (a re-import of an unchanged file reads no rows).
            try link.execute(
                """
                CREATE TEMPORARY TABLE terep_sample_import (case_id TEXT COLLATE "C" NOT NULL, preload_json TEXT NOT NULL,
                    address TEXT, note TEXT) ON COMMIT DROP
                """)
            try link.execute(
                """
                INSERT INTO terep_sample_import
                SELECT c, v, CASE WHEN a = '' THEN NULL ELSE substr(a, 2) END, CASE WHEN n = '' THEN NULL ELSE substr(n, 2) END
                FROM unnest(\(cases.map(\.id.rawValue))::text[], \(encoded)::text[], \(addresses)::text[], \(notes)::text[])
                    AS t(c, v, a, n)
                """)
            let changed = """
                (s.preload_json <> t.preload_json OR s.address IS DISTINCT FROM t.address OR s.note IS DISTINCT FROM t.note)
                """
            let counts = try link.query(
                """
                SELECT count(*) FILTER (WHERE s.case_id IS NULL), count(*) FILTER (WHERE s.case_id IS NOT NULL AND \(unescaped: changed))
                FROM terep_sample_import t LEFT JOIN sample_case s ON s.survey_id = \(survey.rawValue) AND s.case_id = t.case_id
                """
            ).all((Int64, Int64).self).first
            var result = SampleImportResult()
            result.added = Int(counts?.0 ?? 0)
            result.updated = Int(counts?.1 ?? 0)
            result.unchanged = cases.count - result.added - result.updated
            guard result.added + result.updated > 0 else { return result }
            let sequence = try Self.appendLog(
                link,
                FieldworkLogEntry(sequence: 0, at: time, actor: actor, action: .sampleImported, survey: survey, text: file))
            result.sequence = sequence
            // One statement for the changed cases and one for the new, whatever their number.
            if result.updated > 0 {
                try link.execute(
                    """
                    UPDATE sample_case s SET preload_json = t.preload_json, address = t.address, note = t.note,
                        updated_sequence = \(sequence)
                    FROM terep_sample_import t WHERE s.survey_id = \(survey.rawValue) AND s.case_id = t.case_id AND \(unescaped: changed)
                    """)
            }
            if result.added > 0 {
                try link.execute(
                    """
                    INSERT INTO sample_case (survey_id, case_id, preload_json, address, note, added_sequence, updated_sequence)
                    SELECT \(survey.rawValue), t.case_id, t.preload_json, t.address, t.note, \(sequence), \(sequence)
                    FROM terep_sample_import t
                    WHERE NOT EXISTS (SELECT 1 FROM sample_case s WHERE s.survey_id = \(survey.rawValue) AND s.case_id = t.case_id)
                    """)
            }
            return result
        }
    }

    @discardableResult
    public func withdraw(survey: SurveyID, cases: [CaseID], reason: String, actor: String, at time: Int64) throws(StoreError)
        -> [Int64]
    {
        try fieldworkWrite { link in
            let states = try Self.caseStates(link, survey: survey, cases)
            let problems = FieldworkRules.withdrawalProblems(cases, survey: survey, cases: states)
            guard problems.isEmpty else { throw StoreError.refused(problems) }
            var sequences: [Int64] = []
            for id in cases {
                let sequence = try Self.appendLog(
                    link,
                    FieldworkLogEntry(
                        sequence: 0, at: time, actor: actor, action: .withdrawn, survey: survey, caseID: id,
                        device: states[id]?.device, text: reason))
                try link.execute(
                    """
                    UPDATE sample_case SET withdrawn = true, device_id = NULL, withdrawn_sequence = \(sequence)
                    WHERE survey_id = \(survey.rawValue) AND case_id = \(id.rawValue)
                    """)
                sequences.append(sequence)
            }
            return sequences
        }
    }

    // MARK: - Assignments

    @discardableResult
    public func assign(survey: SurveyID, _ changes: [AssignmentChange], actor: String, at time: Int64) throws(StoreError)
        -> [CaseID]
    {
        try fieldworkWrite { link in
            var devices: [DeviceID: RegistrationStatus] = [:]
            for device in Set(changes.map(\.device)) { devices[device] = try Self.fetchDevice(link, device)?.status }
            let states = try Self.caseStates(link, survey: survey, changes.map(\.caseID))
            let (todo, problems) = FieldworkRules.assignments(changes, survey: survey, devices: devices, cases: states)
            guard problems.isEmpty else { throw StoreError.refused(problems) }
            for change in todo {
                let sequence = try Self.appendLog(
                    link,
                    FieldworkLogEntry(
                        sequence: 0, at: time, actor: actor, action: change.previous == nil ? .assigned : .reassigned,
                        survey: survey, caseID: change.caseID, device: change.device, previousDevice: change.previous))
                try link.execute(
                    """
                    UPDATE sample_case SET device_id = \(change.device.rawValue), assigned_sequence = \(sequence)
                    WHERE survey_id = \(survey.rawValue) AND case_id = \(change.caseID.rawValue)
                    """)
            }
            return todo.map(\.caseID)
        }
    }

    /// Where the survey's cases among `ids` stand (those not in the sample are absent).
    private static func caseStates(_ link: PostgresSession, survey: SurveyID, _ ids: [CaseID]) throws -> [CaseID: FieldworkRules.CaseState]
    {
        var states: [CaseID: FieldworkRules.CaseState] = [:]
        for (id, device, withdrawn) in try link.query(
            """
            SELECT case_id, device_id, withdrawn FROM sample_case
            WHERE survey_id = \(survey.rawValue) AND case_id = ANY(\(ids.map(\.rawValue))::text[])
            """
        ).all((String, String?, Bool).self) {
            states[CaseID(id)] = .init(device: device.map(DeviceID.init), withdrawn: withdrawn)
        }
        return states
    }
}
