import Crypto
import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

/// What `terep central copy` copied and checked: for each table, its rows and the SHA-256 of
/// them, which both stores gave alike.
public struct CentralCopyReport: Hashable, Sendable {
    public struct Table: Hashable, Sendable {
        public var name: String
        public var rows: Int
        /// SHA-256 (hex) of the table's rows in key order, as both stores hold them.
        public var checksum: String
    }

    public var destination: String
    public var tables: [Table]
}

extension PostgresCentralStore {
    /// Copies an SQLite central dataset into a new PostgreSQL one (the URL's schema must hold
    /// none), all in one transaction: every table but the cache of cleaned records, row for row
    /// (keys, logs and their numbering included). Before committing, every copied row is read
    /// back and each table's row count and SHA-256 are compared with the source's; any
    /// difference rolls the whole copy back, so the destination holds all of it or nothing.
    public static func copy(from source: CentralStore, to url: String) throws(StoreError) -> CentralCopyReport {
        let place = try PostgresLocation(url: url)
        let session = try PostgresSession.connect(place)
        do {
            return try session.transaction { link in
                try createSchema(link, place)
                var tables: [(name: String, key: String, columns: [String])] = []
                var types: [[String]] = []
                for (name, key) in CentralTables.copied {
                    let columns = try source.columns(of: name)
                    tables.append((name, key, columns))
                    types.append(try columnTypes(link, table: name, columns: columns))
                }
                var writers = zip(tables, types).map { TableWriter(table: $0.0.name, columns: $0.0.columns, types: $0.1) }
                try source.forEachRow(in: tables) { number, row in try writers[number].add(row, link) }
                var report = CentralCopyReport(destination: session.location, tables: [])
                for (number, table) in tables.enumerated() {
                    try writers[number].flush(link)
                    let back = try readBack(link, table, types: types[number])
                    guard back.rows == writers[number].rows, back.checksum == writers[number].digest.hex else {
                        throw StoreError.invalid(
                            "the copy of table \(table.name) differs from the source (\(back.rows) rows read back, "
                                + "\(writers[number].rows) copied); nothing was copied")
                    }
                    report.tables.append(.init(name: table.name, rows: back.rows, checksum: back.checksum))
                }
                for (table, column) in [("registration_log", "id"), ("fieldwork_log", "sequence")] {
                    try link.execute(
                        PostgresQuery(
                            unsafeSQL: """
                                SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), coalesce(max(\(column)), 0) + 1, false)
                                FROM \(table)
                                """))
                }
                return report
            }
        } catch { throw PostgresSession.storeError(error, location: session.location) }
    }

    /// The PostgreSQL types of a table's columns; a column the PostgreSQL schema lacks is refused.
    private static func columnTypes(_ link: PostgresSession, table: String, columns: [String]) throws -> [String] {
        let known = Dictionary(
            try link.query(
                """
                SELECT column_name::text, data_type::text FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(table)
                """
            ).all((String, String).self), uniquingKeysWith: { first, _ in first })
        return try columns.map { column in
            guard let type = known[column] else {
                throw StoreError.invalid("the source's table \(table) has a column \(column) the PostgreSQL schema lacks")
            }
            return type
        }
    }

    /// A copied table's rows read back in key order: their count and SHA-256.
    private static func readBack(
        _ link: PostgresSession, _ table: (name: String, key: String, columns: [String]), types: [String]
    ) throws -> (rows: Int, checksum: String) {
        var digest = RowDigest()
        var rows = 0
        let result = try link.query(
            PostgresQuery(
                unsafeSQL:
                    "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.key)"))
        for row in result {
            let cells = row.makeRandomAccess()
            digest.add(try (0..<table.columns.count).map { index in try storedValue(cells[index], type: types[index]) })
            rows += 1
        }
        return (rows, digest.hex)
    }

    private static func storedValue(_ cell: PostgresCell, type: String) throws -> StoredValue {
        guard cell.bytes != nil else { return .null }
        switch type {
        case "bigint", "integer", "smallint": return .integer(try cell.decode(Int64.self))
        case "boolean": return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case "bytea": return .blob(try cell.decode(Data.self))
        case "double precision": return .real(try cell.decode(Double.self))
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// A table's rows going into PostgreSQL in multi-row `INSERT`s, with the digest of what went in.
private struct TableWriter {
    let table: String
    let columns: [String]
    let types: [String]
    var rows = 0
    var digest = RowDigest()
    private var batch = PostgresBindings()
    private var batched = 0

    init(table: String, columns: [String], types: [String]) {
        (self.table, self.columns, self.types) = (table, columns, types)
    }

    /// Rows per statement: under PostgreSQL's 65,535 parameters.
    private var batchRows: Int { max(1, min(500, 65_535 / max(columns.count, 1))) }

    mutating func add(_ row: [StoredValue], _ link: PostgresSession) throws {
        var normalised: [StoredValue] = []
        for (index, value) in row.enumerated() {
            normalised.append(try bind(value, column: index))
        }
        digest.add(normalised)
        rows += 1
        batched += 1
        if batched >= batchRows { try flush(link) }
    }

    /// Binds one value as its column's type takes it; returns it as PostgreSQL will give it back.
    private mutating func bind(_ value: StoredValue, column index: Int) throws -> StoredValue {
        let type = types[index]
        switch (value, type) {
        case (.null, _):
            batch.appendNull()
        case (.integer(let n), "bigint"), (.integer(let n), "integer"), (.integer(let n), "smallint"):
            batch.append(n)
        case (.integer(let n), "boolean") where n == 0 || n == 1:
            batch.append(n == 1)
        case (.text(let text), "text"):
            batch.append(text)
        case (.blob(let data), "bytea"):
            try batch.append(data)
        case (.text(let text), "bytea"):
            try batch.append(Data(text.utf8))
            return .blob(Data(text.utf8))
        case (.real(let d), "double precision"):
            batch.append(d)
        default:
            throw StoreError.invalid(
                "table \(table), column \(columns[index]): the source holds \(value) where PostgreSQL takes \(type); nothing was copied")
        }
        return value
    }

    mutating func flush(_ link: PostgresSession) throws {
        guard batched > 0 else { return }
        var placeholders: [String] = []
        var parameter = 0
        for _ in 0..<batched {
            placeholders.append(
                "("
                    + columns.indices.map { _ in
                        parameter += 1; return "$\(parameter)"
                    }.joined(separator: ", ") + ")")
        }
        try link.execute(
            PostgresQuery(
                unsafeSQL: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders.joined(separator: ", "))",
                binds: batch))
        batch = PostgresBindings()
        batched = 0
    }
}

/// The SHA-256 of a sequence of rows, each value tagged with its kind and length.
private struct RowDigest {
    private var hasher = SHA256()

    mutating func add(_ row: [StoredValue]) {
        for value in row {
            switch value {
            case .null: field(0, [])
            case .integer(let n): field(1, withUnsafeBytes(of: n.bigEndian) { Array($0) })
            case .real(let d): field(2, withUnsafeBytes(of: d.bitPattern.bigEndian) { Array($0) })
            case .text(let s): field(3, Array(s.utf8))
            case .blob(let b): field(4, Array(b))
            }
        }
        hasher.update(data: [0xFF])
    }

    private mutating func field(_ tag: UInt8, _ bytes: [UInt8]) {
        hasher.update(data: [tag])
        hasher.update(data: withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { Array($0) })
        hasher.update(data: bytes)
    }

    var hex: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
}
