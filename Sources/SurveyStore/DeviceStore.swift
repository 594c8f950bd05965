import Foundation
import GRDB
import SurveyModel

/// One field device's database: its identity, the compiled definitions it runs, its interviews,
/// and the append-only log of their events.
///
/// Every write is one SQLite transaction in WAL mode with `synchronous=FULL`: when a method
/// returns, what it wrote survives a crash or power loss. Events are never updated or deleted
/// (triggers refuse it); interview state is derived from them in the same transaction.
public final class DeviceStore: Sendable {
    /// The database file (`:memory:` for an in-memory store).
    public let path: String
    public let deviceID: DeviceID
    /// The interviewer recorded on every event of this device.
    public let interviewer: String
    let queue: DatabaseQueue

    private init(path: String, queue: DatabaseQueue) throws(StoreError) {
        self.path = path
        self.queue = queue
        let row: Row?
        do {
            row = try queue.read { db in try Row.fetchOne(db, sql: "SELECT device_id, interviewer FROM device") }
        } catch {
            throw StoreError(error, path: path)
        }
        guard let row else {
            throw .notATerepDatabase(path: path, detail: "the device was never initialised; run terep device init")
        }
        self.deviceID = DeviceID(row["device_id"] as String)
        self.interviewer = row["interviewer"]
    }

    // MARK: - Opening

    /// The device database path: `$TEREP_DEVICE_DB`, else `$XDG_DATA_HOME/terep/device.sqlite`,
    /// else `~/.local/share/terep/device.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["TEREP_DEVICE_DB"], !explicit.isEmpty { return explicit }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/terep/device.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/terep/device.sqlite"
    }

    /// Creates a new device database (and its folder) for a device and its interviewer, with its
    /// signing key pair written in the same transaction as the device row when one is given.
    public static func initialize(
        path: String, deviceID: DeviceID, interviewer: String, signingKey: SigningKeyPair? = nil,
        createdAt: Int64 = currentMilliseconds()
    ) throws(StoreError) -> DeviceStore {
        try validate(deviceID: deviceID, interviewer: interviewer)
        if let signingKey, signingKey.privateKey.isEmpty || signingKey.publicKey.isEmpty {
            throw .invalid("an empty signing key was given")
        }
        let queue = try DatabaseFile.create(path: path, kind: .device, migrator: DeviceSchema.migrator)
        try insertDevice(
            queue, path: path, deviceID: deviceID, interviewer: interviewer, signingKey: signingKey, createdAt: createdAt)
        return try DeviceStore(path: path, queue: queue)
    }

    /// Opens an existing device database, applying any pending schema migrations.
    public static func open(path: String, readOnly: Bool = false) throws(StoreError) -> DeviceStore {
        let queue = try DatabaseFile.open(path: path, kind: .device, migrator: DeviceSchema.migrator, readOnly: readOnly)
        let store = try DeviceStore(path: path, queue: queue)
        // Visits kept under an older rule are derived again (a read-only open shows them as kept).
        if !readOnly, try store.read({ db in try VisitRows.isStale(db) }) { try store.write { db in try VisitRows.refresh(db) } }
        return store
    }

    /// A private in-memory device store (tests, dry runs); it vanishes when released.
    public static func inMemory(deviceID: DeviceID, interviewer: String) throws(StoreError) -> DeviceStore {
        try validate(deviceID: deviceID, interviewer: interviewer)
        let queue = try DatabaseFile.inMemory(kind: .device, migrator: DeviceSchema.migrator)
        try insertDevice(
            queue, path: ":memory:", deviceID: deviceID, interviewer: interviewer, signingKey: nil, createdAt: currentMilliseconds())
        return try DeviceStore(path: ":memory:", queue: queue)
    }

    /// Milliseconds since 1970 from the system clock.
    public static func currentMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    private static func validate(deviceID: DeviceID, interviewer: String) throws(StoreError) {
        let id = deviceID.rawValue
        guard !id.isEmpty, id.count <= 64,
            id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else {
            throw .invalid("invalid device id '\(id)': use 1–64 letters, digits, '-', '_' or '.' (e.g. laptop-07)")
        }
        guard !interviewer.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid("the interviewer name is empty; give the fieldworker's name or code")
        }
    }

    private static func insertDevice(
        _ queue: DatabaseQueue, path: String, deviceID: DeviceID, interviewer: String, signingKey: SigningKeyPair?,
        createdAt: Int64
    ) throws(StoreError) {
        do {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO device (singleton, device_id, interviewer, created_at, next_sequence,
                                            signing_private_key, signing_public_key, visit_rule)
                        VALUES (1, ?, ?, ?, 1, ?, ?, ?)
                        """,
                    arguments: [
                        deviceID.rawValue, interviewer, createdAt, signingKey?.privateKey, signingKey?.publicKey, VisitTracker.rule,
                    ])
            }
        } catch {
            throw StoreError(error, path: path)
        }
    }

    // MARK: - Access helpers

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try queue.write(body) } catch { throw StoreError(error, path: path) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try DatabaseFile.read(queue, path: path, kind: .device, body)
    }

    /// The device's identity and next sequence number.
    public func info() throws(StoreError) -> DeviceInfo {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM device") else {
                throw StoreError.notATerepDatabase(path: path, detail: "the device row is missing")
            }
            return DeviceInfo(
                deviceID: DeviceID(row["device_id"] as String), interviewer: row["interviewer"],
                createdAt: row["created_at"], nextSequence: row["next_sequence"])
        }
    }

    // MARK: - Definitions

    /// Saves a compiled definition (its canonical file bytes); saving the same hash again does nothing.
    public func saveDefinition(_ survey: CompiledSurvey) throws(StoreError) {
        let data: Data
        do { data = try survey.fileData() } catch { throw .invalid("cannot encode definition \(survey.hash.short): \(error)") }
        try saveDefinition(survey, bytes: data)
    }

    /// Saves a compiled definition file exactly as given (for example as read from disk or a bundle).
    public func saveDefinition(compiledJSON data: Data) throws(StoreError) {
        let survey: CompiledSurvey
        do {
            survey = try JSONDecoder().decode(CompiledSurvey.self, from: data)
        } catch {
            throw .invalid("not a compiled questionnaire: \(error)")
        }
        guard survey.terep == CompiledSurvey.marker else { throw .invalid("not a compiled questionnaire (marker '\(survey.terep)')") }
        try saveDefinition(survey, bytes: data)
    }

    private func saveDefinition(_ survey: CompiledSurvey, bytes: Data) throws(StoreError) {
        try write { db in try DeviceStore.insertDefinition(db, survey, bytes: bytes, savedAt: DeviceStore.currentMilliseconds()) }
    }

    /// Saves a definition (a known hash changes nothing): the one insert of a definition row, for
    /// a questionnaire opened on the device and for one that came in a package.
    static func insertDefinition(_ db: Database, _ survey: CompiledSurvey, bytes: Data, savedAt: Int64) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO definition (hash, survey_id, version, complete_code, saved_at, compiled_json)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                survey.hash.rawValue, survey.definition.id.rawValue, survey.definition.version,
                survey.definition.outcome?.completeCode, savedAt, bytes,
            ])
    }

    /// The compiled definition with this hash, if saved.
    public func definition(hash: DefinitionHash) throws(StoreError) -> CompiledSurvey? {
        try definitionData(hash: hash).map { data throws(StoreError) in try CompiledSurvey.stored(data, hash: hash) }
    }

    /// The exact stored bytes of the compiled definition with this hash, if saved.
    public func definitionData(hash: DefinitionHash) throws(StoreError) -> Data? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT compiled_json FROM definition WHERE hash = ?", arguments: [hash.rawValue])
        }
    }

    /// The hashes of all saved definitions, sorted.
    public func definitionHashes() throws(StoreError) -> [DefinitionHash] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT hash FROM definition ORDER BY hash").map(DefinitionHash.init)
        }
    }
}
