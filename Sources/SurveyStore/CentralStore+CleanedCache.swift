import Foundation
import GRDB
import SurveyModel

/// One interview's cleaned record as the cache stores it: opaque bytes (the Fieldwork layer
/// encodes and decodes them) and what they were computed from.
public struct CachedCleanedRecord: Hashable, Sendable {
    public var interview: InterviewID
    /// The cleaning program's key (its rules' version and the time zone replay used).
    public var cacheKey: String
    /// The definition the interview was cleaned with.
    public var definition: DefinitionHash
    /// The interview's number of merged events when it was cleaned: events are append-only,
    /// so an equal count means the same set of events.
    public var eventCount: Int
    public var data: Data

    public init(interview: InterviewID, cacheKey: String, definition: DefinitionHash, eventCount: Int, data: Data) {
        self.interview = interview
        self.cacheKey = cacheKey
        self.definition = definition
        self.eventCount = eventCount
        self.data = data
    }
}

/// The cache of cleaned records (`cleaned_record`, migration v4): a speed-up only. Every row
/// can be dropped at any time; readers check a row against the interview's current event
/// count and definition and their own cache key before using it.
extension CentralStore {
    /// Whether this dataset was opened read-only (nothing can be cached then).
    public var isReadOnly: Bool { queue.configuration.readonly }

    /// Opens an existing dataset to read it (exports, reports): writable when the file and its
    /// folder may be written, so the cache of cleaned records can be filled, and read-only
    /// otherwise (a read-only file, folder or mount, or another process holding the lock
    /// while a schema step is pending). A file without its owner's write permission is never
    /// made writable (not even for root, whom the permission bits do not stop).
    public static func openForReading(path: String) throws(StoreError) -> CentralStore {
        let folder = (path as NSString).deletingLastPathComponent
        let manager = FileManager.default
        let mode = (try? manager.attributesOfItem(atPath: path))?[.posixPermissions] as? Int ?? 0
        guard mode & 0o200 != 0, manager.isWritableFile(atPath: path),
            manager.isWritableFile(atPath: folder.isEmpty ? "." : folder)
        else {
            return try open(path: path, readOnly: true)
        }
        do {
            return try open(path: path)
        } catch {
            switch error {
            case .readOnly, .cannotOpen, .busy, .diskFull: return try open(path: path, readOnly: true)
            default: throw error
            }
        }
    }

    /// The cached records of the interviews whose ids lie in `first...last` (the order of
    /// ``interviews(status:)``), read in one query.
    ///
    /// Fails on a dataset opened read-only whose file predates the cache (no table yet).
    public func cachedCleanedRecords(
        from first: InterviewID, through last: InterviewID
    ) throws(StoreError) -> [InterviewID: CachedCleanedRecord] {
        try read { db in
            var found: [InterviewID: CachedCleanedRecord] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT interview_id, cache_key, definition_hash, event_count, record FROM cleaned_record
                    WHERE interview_id BETWEEN ? AND ?
                    """,
                arguments: [first.rawValue, last.rawValue])
            while let row = try rows.next() {
                let id = InterviewID(row[0] as String)
                found[id] = CachedCleanedRecord(
                    interview: id, cacheKey: row[1], definition: DefinitionHash(row[2] as String), eventCount: row[3],
                    data: row[4] as Data? ?? Data())
            }
            return found
        }
    }

    /// Stores (or replaces) cached records in one short transaction.
    public func storeCleanedRecords(_ records: [CachedCleanedRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        try write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO cleaned_record (interview_id, cache_key, definition_hash, event_count, record)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (interview_id) DO UPDATE SET cache_key = excluded.cache_key,
                        definition_hash = excluded.definition_hash, event_count = excluded.event_count,
                        record = excluded.record
                    """)
            for record in records {
                try statement.execute(arguments: [
                    record.interview.rawValue, record.cacheKey, record.definition.rawValue, record.eventCount, record.data,
                ])
            }
        }
    }

    /// Removes every cached record (the next export or report cleans every interview again).
    public func clearCleanedRecords() throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM cleaned_record") }
    }

    /// The number of cached records (valid or not).
    public func cleanedRecordCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cleaned_record") ?? 0 }
    }
}
