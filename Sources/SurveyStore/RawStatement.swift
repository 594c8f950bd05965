import GRDB
import GRDBSQLite

/// Binding and stepping a prepared GRDB statement through the SQLite C API: about twice as
/// fast as `StatementArguments` for bulk inserts (swift-toolchain-notes.md §3).
struct RawStatement {
    let statement: Statement
    let handle: OpaquePointer
    let connection: OpaquePointer?

    init(_ db: Database, sql: String) throws {
        self.init(try db.makeStatement(sql: sql), db)
    }

    /// The connection's cached statement for `sql` (`cachedStatement`: prepared once per
    /// connection); it is reset after every step, and every parameter is bound before each.
    init(cached db: Database, sql: String) throws {
        self.init(try db.cachedStatement(sql: sql), db)
    }

    private init(_ statement: Statement, _ db: Database) {
        self.statement = statement
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ text: String) {
        // withCString: a short (inline) string is made a C string on the stack; passing the
        // String as the argument made an array of it on the heap for every bind.
        _ = text.withCString { sqlite3_bind_text(handle, index, $0, -1, RawStatement.transient) }
    }

    /// Binds UTF-8 text given as bytes (no NUL inside), e.g. a slice of a buffer of texts, in
    /// place (SQLITE_STATIC: not copied). The bytes must stay unchanged until the statement is
    /// bound again or its bindings cleared (``clearBindings()``).
    func bind(_ index: Int32, inPlace utf8: UnsafeBufferPointer<UInt8>) {
        // A nil address would bind NULL: an empty text binds a zero-length one instead.
        guard let base = utf8.baseAddress else { return bind(index, "") }
        base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
            _ = sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(utf8.count), nil, UInt8(SQLITE_UTF8))  // nil: SQLITE_STATIC
        }
    }

    /// Unbinds every parameter (NULL), so that nothing bound in place is kept.
    func clearBindings() { sqlite3_clear_bindings(handle) }

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
