import GRDB
import SurveyModel

extension CentralStore {
    /// Folds one merge's new events into an interview's derived row by the shared rule
    /// (``DerivedInterview/fold(_:deviceCount:survey:)``): every step is a min, max or sum over
    /// events, so the result does not depend on the order of merges.
    func mergeInterview(
        _ db: Database, _ id: InterviewID, _ delta: InterviewDelta, device: DeviceID, result: inout MergeResult
    ) throws {
        // Every statement here runs once per interview of a bundle: each is prepared once per
        // connection (`cachedStatement`), not parsed again for every interview.
        let stored = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(Self.derivedColumns.joined(separator: ", ")) FROM interview WHERE id = ?"),
            arguments: [id.rawValue])
        var row = stored.map(Self.derivedInterview(from:)) ?? DerivedInterview(id: id)
        let before = stored.map { _ in row.deviceCount }
        let perDevice = try db.cachedStatement(
            sql: """
                INSERT INTO interview_device (interview_id, device_id, event_count, first_sequence, last_sequence)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (interview_id, device_id) DO UPDATE SET event_count = event_count + excluded.event_count,
                    first_sequence = min(first_sequence, excluded.first_sequence),
                    last_sequence = max(last_sequence, excluded.last_sequence)
                """)
        try perDevice.execute(arguments: [id.rawValue, device.rawValue, delta.newEvents, delta.firstSequence, delta.lastSequence])
        let devices =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM interview_device WHERE interview_id = ?"), arguments: [id.rawValue]) ?? 0
        let definitions = try db.cachedStatement(sql: "SELECT survey_id, complete_code FROM definition WHERE hash = ?")
        func definition(_ hash: DefinitionHash) throws(StoreError) -> Row? {
            do { return try Row.fetchOne(definitions, arguments: [hash.rawValue]) } catch { throw StoreError(error, path: path) }
        }
        try row.fold(delta, deviceCount: devices) { hash throws(StoreError) in
            try definition(hash).map { SurveyID($0[0] as String) }
        }
        let completeCode = try row.definition.flatMap { hash throws(StoreError) in try definition(hash)?[1] as Int? }
        let values: [(any DatabaseValueConvertible)?] = [
            id.rawValue, row.survey?.rawValue, row.definition?.rawValue, row.interviewer, row.caseIdentifiersJSON,
            row.start?.timestamp, row.start?.device.rawValue, row.start?.sequence, row.outcome, row.endedAt,
            row.statusKey?.timestamp, row.statusKey?.device.rawValue, row.statusKey?.sequence, row.lastTimestamp,
            row.eventCount, row.deviceCount, row.isTraining, row.trainingKey?.timestamp, row.trainingKey?.device.rawValue,
            row.trainingKey?.sequence, row.caseID?.rawValue, row.caseKey?.timestamp, row.caseKey?.device.rawValue,
            row.caseKey?.sequence, row.status(completeCode: completeCode).rawValue,
        ]
        let columns = Self.derivedColumns + ["status"]
        try db.cachedStatement(
            sql: """
                INSERT INTO interview (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                ON CONFLICT (id) DO UPDATE SET \(columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """
        ).execute(arguments: StatementArguments(values))
        if before == nil { result.newInterviews += 1 } else { result.updatedInterviews += 1 }
        if (before ?? 0) < 2 && devices >= 2 { result.newConflicts += 1 }
    }

    /// The `interview` table's derived columns, in the order ``derivedInterview(from:)`` reads them.
    static let derivedColumns = [
        "id", "survey_id", "definition_hash", "interviewer", "case_ids_json", "started_at", "start_device", "start_sequence",
        "outcome", "ended_at", "status_timestamp", "status_device", "status_sequence", "last_timestamp", "event_count",
        "device_count", "is_training", "training_timestamp", "training_device", "training_sequence", "case_id",
        "case_timestamp", "case_device", "case_sequence",
    ]

    /// A stored interview row (selected with ``derivedColumns``) as a derived row.
    static func derivedInterview(from row: Row) -> DerivedInterview {
        func key(_ at: Int) -> MergeKey? {
            guard let timestamp = row[at] as Int64?, let device = row[at + 1] as String?, let sequence = row[at + 2] as Int64?
            else { return nil }
            return MergeKey(timestamp: timestamp, device: DeviceID(device), sequence: sequence)
        }
        var derived = DerivedInterview(id: InterviewID(row[0] as String))
        derived.survey = (row[1] as String?).map(SurveyID.init)
        derived.definition = (row[2] as String?).map(DefinitionHash.init)
        derived.interviewer = row[3]
        derived.caseIdentifiersJSON = row[4]
        derived.start = key(5)
        derived.outcome = row[8]
        derived.endedAt = row[9]
        derived.statusKey = key(10)
        derived.lastTimestamp = row[13]
        derived.eventCount = row[14]
        derived.deviceCount = row[15]
        derived.isTraining = row[16]
        derived.trainingKey = key(17)
        derived.caseID = (row[20] as String?).map(CaseID.init)
        derived.caseKey = key(21)
        return derived
    }

    /// Adds a bundle's sequence numbers to the device's received ranges, as ``SequenceRanges``
    /// joins them (maximal and disjoint, adjacent ranges joined): each run of the bundle's
    /// numbers replaces the stored ranges it touches by their union.
    func mergeRanges(_ db: Database, device: DeviceID, sequences: SequenceRanges) throws {
        // Prepared once per connection (`cachedStatement`), not for every bundle.
        let select = try db.cachedStatement(
            sql: """
                SELECT first_sequence, last_sequence FROM received_range
                WHERE device_id = ? AND first_sequence <= ? AND last_sequence >= ?
                """)
        let delete = try db.cachedStatement(
            sql: "DELETE FROM received_range WHERE device_id = ? AND first_sequence <= ? AND last_sequence >= ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO received_range (device_id, first_sequence, last_sequence) VALUES (?, ?, ?)")
        for island in sequences.ranges {
            let touched: StatementArguments = [
                device.rawValue, island.upperBound.saturatingSuccessor, island.lowerBound.saturatingPredecessor,
            ]
            let touching = try Row.fetchAll(select, arguments: touched)
            var joined = SequenceRanges(ranges: touching.map { (row: Row) -> ClosedRange<Int64> in (row[0] as Int64)...(row[1] as Int64) })
            joined.insert(island)
            try delete.execute(arguments: touched)
            for range in joined.ranges { try insert.execute(arguments: [device.rawValue, range.lowerBound, range.upperBound]) }
        }
    }
}

extension Int64 {
    /// One more, or `Int64.max` at the top: range arithmetic never traps, whatever a file held.
    package var saturatingSuccessor: Int64 { self == .max ? .max : self + 1 }
    /// One less, or `Int64.min` at the bottom.
    package var saturatingPredecessor: Int64 { self == .min ? .min : self - 1 }
}
