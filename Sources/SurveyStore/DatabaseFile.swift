import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The two kinds of terep database; each stamps its own SQLite `application_id` in the file
/// header, so a device store is never opened as a central dataset or the other way round.
enum DatabaseKind: Int32, Sendable {
    /// "trpd": a device store.
    case device = 0x7472_7064
    /// "trpc": the central dataset.
    case central = 0x7472_7063

    var name: String {
        switch self {
        case .device: "device database"
        case .central: "central dataset"
        }
    }
}

/// Opening and creating database files with terep's settings: WAL, `synchronous=FULL`,
/// foreign keys, a busy timeout, and owner-only file permissions (0600).
enum DatabaseFile {
    /// One read transaction (deferred: a consistent snapshot, no write lock), or inside the
    /// transaction already open; the store's one way to read. A `body` that changed a row is
    /// refused (and its own transaction rolled back).
    ///
    /// Not `DatabaseQueue.read`: GRDB makes its reads read-only with `PRAGMA query_only` on and
    /// off around each, and SQLite expires every prepared statement of the connection at a flag
    /// pragma, so after every read each cached statement was prepared again (FuzzMerge's profile:
    /// a quarter of an execution in `sqlite3Reprepare`; the device's commit path likewise).
    static func read<T>(
        _ queue: DatabaseQueue, path: String, kind: DatabaseKind, _ body: (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                let changes = db.totalChangesCount
                var result: T?
                if db.isInsideTransaction {
                    result = try body(db)
                } else {
                    try db.inTransaction(.deferred) {
                        result = try body(db)
                        return db.totalChangesCount == changes ? .commit : .rollback
                    }
                }
                guard db.totalChangesCount == changes, let result else {
                    throw StoreError.invalid("a read of the \(kind.name) changed it (rolled back)")
                }
                return result
            }
        } catch { throw StoreError(error, path: path) }
    }

    /// The connection settings every terep database uses.
    static func configuration(readOnly: Bool, inMemory: Bool = false) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        // WAL is set here rather than with `journalMode = .wal`, which would lower
        // `synchronous` to NORMAL after this runs.
        let wal = !readOnly && !inMemory
        config.prepareDatabase { db in
            if wal { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return config
    }

    /// Creates a private in-memory database of the given kind (tests and dry runs).
    static func inMemory(kind: DatabaseKind, migrator: DatabaseMigrator) throws(StoreError) -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(configuration: configuration(readOnly: false, inMemory: true))
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(kind.rawValue)")
            }
            try migrator.migrate(queue)
            return queue
        } catch {
            throw StoreError(error, path: ":memory:")
        }
    }

    /// Creates a new database file (and its folder) and migrates it to the current schema.
    ///
    /// Fails with ``StoreError/alreadyInitialized(path:)`` when a non-empty file is already there.
    static func create(
        path: String, kind: DatabaseKind, migrator: DatabaseMigrator
    ) throws(StoreError) -> DatabaseQueue {
        let manager = FileManager.default
        if let size = (try? manager.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            throw .alreadyInitialized(path: path)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !manager.fileExists(atPath: folder) {
            do {
                try manager.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .cannotOpen(path: path, detail: "cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
        let fd = Glibc.open(path, O_CREAT | O_WRONLY, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw errno == EROFS || errno == EACCES
                ? .readOnly(path: path, detail: reason) : .cannotOpen(path: path, detail: reason)
        }
        fchmod(fd, 0o600)
        close(fd)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false))
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(kind.rawValue)")
            }
            try migrator.migrate(queue)
        } catch {
            throw StoreError(error, path: path)
        }
        restrictPermissions(path: path)
        return queue
    }

    /// Opens an existing database of the given kind and applies any pending migrations.
    static func open(
        path: String, kind: DatabaseKind, migrator: DatabaseMigrator, readOnly: Bool
    ) throws(StoreError) -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path: path) }
        try checkAccess(path: path, write: !readOnly)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: readOnly))
            try queue.read { db in try check(db, path: path, kind: kind, migrator: migrator) }
            if !readOnly { try migrator.migrate(queue) }
        } catch {
            throw StoreError(error, path: path)
        }
        if !readOnly { restrictPermissions(path: path) }
        return queue
    }

    /// Refuses, with who may, a file this user may not read (or, with `write`, not write):
    /// SQLite would only say it cannot open it, or open it read-only and fail at the first write.
    private static func checkAccess(path: String, write: Bool) throws(StoreError) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let owner = "owner uid \(info.st_uid), mode \(String(info.st_mode & 0o777, radix: 8)), this user uid \(getuid())"
        if access(path, R_OK) != 0, errno == EACCES { throw .accessDenied(path: path, detail: "it is not readable: \(owner)") }
        if write, access(path, W_OK) != 0 {
            throw errno == EROFS
                ? .readOnly(path: path, detail: "the disk is mounted read-only")
                : .readOnly(path: path, detail: "the file is not writable: \(owner)")
        }
    }

    /// Verifies the file's application id and that no migration is unknown to this program.
    private static func check(
        _ db: Database, path: String, kind: DatabaseKind, migrator: DatabaseMigrator
    ) throws(StoreError) {
        do {
            let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            guard id == kind.rawValue else {
                let other: DatabaseKind = kind == .device ? .central : .device
                if id == other.rawValue {
                    throw StoreError.notATerepDatabase(path: path, detail: "it is a \(other.name), not a \(kind.name)")
                }
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                let detail = tables == 0 ? "it is an empty database; initialise it first" : "it is some other SQLite database"
                throw StoreError.notATerepDatabase(path: path, detail: detail)
            }
            if try migrator.hasBeenSuperseded(db) {
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
                throw StoreError.schemaTooNew(path: path, unknownMigrations: Array(unknown))
            }
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// Runs `sql` (an UPDATE binding `new`, then `current`) that must change exactly one row
    /// holding a secret, so that the old bytes do not stay behind: `secure_delete` overwrites
    /// freed space in the file and the write-ahead log is checkpointed and truncated. (What a
    /// disk keeps of blocks it once held is beyond any file: docs/security.md.)
    static func replaceSecret(in queue: DatabaseQueue, path: String, sql: String, new: Data, current: Data) throws(StoreError) {
        do {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try db.inTransaction {
                    try db.execute(sql: sql, arguments: [new, current])
                    guard db.changesCount == 1 else {
                        throw StoreError.invalid("the stored key changed meanwhile (another terep?); nothing was replaced")
                    }
                    return .commit
                }
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch { throw StoreError(error, path: path) }
    }

    /// Makes the database and its WAL/shared-memory files readable by their owner only.
    static func restrictPermissions(path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            chmod(path + suffix, 0o600)
        }
    }
}
