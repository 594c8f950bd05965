import Foundation
import GRDB

/// One value of a stored row, whatever the store: what `terep central copy` carries from one
/// store to another and checks in both.
package enum StoredValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// The tables a copy of a central dataset carries (everything but the cache of cleaned
/// records, which any store rebuilds), each with the columns that order its rows (its key).
package enum CentralTables {
    /// The tables derived from merged data (all but the logs, keys and caches), with their
    /// order: what `canonicalDump()` shows in every store.
    package static let derived: [(name: String, key: String)] = [
        ("device", "device_id"), ("definition", "hash"), ("event", "device_id, sequence"),
        ("received_range", "device_id, first_sequence"), ("interview", "id"),
        ("interview_device", "interview_id, device_id"),
    ]

    package static let copied: [(name: String, key: String)] = [
        ("coordinator", "singleton"), ("device", "device_id"), ("registration_log", "id"), ("definition", "hash"),
        ("event", "device_id, sequence"), ("received_range", "device_id, first_sequence"), ("interview", "id"),
        ("interview_device", "interview_id, device_id"), ("bundle", "hash"), ("fieldwork_log", "sequence"),
        ("sample_case", "survey_id, case_id"),
    ]
}

extension CentralStore {
    /// A table's columns, in the table's order.
    package func columns(of table: String) throws(StoreError) -> [String] {
        try read { db in try db.columns(in: table).map(\.name) }
    }

    /// Calls `body` with each row of the given tables (of ``CentralTables/copied``, each with
    /// its key and the columns to read), table after table in key order, one row at a time, all
    /// in one read transaction: a consistent snapshot even while a merge writes.
    package func forEachRow(
        in tables: [(name: String, key: String, columns: [String])], _ body: (_ table: Int, [StoredValue]) throws -> Void
    ) throws {
        try queue.read { db in
            for (number, table) in tables.enumerated() {
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.key)")
                while let row = try rows.next() {
                    try body(number, (0..<table.columns.count).map { index in Self.stored(row[index] as DatabaseValue) })
                }
            }
        }
    }

    /// Every row of every table, the schema and SQLite's own tables (`sqlite_master`,
    /// `sqlite_sequence`) included, as lines of text, each table's sorted: two datasets with the
    /// same lines hold the same data. What FuzzMerge compares with its template's to show that
    /// its reset between inputs (``rollingBack(_:)``) left nothing behind.
    package func everyRow() throws(StoreError) -> [String] {
        try read { db in
            var lines = try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
                .map { "sqlite_master \($0)" }
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                lines += rows.map { "\(table) \($0)" }.sorted()
            }
            return lines
        }
    }

    private static func stored(_ value: DatabaseValue) -> StoredValue {
        switch value.storage {
        case .null: .null
        case .int64(let n): .integer(n)
        case .double(let d): .real(d)
        case .string(let s): .text(s)
        case .blob(let b): .blob(b)
        }
    }
}
