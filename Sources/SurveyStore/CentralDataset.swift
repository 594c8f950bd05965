import Foundation
import SurveyModel

/// The coordinator's central dataset, whatever holds it: what Fieldwork's merge, cleaning
/// cache, report, export and status read and write. ``CentralStore`` (one SQLite file) is one
/// implementation; a server's database is another. Opening or creating a dataset is the
/// implementation's own business (a path, a connection), so it is not part of this interface.
///
/// Every implementation follows the same rules, and the store test suite
/// (Tests/SurveyStoreTests, `CentralImplementation.all`) checks each one against them:
/// - Events are keyed by (device, sequence) and never change: merging an event already present
///   skips it when it is identical and refuses the whole bundle
///   (``StoreError/eventMismatch(device:sequence:)``) when it is not.
/// - Merging is idempotent and order-independent: everything but the bundle and registration
///   logs is a function of the set of merged events. An interview's state is derived from its
///   events in ``MergeKey`` order (earliest `started`, latest `ended`/`reopened`, latest
///   `trainingMarked`); received ranges are ``SequenceRanges`` of the merged sequences.
/// - A bundle is merged in one transaction: all of it or nothing, including a device registered
///   with it. Each event is checked as it comes (from the bundle's device, within
///   ``EventBounds``, fitting its questionnaire); a fault found later rolls everything back.
/// - Failures are ``StoreError``s; a dataset that cannot be written says so with
///   ``StoreError/readOnly(path:detail:)``.
public protocol CentralDataset: AnyObject, Sendable {
    /// Where the dataset is, for logs and messages: a file's path, a database's name and host
    /// (never a password).
    var location: String { get }
    /// Whether the dataset was opened read-only (nothing can be merged or cached then).
    var isReadOnly: Bool { get }
    /// Fails with ``StoreError/readOnly(path:detail:)`` (or another store error) when nothing
    /// could be written, changing nothing.
    func checkWritable() throws(StoreError)

    // MARK: The coordinator's key

    /// The coordinator's encryption key pair (X25519 raw bytes; the private key possibly
    /// sealed with a passphrase), if one was stored when the dataset was created.
    func encryptionKey() throws(StoreError) -> SigningKeyPair?
    /// Replaces how the private key is stored, only while it is still stored as `current`.
    func resealEncryptionKey(from current: Data, to stored: Data) throws(StoreError)
    /// The coordinator's signing key pair (Ed25519 raw bytes, for packages), if one was made.
    func signingKey() throws(StoreError) -> SigningKeyPair?
    /// Stores the coordinator's signing key pair; a key is never replaced.
    func setSigningKey(_ pair: SigningKeyPair) throws(StoreError)
    /// Registers (or replaces) a registered device's public encryption key (X25519, 32 bytes):
    /// its packages are sealed to it.
    func setEncryptionKey(_ key: Data, device: DeviceID, at time: Int64) throws(StoreError)

    // MARK: Devices

    /// Registers a device with its public signing key; the same key again does nothing, another
    /// key for a registered id is refused.
    @discardableResult
    func registerDevice(
        _ id: DeviceID, publicKey: Data, method: RegistrationMethod, note: String?, at time: Int64
    ) throws(StoreError) -> RegisteredDevice
    /// Revokes a device: its bundles are rejected from now on; its merged events stay.
    func revokeDevice(_ id: DeviceID, at time: Int64) throws(StoreError)
    /// A registered device, if known.
    func device(_ id: DeviceID) throws(StoreError) -> RegisteredDevice?
    /// All registered devices, by id.
    func devices() throws(StoreError) -> [RegisteredDevice]

    // MARK: Bundles

    /// Merges one bundle as `feed` hands it over, in one transaction: `feed` calls
    /// ``CentralMergeFeed/begin(definitions:interviewDefinitions:checkedAgainst:)`` once, then
    /// ``CentralMergeFeed/add(_:)`` for each event, so memory does not grow with the bundle.
    /// When `feed` throws, everything is rolled back and its error rethrown as it is. (A bundle
    /// held in memory: ``apply(events:definitions:bundle:interviewDefinitions:registering:)``.)
    func apply(
        bundle: BundleReceipt, registering: NewDevice?, _ feed: (any CentralMergeFeed) throws -> Void
    ) throws -> MergeResult
    /// Merges several bundles with the rules of ``apply(bundle:registering:_:)``, each
    /// all-or-nothing on its own: a bundle that fails gives its error in its place and merges
    /// nothing, the others merge. SQLite writes the group in one transaction with a savepoint
    /// per bundle (one commit for all: group commit); the default merges each in its own.
    /// Throws only when nothing of the group could be merged.
    func apply(group: [BundleWrite]) throws -> [Result<MergeResult, any Error>]
    /// The store's error for a failure inside one of its database accesses (a ``StoreError``
    /// passes through unchanged): the one place each implementation classifies its database's
    /// errors.
    func storeError(_ error: any Error) -> StoreError
    /// Logs a rejected bundle; an accepted bundle with the same hash stays accepted.
    func recordRejected(hash: String, fileName: String, device: DeviceID?, reason: String, at time: Int64) throws(StoreError)
    /// The bundle with this hash in the receipt log, if any.
    func bundle(hash: String) throws(StoreError) -> BundleRecord?
    /// Every bundle in the receipt log (accepted and rejected), newest first.
    func bundles() throws(StoreError) -> [BundleRecord]

    // MARK: Definitions, interviews and events

    /// The exact stored bytes of a definition, if merged.
    func definitionData(hash: DefinitionHash) throws(StoreError) -> Data?
    /// The hashes of all merged definitions, sorted.
    func definitionHashes() throws(StoreError) -> [DefinitionHash]
    /// Interviews, optionally only those with a status, by id.
    func interviews(status: InterviewStatus?) throws(StoreError) -> [CentralInterview]
    /// The ids of a survey's interviews with events from more than one device, by id.
    func conflictIDs(survey: SurveyID) throws(StoreError) -> [InterviewID]
    /// An interview's events from every device, in ``MergeKey`` order.
    func events(interview: InterviewID) throws(StoreError) -> [InterviewEvent]
    /// A device's events after a sequence number, in sequence order, at most `limit` of them.
    func events(device: DeviceID, after sequence: Int64, limit: Int) throws(StoreError) -> [InterviewEvent]
    /// The number of merged events.
    func eventCount() throws(StoreError) -> Int
    /// Devices, received and missing ranges, counts and the last bundles.
    func status() throws(StoreError) -> CentralStatus
    /// The storage's own consistency checks; the problems found (empty when all is well).
    func integrityCheck() throws(StoreError) -> [String]
    /// Everything derived from merged data (not the bundle and registration logs, nor the
    /// cache) as text lines in a fixed order: two datasets of one implementation with the same
    /// events give the same dump.
    func canonicalDump() throws(StoreError) -> String

    // MARK: Fieldwork: the supervisor's review

    /// Records a supervisor's decision on an interview as a fieldwork-log entry (who, when, the
    /// state judged: the interview's latest `ended`/`reopened` event), addressed to the device
    /// that holds its case now (else the one that ended it); returns the entry. Refused for an
    /// interview not merged, with no start yet, or (an approval or a rejection) in progress.
    @discardableResult
    func review(_ decision: ReviewDecision, interview: InterviewID, actor: String, at time: Int64) throws(StoreError)
        -> FieldworkLogEntry
    /// Every interview's review entries (approved, rejected, commented), of one survey or all,
    /// by interview, oldest first within one.
    func reviewsByInterview(survey: SurveyID?) throws(StoreError) -> [InterviewID: [FieldworkLogEntry]]

    // MARK: Signed requests (`terep server`)

    /// Records the nonce of an accepted signed request (`key`: the signer and the nonce) until
    /// `expiresAt`, and forgets nonces expired at `now`. False when `key` is recorded and not
    /// expired: the request is a replay. A unique key decides, so of two servers over one
    /// dataset receiving the same request at once, one gets true.
    func recordRequestNonce(_ key: String, at now: Int64, expiresAt: Int64) throws(StoreError) -> Bool

    // MARK: The cache of cleaned records (a speed-up only: any row may be dropped at any time)

    /// The cached records of the interviews whose ids lie in `first...last`.
    func cachedCleanedRecords(from first: InterviewID, through last: InterviewID) throws(StoreError)
        -> [InterviewID: CachedCleanedRecord]
    /// Stores (or replaces) cached records in one short transaction.
    func storeCleanedRecords(_ records: [CachedCleanedRecord]) throws(StoreError)
    /// Removes every cached record.
    func clearCleanedRecords() throws(StoreError)
    /// The number of cached records (valid or not).
    func cleanedRecordCount() throws(StoreError) -> Int

    // MARK: Fieldwork management: the fieldwork log, the sample, assignments, packages

    /// The fieldwork log's latest sequence number (0 when empty): where a package made now stands.
    func fieldworkThrough() throws(StoreError) -> Int64
    /// The log's entries up to `through`, oldest first: all, or those of one survey, interview
    /// or device (assigned to it or taken from it).
    func fieldworkLog(survey: SurveyID?, interview: InterviewID?, device: DeviceID?, through: Int64) throws(StoreError)
        -> [FieldworkLogEntry]
    /// Stores a questionnaire version (every one is kept) and makes it its survey's current
    /// one; returns the log entry's sequence number.
    @discardableResult
    func publish(_ file: DefinitionFile, actor: String, at time: Int64) throws(StoreError) -> Int64
    /// Each survey's current (latest published) definition as of log entry `through`.
    func publishedDefinitions(through: Int64) throws(StoreError) -> [SurveyID: DefinitionHash]
    /// Adds new cases and updates changed ones, in one transaction with one log entry (none
    /// when nothing changed); never deletes a case. The ids must be distinct.
    @discardableResult
    func importSample(survey: SurveyID, cases: [SampleCaseInput], file: String, actor: String, at time: Int64)
        throws(StoreError) -> SampleImportResult
    /// The sample's cases of a survey (or of every survey), by survey and case id.
    func sampleCases(survey: SurveyID?) throws(StoreError) -> [SampleCaseRecord]
    /// Withdraws cases (their data stay), one log entry each, all or none; returns the entries.
    @discardableResult
    func withdraw(survey: SurveyID, cases: [CaseID], reason: String, actor: String, at time: Int64) throws(StoreError) -> [Int64]
    /// Assigns or moves cases, one log entry each, all or none (a case on another device than
    /// the change's `previous` refuses all); returns the cases changed.
    @discardableResult
    func assign(survey: SurveyID, _ changes: [AssignmentChange], actor: String, at time: Int64) throws(StoreError) -> [CaseID]
    /// What a package for `device` holds now, read at one point of the log
    /// (docs/package-format.md §3: every case it was ever given, the current definitions of
    /// their surveys, the review decisions it must know, its encryption key).
    func packageSnapshot(device: DeviceID) throws(StoreError) -> PackageSnapshot
}

extension CentralDataset {
    /// Registers a device now (see the requirement).
    @discardableResult
    public func registerDevice(
        _ id: DeviceID, publicKey: Data, method: RegistrationMethod, note: String? = nil
    ) throws(StoreError) -> RegisteredDevice {
        try registerDevice(id, publicKey: publicKey, method: method, note: note, at: DeviceStore.currentMilliseconds())
    }

    /// Registers a device at a given time, with no note.
    @discardableResult
    public func registerDevice(
        _ id: DeviceID, publicKey: Data, method: RegistrationMethod, at time: Int64
    ) throws(StoreError) -> RegisteredDevice {
        try registerDevice(id, publicKey: publicKey, method: method, note: nil, at: time)
    }

    /// Registers a device's public encryption key now.
    public func setEncryptionKey(_ key: Data, device: DeviceID) throws(StoreError) {
        try setEncryptionKey(key, device: device, at: DeviceStore.currentMilliseconds())
    }

    /// Revokes a device now.
    public func revokeDevice(_ id: DeviceID) throws(StoreError) {
        try revokeDevice(id, at: DeviceStore.currentMilliseconds())
    }

    /// Merges one bundle (see the requirement), with no device to register unless given.
    public func apply(
        events: [InterviewEvent], definitions: [DefinitionFile], bundle: BundleReceipt,
        interviewDefinitions: [InterviewID: DefinitionHash] = [:]
    ) throws(StoreError) -> MergeResult {
        try apply(events: events, definitions: definitions, bundle: bundle, interviewDefinitions: interviewDefinitions, registering: nil)
    }

    /// Merges one bundle (see the requirement) that registers its device.
    public func apply(
        events: [InterviewEvent], definitions: [DefinitionFile], bundle: BundleReceipt, registering: NewDevice
    ) throws(StoreError) -> MergeResult {
        try apply(events: events, definitions: definitions, bundle: bundle, interviewDefinitions: [:], registering: registering)
    }

    /// Logs a rejected bundle now.
    public func recordRejected(hash: String, fileName: String, device: DeviceID?, reason: String) throws(StoreError) {
        try recordRejected(hash: hash, fileName: fileName, device: device, reason: reason, at: DeviceStore.currentMilliseconds())
    }

    /// Every interview, by id.
    public func interviews() throws(StoreError) -> [CentralInterview] { try interviews(status: nil) }

    /// The fieldwork log's entries (see the requirement), up to its end.
    public func fieldworkLog(
        survey: SurveyID? = nil, interview: InterviewID? = nil, device: DeviceID? = nil
    ) throws(StoreError) -> [FieldworkLogEntry] {
        try fieldworkLog(survey: survey, interview: interview, device: device, through: .max)
    }

    /// Each survey's current definition now.
    public func publishedDefinitions() throws(StoreError) -> [SurveyID: DefinitionHash] { try publishedDefinitions(through: .max) }

    /// Every survey's sample cases.
    public func sampleCases() throws(StoreError) -> [SampleCaseRecord] { try sampleCases(survey: nil) }

    /// A device's events after a sequence number (all of them by default), in sequence order.
    public func events(device: DeviceID, after sequence: Int64 = 0) throws(StoreError) -> [InterviewEvent] {
        try events(device: device, after: sequence, limit: Int.max)
    }

    /// The compiled definition with this hash, if merged.
    public func definition(hash: DefinitionHash) throws(StoreError) -> CompiledSurvey? {
        try definitionData(hash: hash).map { data throws(StoreError) in try CompiledSurvey.stored(data, hash: hash) }
    }

    /// Interviews with events from more than one device, for review.
    public func conflicts() throws(StoreError) -> [CentralInterview] {
        try interviews().filter { $0.devices.count > 1 }
    }

    /// Calls `body` with every interview (optionally of one status), by id, and its events in
    /// merge order, one interview at a time (for exports: memory stays bounded by one interview).
    public func forEachInterview(
        status: InterviewStatus? = nil, _ body: (CentralInterview, [InterviewEvent]) throws -> Void
    ) throws {
        for interview in try interviews(status: status) {
            try body(interview, try events(interview: interview.id))
        }
    }
}

extension CompiledSurvey {
    /// A definition as a store keeps it (its exact file bytes), decoded; a store error names it.
    static func stored(_ data: Data, hash: DefinitionHash) throws(StoreError) -> CompiledSurvey {
        do {
            return try JSONDecoder().decode(CompiledSurvey.self, from: data)
        } catch {
            throw .undecodable(what: "definition \(hash.short)", detail: "\(error)")
        }
    }
}
