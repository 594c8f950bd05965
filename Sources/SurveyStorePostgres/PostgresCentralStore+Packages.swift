import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

/// A device's package read from PostgreSQL: the same snapshot as SQLite's
/// (`CentralStore+Packages.swift`, docs/package-format.md §3), read in one repeatable-read
/// transaction, so every part stands at the same point of the log. Log entries commit in
/// sequence order (``fieldworkWrite(_:)``), so the snapshot holds every entry up to its
/// ``PackageSnapshot/through`` and none after.
extension PostgresCentralStore {
    public func packageSnapshot(device: DeviceID) throws(StoreError) -> PackageSnapshot {
        try read { link in
            guard try Self.fetchDevice(link, device) != nil else { throw StoreError.deviceNotRegistered(device) }
            let through = try Self.through(link)
            let cases = try Self.packagedCases(link, device)
            let published = try Self.published(link, through: through)
            var definitions: [SurveyID: DefinitionFile] = [:]
            for survey in Set(cases.map(\.record.survey)) {
                guard let hash = published[survey] else { continue }
                guard let bytes = try link.query("SELECT compiled_json FROM definition WHERE hash = \(hash.rawValue)").scalar(Data.self)
                else { throw StoreError.unknownDefinition(hash) }
                definitions[survey] = try DefinitionFile(compiledJSON: bytes)
            }
            let reviews = try link.query(
                """
                SELECT \(unescaped: Self.logColumns) FROM fieldwork_log l
                WHERE l.action IN ('approved', 'rejected', 'commented') AND (
                    (l.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM sample_case c
                        WHERE c.survey_id = l.survey_id AND c.case_id = l.case_id AND c.device_id = \(device.rawValue)))
                    OR (l.case_id IS NULL AND l.device_id = \(device.rawValue)))
                ORDER BY l.sequence
                """
            ).map { row throws(StoreError) in try Self.logEntry(row.makeRandomAccess()).reviewMark }
            let encryptionKey = try link.query("SELECT encryption_public_key FROM device WHERE device_id = \(device.rawValue)")
                .scalar(Data?.self)
            return PackageSnapshot(
                device: device, through: through, cases: cases, definitions: definitions, reviews: reviews.compactMap { $0 },
                encryptionKey: encryptionKey ?? nil)
        }
    }

    /// Every case ever given to the device (assigned or moved to it, or moved from it), with
    /// where it stands for the device now and the log entry that put it there.
    private static func packagedCases(_ link: PostgresSession, _ device: DeviceID) throws -> [PackagedCase] {
        let rows = try link.query(
            """
            WITH mine AS (
                SELECT survey_id, case_id FROM fieldwork_log
                WHERE device_id = \(device.rawValue) AND action IN ('assigned', 'reassigned')
                UNION SELECT survey_id, case_id FROM fieldwork_log
                WHERE previous_device_id = \(device.rawValue) AND action = 'reassigned')
            SELECT c.survey_id, c.case_id, c.preload_json, c.address, c.note, c.device_id, c.assigned_sequence, a.at,
                c.withdrawn, c.added_sequence, c.updated_sequence,
                CASE WHEN c.withdrawn THEN 'withdrawn' WHEN c.device_id = \(device.rawValue) THEN 'assigned'
                    ELSE 'reassigned' END,
                l.at, l.actor, l.text
            FROM mine JOIN sample_case c ON c.survey_id = mine.survey_id AND c.case_id = mine.case_id
            LEFT JOIN fieldwork_log a ON a.sequence = c.assigned_sequence
            LEFT JOIN fieldwork_log l ON l.sequence = CASE WHEN c.withdrawn THEN c.withdrawn_sequence ELSE c.assigned_sequence END
            ORDER BY c.survey_id, c.case_id
            """)
        return try rows.map { row throws(StoreError) in
            let read = RowReader(cells: row.makeRandomAccess(), what: "package case row")
            let record = try sampleCase(read)
            let state = try StoredWord.decode(try read.next(String.self), as: DeviceCase.State.self, what: "case state")
            return PackagedCase(
                record: record, state: state, changedAt: try read.next(Int64?.self) ?? 0, changedBy: try read.next(String?.self) ?? "",
                reason: try read.next(String?.self))
        }
    }
}
