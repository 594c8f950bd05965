import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

/// The central dataset on PostgreSQL: the second implementation of ``CentralDataset``, for a
/// coordinator's server (several `terep server` processes, analysts reading at once). The same
/// tables as the SQLite `CentralStore` (``PostgresSchema``), the same rules (SurveyStore's
/// `MergeEventCheck`, `InterviewDelta`, `DerivedInterview`, SurveyModel's `SequenceRanges`), and
/// the same store test suite.
///
/// Several processes may merge into one database at once: a merge locks its device's row first
/// (`SELECT … FOR UPDATE`) and then checks the bundle's hash, so the same bundle sent to two
/// processes at the same moment is merged by one and acknowledged as already merged by the
/// other; the (device, sequence) primary key keeps every event once whatever happens, and
/// interview rows are locked in id order, so two merges never wait on each other in a cycle.
public final class PostgresCentralStore: CentralDataset {
    /// The URL's parts (with the password, for reconnecting; ``location`` never shows it).
    public let place: PostgresLocation
    let session: PostgresSession
    public let isReadOnly: Bool
    /// The database, as `postgres://USER@HOST:PORT/DATABASE` (never a password).
    public var location: String { session.location }

    private init(place: PostgresLocation, session: PostgresSession, readOnly: Bool) {
        self.place = place
        self.session = session
        isReadOnly = readOnly
    }

    /// Creates a new central dataset in the URL's database and schema (the schema is made if
    /// missing), optionally with the coordinator's encryption key pair. Refuses a schema that
    /// already holds one.
    public static func initialize(
        url: String, encryptionKey: SigningKeyPair? = nil, createdAt: Int64 = DeviceStore.currentMilliseconds()
    ) throws(StoreError) -> PostgresCentralStore {
        let place = try PostgresLocation(url: url)
        let session = try PostgresSession.connect(place)
        try run(session) { link in
            try createSchema(link, place)
            try link.execute(
                """
                INSERT INTO coordinator (singleton, created_at, encryption_private_key, encryption_public_key)
                VALUES (1, \(createdAt), \(encryptionKey?.privateKey), \(encryptionKey?.publicKey))
                """)
        }
        return PostgresCentralStore(place: place, session: session, readOnly: false)
    }

    /// Opens an existing central dataset, applying any pending schema migrations (unless
    /// read-only: then a pending one is refused).
    public static func open(url: String, readOnly: Bool = false) throws(StoreError) -> PostgresCentralStore {
        let place = try PostgresLocation(url: url)
        let session = try PostgresSession.connect(place)
        let shown = session.location
        let applied = try session.withLock { () throws(StoreError) -> [String] in
            guard try session.query("SELECT to_regclass('terep_migration') IS NOT NULL").scalar(Bool.self) == true else {
                if try session.query("SELECT to_regclass('coordinator') IS NOT NULL").scalar(Bool.self) == true {
                    throw .notATerepDatabase(path: shown, detail: "it has no terep_migration table")
                }
                throw .notFound(path: shown)
            }
            return try session.query("SELECT name FROM terep_migration").column(String.self)
        }
        let known = Set(PostgresSchema.migrations.map(\.name))
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw .schemaTooNew(path: shown, unknownMigrations: unknown) }
        if applied.count < known.count {
            guard !readOnly else {
                throw .readOnly(path: shown, detail: "schema steps are pending; open it once with write access to apply them")
            }
            try run(session) { link in
                try link.execute("SELECT pg_advisory_xact_lock(hashtext('terep ' || \(place.schema)))")
                try migrate(link, applied: Set(try link.query("SELECT name FROM terep_migration").column(String.self)))
            }
        }
        if readOnly {
            try session.withLock { () throws(StoreError) in try session.setEveryConnection("SET default_transaction_read_only = on") }
        }
        return PostgresCentralStore(place: place, session: session, readOnly: readOnly)
    }

    /// Makes the URL's schema (if missing) and the dataset's tables in it, inside the caller's
    /// transaction; refuses a schema that already holds a dataset.
    static func createSchema(_ link: PostgresSession, _ place: PostgresLocation) throws {
        try link.execute("CREATE SCHEMA IF NOT EXISTS \(unescaped: place.schema)")
        try link.execute("SELECT pg_advisory_xact_lock(hashtext('terep ' || \(place.schema)))")
        if try link.query("SELECT to_regclass('terep_migration') IS NOT NULL OR to_regclass('coordinator') IS NOT NULL")
            .scalar(Bool.self) == true
        {
            throw StoreError.alreadyInitialized(path: link.location)
        }
        try migrate(link, applied: [])
    }

    private static func migrate(_ link: PostgresSession, applied: Set<String>) throws {
        try link.execute(PostgresQuery(unsafeSQL: PostgresSchema.bookkeeping))
        for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
            for statement in migration.statements { try link.execute(PostgresQuery(unsafeSQL: statement)) }
            try link.execute("INSERT INTO terep_migration (name) VALUES (\(migration.name))")
        }
    }

    /// Runs `body` in one transaction, with every error as a ``StoreError``.
    static func run<T>(_ session: PostgresSession, readOnly: Bool = false, _ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        do { return try session.transaction(readOnly: readOnly, body) } catch {
            throw PostgresSession.storeError(error, location: session.location)
        }
    }

    func write<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        guard !isReadOnly else { throw .readOnly(path: location, detail: "opened read-only") }
        return try Self.run(session, body)
    }

    func read<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try Self.run(session, readOnly: true, body)
    }

    /// Fails when nothing could be written: starts a write and rolls it back.
    public func checkWritable() throws(StoreError) {
        guard !isReadOnly else { throw .readOnly(path: location, detail: "opened read-only") }
        do {
            try session.withLock {
                try session.execute("BEGIN")
                defer { try? session.execute("ROLLBACK") }
                try session.execute("UPDATE coordinator SET singleton = singleton WHERE false")
                try session.execute("LOCK TABLE event IN ROW EXCLUSIVE MODE NOWAIT")
            }
        } catch { throw PostgresSession.storeError(error, location: location) }
    }

    // MARK: - The coordinator's key

    public func encryptionKey() throws(StoreError) -> SigningKeyPair? {
        try read { link in
            let rows = try link.query("SELECT encryption_private_key, encryption_public_key FROM coordinator")
                .all((Data?, Data?).self)
            guard let (privateKey, publicKey) = rows.first, let privateKey, let publicKey else { return nil }
            return SigningKeyPair(privateKey: privateKey, publicKey: publicKey)
        }
    }

    public func resealEncryptionKey(from current: Data, to stored: Data) throws(StoreError) {
        guard !stored.isEmpty else { throw .invalid("an empty key was given") }
        try write { link in
            let changed = try link.query(
                "UPDATE coordinator SET encryption_private_key = \(stored) WHERE encryption_private_key = \(current)"
            ).metadata.rows
            guard changed == 1 else {
                throw StoreError.invalid("the stored key changed meanwhile (another terep?); nothing was replaced")
            }
        }
    }

    public func signingKey() throws(StoreError) -> SigningKeyPair? {
        try read { link in
            let rows = try link.query("SELECT signing_private_key, signing_public_key FROM coordinator").all((Data?, Data?).self)
            guard let (privateKey, publicKey) = rows.first, let privateKey, let publicKey else { return nil }
            return SigningKeyPair(privateKey: privateKey, publicKey: publicKey)
        }
    }

    public func setSigningKey(_ pair: SigningKeyPair) throws(StoreError) {
        guard !pair.privateKey.isEmpty, !pair.publicKey.isEmpty else { throw .invalid("an empty signing key was given") }
        try write { link in
            let changed = try link.query(
                """
                UPDATE coordinator SET signing_private_key = \(pair.privateKey), signing_public_key = \(pair.publicKey)
                WHERE signing_private_key IS NULL
                """
            ).metadata.rows
            guard changed == 1 else {
                throw StoreError.invalid("the central dataset already has a signing key; keys are never replaced")
            }
        }
    }

    public func setEncryptionKey(_ key: Data, device: DeviceID, at time: Int64) throws(StoreError) {
        guard key.count == 32 else { throw .invalid("device \(device): an encryption key is 32 bytes, found \(key.count)") }
        try write { link in
            let changed = try link.query(
                "UPDATE device SET encryption_public_key = \(key) WHERE device_id = \(device.rawValue)"
            ).metadata.rows
            guard changed == 1 else { throw StoreError.deviceNotRegistered(device) }
            try Self.log(link, device, action: "encryption key set", at: time, detail: nil)
        }
    }

    // MARK: - Devices

    @discardableResult
    public func registerDevice(
        _ id: DeviceID, publicKey: Data, method: RegistrationMethod, note: String?, at time: Int64
    ) throws(StoreError) -> RegisteredDevice {
        guard !publicKey.isEmpty else { throw .invalid("device \(id): the public key is empty") }
        return try write { link in try Self.insertDevice(link, id, publicKey: publicKey, method: method, note: note, at: time) }
    }

    /// Registers a device inside a transaction; the same key again changes nothing, another
    /// key is refused. Safe against a concurrent registration of the same id.
    static func insertDevice(
        _ link: PostgresSession, _ id: DeviceID, publicKey: Data, method: RegistrationMethod, note: String?, at time: Int64
    ) throws -> RegisteredDevice {
        let inserted =
            try link.query(
                """
                INSERT INTO device (device_id, public_key, status, registered_at, registered_how, note)
                VALUES (\(id.rawValue), \(publicKey), 'active', \(time), \(method.rawValue), \(note))
                ON CONFLICT (device_id) DO NOTHING RETURNING device_id
                """
            ).scalar(String.self) != nil
        guard let device = try fetchDevice(link, id) else { throw StoreError.deviceNotRegistered(id) }
        if inserted {
            try log(link, id, action: "registered (\(method.rawValue))", at: time, detail: note)
        } else if device.publicKey != publicKey {
            throw StoreError.invalid(
                "device \(id) is already registered with a different public key; a device id belongs to one laptop")
        }
        return device
    }

    public func revokeDevice(_ id: DeviceID, at time: Int64) throws(StoreError) {
        try write { link in
            try link.execute(
                "UPDATE device SET status = 'revoked', revoked_at = \(time) WHERE device_id = \(id.rawValue) AND status = 'active'")
            guard try Self.fetchDevice(link, id) != nil else { throw StoreError.deviceNotRegistered(id) }
            try Self.log(link, id, action: "revoked", at: time, detail: nil)
        }
    }

    static func log(_ link: PostgresSession, _ id: DeviceID, action: String, at time: Int64, detail: String?) throws {
        try link.execute(
            "INSERT INTO registration_log (device_id, action, at, detail) VALUES (\(id.rawValue), \(action), \(time), \(detail))")
    }

    public func device(_ id: DeviceID) throws(StoreError) -> RegisteredDevice? {
        try read { link in try Self.fetchDevice(link, id) }
    }

    public func devices() throws(StoreError) -> [RegisteredDevice] {
        try read { link in try Self.devices(link.query("SELECT \(unescaped: Self.deviceColumns) FROM device ORDER BY device_id")) }
    }

    static let deviceColumns = "device_id, public_key, status, registered_at, registered_how, revoked_at, note"

    static func fetchDevice(_ link: PostgresSession, _ id: DeviceID, forUpdate: Bool = false) throws(StoreError) -> RegisteredDevice? {
        try devices(
            link.query(
                "SELECT \(unescaped: deviceColumns) FROM device WHERE device_id = \(id.rawValue) \(unescaped: forUpdate ? "FOR UPDATE" : "")"
            )
        ).first
    }

    private static func devices(_ result: PostgresQueryResult) throws(StoreError) -> [RegisteredDevice] {
        try result.all((String, Data, String, Int64, String, Int64?, String?).self).map { row in
            RegisteredDevice(
                id: DeviceID(row.0), publicKey: row.1, status: RegistrationStatus(rawValue: row.2) ?? .revoked, registeredAt: row.3,
                method: RegistrationMethod(rawValue: row.4) ?? .explicit, revokedAt: row.5, note: row.6)
        }
    }

    // MARK: - Bundles

    public func recordRejected(hash: String, fileName: String, device: DeviceID?, reason: String, at time: Int64) throws(StoreError) {
        try write { link in
            try link.execute(
                """
                INSERT INTO bundle (hash, file_name, device_id, status, reason, received_at)
                VALUES (\(hash), \(fileName), \(device?.rawValue), 'rejected', \(reason), \(time))
                ON CONFLICT (hash) DO UPDATE SET file_name = excluded.file_name, reason = excluded.reason,
                    received_at = excluded.received_at
                WHERE bundle.status = 'rejected'
                """)
        }
    }

    public func bundle(hash: String) throws(StoreError) -> BundleRecord? {
        try read { link in try Self.bundles(link.query("SELECT \(unescaped: Self.bundleColumns) FROM bundle WHERE hash = \(hash)")).first }
    }

    public func bundles() throws(StoreError) -> [BundleRecord] {
        try read { link in
            try Self.bundles(link.query("SELECT \(unescaped: Self.bundleColumns) FROM bundle ORDER BY received_at DESC, hash"))
        }
    }

    static let bundleColumns =
        "hash, file_name, device_id, first_sequence, last_sequence, event_count, new_events, status, reason, received_at"

    static func bundles(_ result: PostgresQueryResult) throws(StoreError) -> [BundleRecord] {
        try result.all((String, String, String?, Int64?, Int64?, Int, Int, String, String?, Int64).self).map { row in
            BundleRecord(
                hash: row.0, fileName: row.1, device: row.2.map(DeviceID.init), firstSequence: row.3, lastSequence: row.4,
                eventCount: row.5, newEvents: row.6, accepted: row.7 == "accepted", reason: row.8, receivedAt: row.9)
        }
    }

    // MARK: - Definitions

    public func definitionData(hash: DefinitionHash) throws(StoreError) -> Data? {
        try read { link in try link.query("SELECT compiled_json FROM definition WHERE hash = \(hash.rawValue)").scalar(Data.self) }
    }

    public func definitionHashes() throws(StoreError) -> [DefinitionHash] {
        try read { link in try link.query("SELECT hash FROM definition ORDER BY hash").column(String.self).map(DefinitionHash.init) }
    }

    /// Stores a definition (a known hash changes nothing); whether it was new.
    static func insertDefinition(_ link: PostgresSession, _ file: DefinitionFile) throws -> Bool {
        let definition = file.survey.definition
        return try link.query(
            """
            INSERT INTO definition (hash, survey_id, version, complete_code, compiled_json)
            VALUES (\(file.survey.hash.rawValue), \(definition.id.rawValue), \(definition.version),
                \(definition.outcome?.completeCode), \(file.bytes))
            ON CONFLICT (hash) DO NOTHING RETURNING hash
            """
        ).scalar(String.self) != nil
    }

    /// Every table derived from merged data, row by row as JSON in a fixed order: two datasets
    /// with the same events give the same dump.
    public func canonicalDump() throws(StoreError) -> String {
        try read { link in
            var lines: [String] = []
            for (table, order) in CentralTables.derived {
                for text in try link.query("SELECT row_to_json(t)::text FROM \(unescaped: table) t ORDER BY \(unescaped: order)")
                    .column(String.self)
                {
                    lines.append("\(table) \(text)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
