import GRDB
import SurveyModel

extension CentralStore {
    /// Folds one merge's new events into an interview's derived row; every step is a min, max
    /// or sum over events, so the result does not depend on the order of merges.
    func mergeInterview(
        _ db: Database, _ id: InterviewID, _ delta: InterviewDelta, device: DeviceID, result: inout MergeResult
    ) throws {
        let before = try Int.fetchOne(db, sql: "SELECT device_count FROM interview WHERE id = ?", arguments: [id.rawValue])
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
                db, sql: "SELECT count(*) FROM interview_device WHERE interview_id = ?", arguments: [id.rawValue]) ?? 0
        if before != nil {
            try db.execute(
                sql: """
                    UPDATE interview SET last_timestamp = max(last_timestamp, ?), event_count = event_count + ?,
                        device_count = ? WHERE id = ?
                    """,
                arguments: [delta.lastTimestamp, delta.newEvents, devices, id.rawValue])
            result.updatedInterviews += 1
        } else {
            try db.execute(
                sql: """
                    INSERT INTO interview (id, status, last_timestamp, event_count, device_count)
                    VALUES (?, 'in_progress', ?, ?, ?)
                    """,
                arguments: [id.rawValue, delta.lastTimestamp, delta.newEvents, devices])
            result.newInterviews += 1
        }
        if (before ?? 0) < 2 && devices >= 2 { result.newConflicts += 1 }
        if let start = delta.start {
            try db.execute(
                sql: """
                    UPDATE interview SET survey_id = (SELECT survey_id FROM definition WHERE hash = ?1),
                        definition_hash = ?1, interviewer = ?2, case_ids_json = ?3,
                        started_at = ?4, start_device = ?5, start_sequence = ?6
                    WHERE id = ?7 AND (started_at IS NULL OR (started_at, start_device, start_sequence) > (?4, ?5, ?6))
                    """,
                arguments: [
                    start.definition.rawValue, start.interviewer, start.caseJSON, start.key.timestamp, start.key.device.rawValue,
                    start.key.sequence, id.rawValue,
                ])
        }
        if let mapped = delta.mappedDefinition {
            try db.execute(
                sql: """
                    UPDATE interview SET definition_hash = ?1, survey_id = (SELECT survey_id FROM definition WHERE hash = ?1)
                    WHERE id = ?2 AND started_at IS NULL AND (definition_hash IS NULL OR definition_hash > ?1)
                    """,
                arguments: [mapped.rawValue, id.rawValue])
        }
        if let status = delta.status {
            try db.execute(
                sql: """
                    UPDATE interview SET outcome = ?1, ended_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END,
                        status_timestamp = ?2, status_device = ?3, status_sequence = ?4
                    WHERE id = ?5 AND (status_timestamp IS NULL
                        OR (status_timestamp, status_device, status_sequence) < (?2, ?3, ?4))
                    """,
                arguments: [status.outcome, status.key.timestamp, status.key.device.rawValue, status.key.sequence, id.rawValue])
        }
        if let training = delta.training {
            try db.execute(
                sql: """
                    UPDATE interview SET is_training = ?1, training_timestamp = ?2, training_device = ?3, training_sequence = ?4
                    WHERE id = ?5 AND (training_timestamp IS NULL
                        OR (training_timestamp, training_device, training_sequence) < (?2, ?3, ?4))
                    """,
                arguments: [training.value, training.key.timestamp, training.key.device.rawValue, training.key.sequence, id.rawValue])
        }
        if let assigned = delta.assignedCase {
            try db.execute(
                sql: """
                    UPDATE interview SET case_id = ?1, case_timestamp = ?2, case_device = ?3, case_sequence = ?4
                    WHERE id = ?5 AND (case_timestamp IS NULL OR (case_timestamp, case_device, case_sequence) > (?2, ?3, ?4))
                    """,
                arguments: [assigned.id.rawValue, assigned.key.timestamp, assigned.key.device.rawValue, assigned.key.sequence, id.rawValue])
        }
        try db.execute(
            sql: """
                UPDATE interview SET status = CASE
                    WHEN outcome IS NULL THEN 'in_progress'
                    WHEN outcome IS (SELECT complete_code FROM definition WHERE hash = definition_hash) THEN 'completed'
                    ELSE 'ended' END
                WHERE id = ?
                """,
            arguments: [id.rawValue])
    }

    /// Adds a bundle's sequence numbers to the device's received ranges, as ``SequenceRanges``
    /// joins them (maximal and disjoint, adjacent ranges joined): each run of the bundle's
    /// numbers replaces the stored ranges it touches by their union.
    func mergeRanges(_ db: Database, device: DeviceID, sequences: SequenceRanges) throws {
        for island in sequences.ranges {
            let touching = try Row.fetchAll(
                db,
                sql: """
                    SELECT first_sequence, last_sequence FROM received_range
                    WHERE device_id = ? AND first_sequence <= ? AND last_sequence >= ?
                    """,
                arguments: [device.rawValue, island.upperBound.saturatingSuccessor, island.lowerBound.saturatingPredecessor])
            var joined = SequenceRanges(ranges: touching.map { (row: Row) -> ClosedRange<Int64> in (row[0] as Int64)...(row[1] as Int64) })
            joined.insert(island)
            try db.execute(
                sql: "DELETE FROM received_range WHERE device_id = ? AND first_sequence <= ? AND last_sequence >= ?",
                arguments: [device.rawValue, island.upperBound.saturatingSuccessor, island.lowerBound.saturatingPredecessor])
            for range in joined.ranges {
                try db.execute(
                    sql: "INSERT INTO received_range (device_id, first_sequence, last_sequence) VALUES (?, ?, ?)",
                    arguments: [device.rawValue, range.lowerBound, range.upperBound])
            }
        }
    }
}

extension Int64 {
    /// One more, or `Int64.max` at the top: range arithmetic never traps, whatever a file held.
    var saturatingSuccessor: Int64 { self == .max ? .max : self + 1 }
    /// One less, or `Int64.min` at the bottom.
    var saturatingPredecessor: Int64 { self == .min ? .min : self - 1 }
}
