import Foundation
import GRDB
import SurveyModel

extension CentralStore {
    /// Interviews, optionally only those with a status, by id (read row by row: memory holds
    /// the result, not every row's columns as well).
    public func interviews(status: InterviewStatus?) throws(StoreError) -> [CentralInterview] {
        try read { db in
            var result: [CentralInterview] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT i.*, (SELECT group_concat(device_id, ',') FROM
                        (SELECT device_id FROM interview_device WHERE interview_id = i.id ORDER BY device_id)) AS devices
                    FROM interview i WHERE ?1 IS NULL OR status = ?1 ORDER BY id
                    """,
                arguments: [status?.rawValue])
            while let row = try rows.next() { result.append(try CentralStore.interview(from: row)) }
            return result
        }
    }

    static func interview(from row: Row) throws(StoreError) -> CentralInterview {
        let statusText: String = row["status"]
        let devices = (row["devices"] as String?).map { $0.split(separator: ",").map { DeviceID(String($0)) } } ?? []
        return CentralInterview(
            id: InterviewID(row["id"] as String), survey: (row["survey_id"] as String?).map(SurveyID.init),
            definition: (row["definition_hash"] as String?).map(DefinitionHash.init), interviewer: row["interviewer"],
            startDevice: (row["start_device"] as String?).map(DeviceID.init),
            caseIdentifiers: try (row["case_ids_json"] as String?).map { json throws(StoreError) in
                try EventCoding.decodeValues(json)
            } ?? [:],
            startedAt: row["started_at"], status: try StoredWord.decode(statusText, as: InterviewStatus.self, what: "interview status"),
            outcome: row["outcome"], endedAt: row["ended_at"], eventCount: row["event_count"],
            isTraining: row["is_training"], devices: devices, caseID: (row["case_id"] as String?).map(CaseID.init),
            statusDevice: (row["status_device"] as String?).map(DeviceID.init), statusSequence: row["status_sequence"])
    }

    /// An interview's events from every device, in the merge order (``MergeKey``).
    public func events(interview: InterviewID) throws(StoreError) -> [InterviewEvent] {
        try read { db in
            try EventCoding.fetchEvents(
                db,
                sql: """
                    SELECT e.* FROM interview_device s JOIN event e
                        ON e.device_id = s.device_id AND e.sequence BETWEEN s.first_sequence AND s.last_sequence
                    WHERE s.interview_id = ?1 AND e.interview_id = ?1
                    """,
                arguments: [interview.rawValue]
            ).sorted { $0.mergeKey < $1.mergeKey }
        }
    }

    /// A device's events after a sequence number, in sequence order.
    public func events(device: DeviceID, after sequence: Int64, limit: Int) throws(StoreError) -> [InterviewEvent] {
        try read { db in
            try EventCoding.fetchEvents(
                db, sql: "SELECT * FROM event WHERE device_id = ? AND sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [device.rawValue, sequence, Int64(clamping: limit)])
        }
    }

    /// The number of merged events.
    public func eventCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM event")) ?? 0 }
    }

    /// Devices, received and missing ranges, counts and the last bundles.
    public func status() throws(StoreError) -> CentralStatus {
        let devices = try self.devices()
        return try read { db in
            var summaries: [DeviceSummary] = []
            for device in devices {
                let ranges = try Row.fetchAll(
                    db, sql: "SELECT first_sequence, last_sequence FROM received_range WHERE device_id = ? ORDER BY first_sequence",
                    arguments: [device.id.rawValue]
                ).map { (row: Row) -> ClosedRange<Int64> in (row[0] as Int64)...(row[1] as Int64) }
                let count =
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE device_id = ?", arguments: [device.id.rawValue]) ?? 0
                let last = try Row.fetchOne(
                    db, sql: "SELECT * FROM bundle WHERE device_id = ? ORDER BY received_at DESC, hash LIMIT 1",
                    arguments: [device.id.rawValue])
                summaries.append(
                    DeviceSummary(
                        device: device, eventCount: count, received: ranges, missing: SequenceRanges(ranges: ranges).gaps,
                        lastBundle: last.map(CentralStore.bundle(from:))))
            }
            var byStatus: [InterviewStatus: Int] = [:]
            var trainingByStatus: [InterviewStatus: Int] = [:]
            let counts = "SELECT status, count(*), sum(is_training) FROM interview GROUP BY status"
            for row in try Row.fetchAll(db, sql: counts) {
                guard let status = InterviewStatus(rawValue: row[0]) else { continue }
                byStatus[status] = row[1]
                trainingByStatus[status] = row[2]
            }
            return CentralStatus(
                devices: summaries, eventCount: try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0,
                interviews: byStatus,
                trainingInterviews: trainingByStatus.values.reduce(0, +), trainingByStatus: trainingByStatus,
                conflicts: try Int.fetchOne(db, sql: "SELECT count(*) FROM conflict") ?? 0,
                bundlesAccepted: try Int.fetchOne(db, sql: "SELECT count(*) FROM bundle WHERE status = 'accepted'") ?? 0,
                bundlesRejected: try Int.fetchOne(db, sql: "SELECT count(*) FROM bundle WHERE status = 'rejected'") ?? 0,
                lastBundle: try Row.fetchOne(db, sql: "SELECT * FROM bundle ORDER BY received_at DESC, hash LIMIT 1")
                    .map(CentralStore.bundle(from:)))
        }
    }

    /// SQLite's integrity and foreign-key checks; returns the problems found (empty when all is well).
    public func integrityCheck() throws(StoreError) -> [String] {
        try read { db in
            // Prepared once per connection: FuzzMerge checks after every merge.
            var problems = try String.fetchAll(db.cachedStatement(sql: "PRAGMA integrity_check")).filter { $0 != "ok" }
            problems += try Row.fetchAll(db.cachedStatement(sql: "PRAGMA foreign_key_check"))
                .map { "foreign key violation in \($0[0] as String? ?? "?")" }
            return problems
        }
    }
}
