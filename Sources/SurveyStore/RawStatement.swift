import GRDB
import GRDBSQLite

/// Binding and stepping a prepared GRDB statement through the SQLite C API: about twice as
/// fast as `StatementArguments` for bulk inserts (swift-toolchain-notes.md §3).
struct RawStatement {
    let statement: Statement
    let handle: OpaquePointer
    let connection: OpaquePointer?

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ text: String) {
        sqlite3_bind_text(handle, index, text, -1, RawStatement.transient)
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds a text, or NULL.
    func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    /// Runs the bound statement to completion; returns the number of rows it changed.
    func step() throws -> Int {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        return Int(sqlite3_changes(connection))
    }
}
