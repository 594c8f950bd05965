import Foundation
import GRDB
import SurveyModel

/// The coordinator's central dataset: registered devices, every merged event keyed by
/// (device, sequence), the definitions they refer to, interviews derived from the events,
/// the sequence ranges received per device, and a log of bundles received.
///
/// The SQLite implementation of ``CentralDataset`` (one file, through GRDB). Merging is
/// idempotent and order-independent: everything but the bundle log is a function of the set of
/// merged events (see ``apply(events:definitions:bundle:interviewDefinitions:registering:)``).
public final class CentralStore: CentralDataset {
    /// The database file (`:memory:` for an in-memory dataset).
    public let path: String
    let queue: DatabaseQueue
    /// The database file (``path``).
    public var location: String { path }

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    /// Creates a new central dataset, optionally with the coordinator's encryption key pair.
    public static func initialize(
        path: String, encryptionKey: SigningKeyPair? = nil, createdAt: Int64 = DeviceStore.currentMilliseconds()
    ) throws(StoreError) -> CentralStore {
        let queue = try DatabaseFile.create(path: path, kind: .central, migrator: CentralSchema.migrator)
        let store = CentralStore(path: path, queue: queue)
        try store.insertCoordinator(encryptionKey: encryptionKey, createdAt: createdAt)
        return store
    }

    /// Opens an existing central dataset, applying any pending schema migrations.
    public static func open(path: String, readOnly: Bool = false) throws(StoreError) -> CentralStore {
        let queue = try DatabaseFile.open(path: path, kind: .central, migrator: CentralSchema.migrator, readOnly: readOnly)
        return CentralStore(path: path, queue: queue)
    }

    /// A private in-memory central dataset (tests).
    public static func inMemory() throws(StoreError) -> CentralStore {
        let store = CentralStore(path: ":memory:", queue: try DatabaseFile.inMemory(kind: .central, migrator: CentralSchema.migrator))
        try store.insertCoordinator(encryptionKey: nil, createdAt: DeviceStore.currentMilliseconds())
        return store
    }

    /// A private in-memory copy of this dataset, page for page (SQLite's online backup): a
    /// template migrated once instead of every migration run again for every copy. With
    /// `allowingRollback`, its connection may keep a transaction open between calls, for
    /// ``rollingBack(_:)`` (a fuzz target's one dataset, reset after every input).
    public func inMemoryCopy(allowingRollback: Bool = false) throws(StoreError) -> CentralStore {
        do {
            var configuration = DatabaseFile.configuration(readOnly: false, inMemory: true)
            configuration.allowsUnsafeTransactions = allowingRollback
            let copy = try DatabaseQueue(configuration: configuration)
            try queue.backup(to: copy)
            return CentralStore(path: ":memory:", queue: copy)
        } catch {
            throw StoreError(error, path: ":memory:")
        }
    }

    /// Runs `body` inside a transaction that is rolled back afterwards: whatever `body` did
    /// through this store (merges, a refusal's log entry: each write a savepoint of that
    /// transaction, its reads seeing them), the dataset is then exactly as it was, as SQLite's
    /// rollback makes it. What FuzzMerge resets its one dataset with after every input, instead
    /// of a new copy (a new connection, its schema parsed and its statements prepared again).
    /// Only on a copy made with `allowingRollback` (else throws ``StoreError/invalid(_:)``).
    /// Throws ``StoreError`` when `body` ended the transaction itself (an error that rolls back
    /// a whole transaction): what it wrote after that was committed, and the dataset is not
    /// reset. Otherwise returns or rethrows what `body` did.
    public func rollingBack<T>(_ body: () throws -> T) throws -> T {
        guard queue.configuration.allowsUnsafeTransactions else {
            throw StoreError.invalid("only a copy made with allowingRollback can be rolled back")
        }
        do { try queue.writeWithoutTransaction { db in try db.beginTransaction(.deferred) } } catch { throw storeError(error) }
        let result = Result { try body() }
        let intact: Bool
        do {
            intact = try queue.writeWithoutTransaction { db in
                guard db.isInsideTransaction else { return false }
                try db.rollback()
                return true
            }
        } catch { throw storeError(error) }
        guard intact else { throw StoreError.invalid("the transaction to roll back was ended inside it: the dataset is not reset") }
        return try result.get()
    }

    private func insertCoordinator(encryptionKey: SigningKeyPair?, createdAt: Int64) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO coordinator (singleton, created_at, encryption_private_key, encryption_public_key)
                    VALUES (1, ?, ?, ?)
                    """,
                arguments: [createdAt, encryptionKey?.privateKey, encryptionKey?.publicKey])
        }
    }

    /// Fails with ``StoreError/readOnly(path:detail:)`` (or another store error) when nothing
    /// could be written to the dataset: starts a write and rolls it back, changing nothing.
    public func checkWritable() throws(StoreError) {
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "UPDATE coordinator SET singleton = singleton WHERE 0")
                    return .rollback
                }
            }
        } catch { throw StoreError(error, path: path) }
    }

    /// One transaction, as `DatabaseQueue.write` opens it; inside ``rollingBack(_:)``'s, a
    /// savepoint of that one (the same rules: all of `body` or nothing).
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inSavepoint {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.invalid("a write returned nothing") }
                return result
            }
        } catch { throw StoreError(error, path: path) }
    }

    /// One read (``DatabaseFile/read(_:path:kind:_:)``: cached statements stay prepared).
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try DatabaseFile.read(queue, path: path, kind: .central, body)
    }

    /// The coordinator's encryption key pair (X25519 raw bytes), if one was stored at init.
    public func encryptionKey() throws(StoreError) -> SigningKeyPair? {
        try read { db in try KeyPairColumns.coordinatorEncryption.fetch(in: db) }
    }

    /// Replaces how the coordinator's private key is stored (plain or sealed with a
    /// passphrase), only while it is still stored as `current`; see ``DeviceStore/resealSigningKey(from:to:)``.
    public func resealEncryptionKey(from current: Data, to stored: Data) throws(StoreError) {
        guard !stored.isEmpty else { throw .invalid("an empty key was given") }
        try DatabaseFile.replaceSecret(
            in: queue, path: path, sql: "UPDATE coordinator SET encryption_private_key = ? WHERE encryption_private_key = ?",
            new: stored, current: current)
    }

    // MARK: - Devices

    /// Registers a device with its public signing key; registering the same key again does nothing.
    @discardableResult
    public func registerDevice(
        _ id: DeviceID, publicKey: Data, method: RegistrationMethod, note: String?, at time: Int64
    ) throws(StoreError) -> RegisteredDevice {
        guard !publicKey.isEmpty else { throw .invalid("device \(id): the public key is empty") }
        return try write { db in
            try insertDevice(db, id, publicKey: publicKey, method: method, note: note, at: time)
        }
    }

    /// Registers a device inside a write (see ``registerDevice(_:publicKey:method:note:at:)``).
    func insertDevice(
        _ db: Database, _ id: DeviceID, publicKey: Data, method: RegistrationMethod, note: String?, at time: Int64
    ) throws -> RegisteredDevice {
        if let existing = try fetchDevice(db, id) {
            guard existing.publicKey == publicKey else {
                throw StoreError.invalid(
                    "device \(id) is already registered with a different public key; a device id belongs to one laptop")
            }
            return existing
        }
        try db.execute(
            sql: """
                INSERT INTO device (device_id, public_key, status, registered_at, registered_how, note)
                VALUES (?, ?, 'active', ?, ?, ?)
                """,
            arguments: [id.rawValue, publicKey, time, method.rawValue, note])
        try log(db, id, action: "registered (\(method.rawValue))", at: time, detail: note)
        guard let device = try fetchDevice(db, id) else { throw StoreError.deviceNotRegistered(id) }
        return device
    }

    /// Revokes a device: its bundles are rejected from now on; its merged events stay.
    public func revokeDevice(_ id: DeviceID, at time: Int64) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE device SET status = 'revoked', revoked_at = ? WHERE device_id = ? AND status = 'active'",
                arguments: [time, id.rawValue])
            guard try fetchDevice(db, id) != nil else { throw StoreError.deviceNotRegistered(id) }
            try log(db, id, action: "revoked", at: time, detail: nil)
        }
    }

    func log(_ db: Database, _ id: DeviceID, action: String, at time: Int64, detail: String?) throws {
        try db.execute(
            sql: "INSERT INTO registration_log (device_id, action, at, detail) VALUES (?, ?, ?, ?)",
            arguments: [id.rawValue, action, time, detail])
    }

    /// A registered device, if known.
    public func device(_ id: DeviceID) throws(StoreError) -> RegisteredDevice? {
        try read { db in try fetchDevice(db, id) }
    }

    /// All registered devices, by id.
    public func devices() throws(StoreError) -> [RegisteredDevice] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM device ORDER BY device_id").map(CentralStore.device(from:)) }
    }

    func fetchDevice(_ db: Database, _ id: DeviceID) throws -> RegisteredDevice? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM device WHERE device_id = ?"), arguments: [id.rawValue])
            .map(CentralStore.device(from:))
    }

    /// Stores a definition (every version is kept; a known hash changes nothing). Returns whether
    /// it was new. The one insert of a definition row, for merges and for publishing.
    @discardableResult
    static func insertDefinition(_ db: Database, _ file: DefinitionFile) throws -> Bool {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO definition (hash, survey_id, version, complete_code, compiled_json)
                VALUES (?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                file.survey.hash.rawValue, file.survey.definition.id.rawValue, file.survey.definition.version,
                file.survey.definition.outcome?.completeCode, file.bytes,
            ])
        return db.changesCount > 0
    }

    private static func device(from row: Row) throws(StoreError) -> RegisteredDevice {
        RegisteredDevice(
            id: DeviceID(row["device_id"] as String), publicKey: row["public_key"],
            status: try StoredWord.decode(row["status"], as: RegistrationStatus.self, what: "device registration status"),
            registeredAt: row["registered_at"],
            method: try StoredWord.decode(row["registered_how"], as: RegistrationMethod.self, what: "device registration method"),
            revokedAt: row["revoked_at"],
            note: row["note"])
    }

    // MARK: - Rejections

    /// Logs a bundle that was rejected (bad signature, unknown device…); an accepted bundle
    /// with the same hash stays accepted.
    public func recordRejected(
        hash: String, fileName: String, device: DeviceID?, reason: String, at time: Int64
    ) throws(StoreError) {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO bundle (hash, file_name, device_id, status, reason, received_at)
                    VALUES (?, ?, ?, 'rejected', ?, ?)
                    ON CONFLICT (hash) DO UPDATE SET file_name = excluded.file_name, reason = excluded.reason,
                        received_at = excluded.received_at
                    WHERE status = 'rejected'
                    """
            ).execute(arguments: [hash, fileName, device?.rawValue, reason, time])
        }
    }

    /// The bundle with this hash in the receipt log, if any.
    public func bundle(hash: String) throws(StoreError) -> BundleRecord? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM bundle WHERE hash = ?"), arguments: [hash])
                .map(CentralStore.bundle(from:))
        }
    }

    static func bundle(from row: Row) -> BundleRecord {
        BundleRecord(
            hash: row["hash"], fileName: row["file_name"], device: (row["device_id"] as String?).map(DeviceID.init),
            firstSequence: row["first_sequence"], lastSequence: row["last_sequence"], eventCount: row["event_count"],
            newEvents: row["new_events"], accepted: (row["status"] as String) == "accepted", reason: row["reason"],
            receivedAt: row["received_at"])
    }

    // MARK: - Definitions

    /// The exact stored bytes of a definition, if merged.
    public func definitionData(hash: DefinitionHash) throws(StoreError) -> Data? {
        try read { db in try Data.fetchOne(db, sql: "SELECT compiled_json FROM definition WHERE hash = ?", arguments: [hash.rawValue]) }
    }

    /// The hashes of all merged definitions, sorted.
    public func definitionHashes() throws(StoreError) -> [DefinitionHash] {
        try read { db in try String.fetchAll(db, sql: "SELECT hash FROM definition ORDER BY hash").map(DefinitionHash.init) }
    }

    /// Every table that is derived from merged data (all but the bundle and registration logs),
    /// as sorted text lines: two datasets with the same events give the same dump.
    public func canonicalDump() throws(StoreError) -> String {
        try read { db in
            var lines: [String] = []
            for (table, order) in CentralTables.derived {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)") {
                    lines.append("\(table) \(row.description)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
