import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

extension PostgresCentralStore {
    // MARK: - Interviews

    /// The `interview` table's columns, in the order ``derivedInterviews(_:)`` reads them.
    static let interviewColumns = """
        id, survey_id, definition_hash, interviewer, case_ids_json, started_at, start_device, start_sequence, outcome,
        ended_at, status_timestamp, status_device, status_sequence, last_timestamp, event_count, device_count, is_training,
        training_timestamp, training_device, training_sequence, case_id, case_timestamp, case_device, case_sequence
        """

    /// Interview rows (selected with ``interviewColumns`` first) as derived rows.
    static func derivedInterviews(_ result: PostgresQueryResult) throws(StoreError) -> [DerivedInterview] {
        do {
            return try result.map { row in try derivedInterview(row.makeRandomAccess()) }
        } catch { throw .undecodable(what: "interview row", detail: "\(error)") }
    }

    private static func derivedInterview(_ cells: PostgresRandomAccessRow) throws -> DerivedInterview {
        var index = 0
        func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
            defer { index += 1 }
            return try cells[index].decode(T.self)
        }
        func key() throws -> MergeKey? {
            let (timestamp, device, sequence) = (try next(Int64?.self), try next(String?.self), try next(Int64?.self))
            guard let timestamp, let device, let sequence else { return nil }
            return MergeKey(timestamp: timestamp, device: DeviceID(device), sequence: sequence)
        }
        var row = DerivedInterview(id: InterviewID(try next(String.self)))
        row.survey = try next(String?.self).map(SurveyID.init)
        row.definition = try next(String?.self).map(DefinitionHash.init)
        row.interviewer = try next(String?.self)
        row.caseIdentifiersJSON = try next(String?.self)
        row.start = try key()
        row.outcome = try next(Int?.self)
        row.endedAt = try next(Int64?.self)
        row.statusKey = try key()
        row.lastTimestamp = try next(Int64.self)
        row.eventCount = try next(Int.self)
        row.deviceCount = try next(Int.self)
        row.isTraining = try next(Bool.self)
        row.trainingKey = try key()
        row.caseID = try next(String?.self).map(CaseID.init)
        row.caseKey = try key()
        return row
    }

    /// Writes a derived row back (its status given).
    static func update(_ link: PostgresSession, _ row: DerivedInterview, status: InterviewStatus) throws {
        try link.execute(
            """
            UPDATE interview SET survey_id = \(row.survey?.rawValue), definition_hash = \(row.definition?.rawValue),
                interviewer = \(row.interviewer), case_ids_json = \(row.caseIdentifiersJSON),
                started_at = \(row.start?.timestamp), start_device = \(row.start?.device.rawValue),
                start_sequence = \(row.start?.sequence), status = \(status.rawValue), outcome = \(row.outcome),
                ended_at = \(row.endedAt), status_timestamp = \(row.statusKey?.timestamp),
                status_device = \(row.statusKey?.device.rawValue), status_sequence = \(row.statusKey?.sequence),
                last_timestamp = \(row.lastTimestamp), event_count = \(row.eventCount), device_count = \(row.deviceCount),
                is_training = \(row.isTraining), training_timestamp = \(row.trainingKey?.timestamp),
                training_device = \(row.trainingKey?.device.rawValue), training_sequence = \(row.trainingKey?.sequence),
                case_id = \(row.caseID?.rawValue), case_timestamp = \(row.caseKey?.timestamp),
                case_device = \(row.caseKey?.device.rawValue), case_sequence = \(row.caseKey?.sequence)
            WHERE id = \(row.id.rawValue)
            """)
    }

    public func interviews(status: InterviewStatus?) throws(StoreError) -> [CentralInterview] {
        try read { link in
            let result = try link.query(
                """
                SELECT \(unescaped: Self.interviewColumns), status,
                    (SELECT string_agg(device_id, ',' ORDER BY device_id) FROM interview_device WHERE interview_id = i.id)
                FROM interview i WHERE \(status?.rawValue)::text IS NULL OR status = \(status?.rawValue) ORDER BY id
                """)
            let rows = try Self.derivedInterviews(result)
            let extra = try result.map { row throws(StoreError) in
                let cells = row.makeRandomAccess()
                do {
                    return (try cells[24].decode(String.self), try cells[25].decode(String?.self))
                } catch { throw .undecodable(what: "interview row", detail: "\(error)") }
            }
            return try zip(rows, extra).map { row, extra throws(StoreError) in
                try CentralInterview(
                    row, status: InterviewStatus(rawValue: extra.0) ?? .inProgress,
                    devices: extra.1.map { $0.split(separator: ",").map { DeviceID(String($0)) } } ?? [])
            }
        }
    }

    public func conflictIDs(survey: SurveyID) throws(StoreError) -> [InterviewID] {
        try read { link in
            try link.query("SELECT id FROM interview WHERE device_count > 1 AND survey_id = \(survey.rawValue) ORDER BY id")
                .column(String.self).map(InterviewID.init)
        }
    }

    // MARK: - Events

    static let eventColumns = "device_id, sequence, interview_id, timestamp, interviewer, payload_json"

    static func events(_ result: PostgresQueryResult) throws(StoreError) -> [InterviewEvent] {
        try result.all((String, Int64, String, Int64, String, String).self).map { row throws(StoreError) in
            InterviewEvent(
                device: DeviceID(row.0), sequence: row.1, interview: InterviewID(row.2), timestamp: row.3, interviewer: row.4,
                kind: try EventCoding.decodeKind(row.5))
        }
    }

    public func events(interview: InterviewID) throws(StoreError) -> [InterviewEvent] {
        try read { link in
            try Self.events(
                link.query(
                    """
                    SELECT \(unescaped: Self.eventColumns.split(separator: ",").map { "e.\($0.trimmingCharacters(in: .whitespaces))" }
                    .joined(separator: ", "))
                    FROM interview_device s JOIN event e
                        ON e.device_id = s.device_id AND e.sequence BETWEEN s.first_sequence AND s.last_sequence
                    WHERE s.interview_id = \(interview.rawValue) AND e.interview_id = \(interview.rawValue)
                    """)
            ).sorted { $0.mergeKey < $1.mergeKey }
        }
    }

    public func events(device: DeviceID, after sequence: Int64, limit: Int) throws(StoreError) -> [InterviewEvent] {
        try read { link in
            try Self.events(
                link.query(
                    """
                    SELECT \(unescaped: Self.eventColumns) FROM event WHERE device_id = \(device.rawValue) AND sequence > \(sequence)
                    ORDER BY sequence LIMIT \(Int64(clamping: limit))
                    """))
        }
    }

    public func eventCount() throws(StoreError) -> Int {
        try read { link in try link.query("SELECT count(*) FROM event").scalar(Int.self) ?? 0 }
    }

    // MARK: - Status and checks

    public func status() throws(StoreError) -> CentralStatus {
        let devices = try self.devices()
        return try read { link in
            var summaries: [DeviceSummary] = []
            for device in devices {
                let id = device.id.rawValue
                let ranges = try link.query(
                    "SELECT first_sequence, last_sequence FROM received_range WHERE device_id = \(id) ORDER BY first_sequence"
                ).all((Int64, Int64).self).map { $0.0...$0.1 }
                let count = try link.query("SELECT count(*) FROM event WHERE device_id = \(id)").scalar(Int.self) ?? 0
                let last = try Self.bundles(
                    link.query(
                        "SELECT \(unescaped: Self.bundleColumns) FROM bundle WHERE device_id = \(id) ORDER BY received_at DESC, hash LIMIT 1"
                    ))
                summaries.append(DeviceSummary(device: device, eventCount: count, received: ranges, lastBundle: last.first))
            }
            var byStatus: [InterviewStatus: Int] = [:]
            var trainingByStatus: [InterviewStatus: Int] = [:]
            for (status, count, training) in try link.query(
                "SELECT status, count(*), count(*) FILTER (WHERE is_training) FROM interview WHERE event_count > 0 GROUP BY status"
            ).all((String, Int, Int).self) {
                guard let status = InterviewStatus(rawValue: status) else { continue }
                byStatus[status] = count
                trainingByStatus[status] = training
            }
            let bundles =
                try link.query(
                    "SELECT count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'rejected') FROM bundle"
                ).all((Int, Int).self).first ?? (0, 0)
            return CentralStatus(
                devices: summaries, eventCount: try link.query("SELECT count(*) FROM event").scalar(Int.self) ?? 0,
                interviews: byStatus, trainingByStatus: trainingByStatus,
                conflicts: try link.query("SELECT count(*) FROM conflict").scalar(Int.self) ?? 0,
                bundlesAccepted: bundles.0, bundlesRejected: bundles.1,
                lastBundle: try Self.bundles(
                    link.query(
                        "SELECT \(unescaped: Self.bundleColumns) FROM bundle ORDER BY received_at DESC, hash LIMIT 1")
                ).first)
        }
    }

    /// PostgreSQL keeps its own pages consistent; these are the dataset's own invariants: every
    /// interview's and every interview–device pair's event count is its events', and every
    /// event lies in a received range of its device.
    public func integrityCheck() throws(StoreError) -> [String] {
        try read { link in
            var problems: [String] = []
            for id in try link.query(
                """
                SELECT i.id FROM interview i LEFT JOIN (SELECT interview_id, count(*) AS n FROM event GROUP BY interview_id) e
                    ON e.interview_id = i.id WHERE i.event_count <> coalesce(e.n, 0) ORDER BY i.id LIMIT 20
                """
            ).column(String.self) {
                problems.append("interview \(DisplayText.escaped(id)): its event count is not its events'")
            }
            for (id, device) in try link.query(
                """
                SELECT s.interview_id, s.device_id FROM interview_device s WHERE s.event_count <> (SELECT count(*) FROM event e
                    WHERE e.device_id = s.device_id AND e.interview_id = s.interview_id) ORDER BY 1, 2 LIMIT 20
                """
            ).all((String, String).self) {
                problems.append(
                    "interview \(DisplayText.escaped(id)) on \(DisplayText.escaped(device)): its event count is not its events'")
            }
            let outside =
                try link.query(
                    """
                    SELECT count(*) FROM event e WHERE NOT EXISTS (SELECT 1 FROM received_range r WHERE r.device_id = e.device_id
                        AND e.sequence BETWEEN r.first_sequence AND r.last_sequence)
                    """
                ).scalar(Int.self) ?? 0
            if outside > 0 { problems.append("\(outside) events lie outside their device's received ranges") }
            return problems
        }
    }

    // MARK: - The cache of cleaned records

    public func cachedCleanedRecords(
        from first: InterviewID, through last: InterviewID
    ) throws(StoreError) -> [InterviewID: CachedCleanedRecord] {
        try read { link in
            var found: [InterviewID: CachedCleanedRecord] = [:]
            for row in try link.query(
                """
                SELECT interview_id, cache_key, definition_hash, event_count, record FROM cleaned_record
                WHERE interview_id BETWEEN \(first.rawValue) AND \(last.rawValue)
                """
            ).all((String, String, String, Int, Data).self) {
                let id = InterviewID(row.0)
                found[id] = CachedCleanedRecord(
                    interview: id, cacheKey: row.1, definition: DefinitionHash(row.2), eventCount: row.3, data: row.4)
            }
            return found
        }
    }

    public func storeCleanedRecords(_ records: [CachedCleanedRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try write { link in
            for record in records {
                try link.execute(
                    """
                    INSERT INTO cleaned_record (interview_id, cache_key, definition_hash, event_count, record)
                    VALUES (\(record.interview.rawValue), \(record.cacheKey), \(record.definition.rawValue), \(record.eventCount),
                        \(record.data))
                    ON CONFLICT (interview_id) DO UPDATE SET cache_key = excluded.cache_key,
                        definition_hash = excluded.definition_hash, event_count = excluded.event_count, record = excluded.record
                    """)
            }
        }
    }

    public func clearCleanedRecords() throws(StoreError) {
        try write { link in try link.execute("DELETE FROM cleaned_record") }
    }

    public func cleanedRecordCount() throws(StoreError) -> Int {
        try read { link in try link.query("SELECT count(*) FROM cleaned_record").scalar(Int.self) ?? 0 }
    }
}

extension PostgresCentralStore {
    /// Records an accepted request's nonce until it expires; false for a replay. The primary
    /// key decides between two server processes receiving the same request at once.
    public func recordRequestNonce(_ key: String, at now: Int64, expiresAt: Int64) throws(StoreError) -> Bool {
        try write { link in
            try link.execute("DELETE FROM request_nonce WHERE expires_at <= \(now)")
            return try link.query(
                "INSERT INTO request_nonce (key, expires_at) VALUES (\(key), \(expiresAt)) ON CONFLICT (key) DO NOTHING RETURNING key"
            ).scalar(String.self) != nil
        }
    }
}
