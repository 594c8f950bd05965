import Foundation
import GRDB
import SurveyModel

extension CentralStore {
    /// The SQLite store's error for a failure inside a database access (``StoreError/init(_:path:)``).
    public func storeError(_ error: any Error) -> StoreError { StoreError(error, path: path) }

    /// Merges one bundle as `feed` hands it over, in one transaction: `feed` calls
    /// ``CentralMerge/begin(definitions:interviewDefinitions:checkedAgainst:)`` once, then
    /// ``CentralMerge/add(_:)`` for each event; nothing of the bundle is held but what the
    /// interviews' derived rows need, so memory does not grow with the bundle. When `feed` throws
    /// (a bundle found bad after some events were written), everything is rolled back and its
    /// error is rethrown as it is. The rules are those of
    /// ``CentralDataset/apply(events:definitions:bundle:interviewDefinitions:registering:)``; it is
    /// ``apply(group:)`` of one bundle.
    ///
    /// Throws ``StoreError`` or what `feed` throws.
    public func apply(
        bundle: BundleReceipt, registering: NewDevice? = nil, _ feed: (any CentralMergeFeed) throws -> Void
    ) throws -> MergeResult {
        try withoutActuallyEscaping(feed) { feed in
            try apply(group: [BundleWrite(bundle: bundle, registering: registering, feed: feed)])[0].get()
        }
    }

    /// Merges a group of bundles in one transaction — one commit, so one wait for the disk, for
    /// all of them (group commit) — each in a savepoint of its own: a bundle that fails is rolled
    /// back alone and its error given in its place (its feed's error as it is, or a
    /// ``StoreError``), the others commit together. A bundle already accepted, before or earlier
    /// in the group, changes nothing. A failure of the store itself (``StoreError/Fault/storage``:
    /// the disk full, an I/O error) is no bundle's: it fails the whole transaction and is thrown,
    /// and nothing of the group is merged.
    ///
    /// A group whose bundles were all accepted before (a device sending again) is answered from a
    /// read, without taking the write lock — so also on a dataset that cannot be written.
    public func apply(group: [BundleWrite]) throws -> [Result<MergeResult, any Error>] {
        if try read({ db in try group.allSatisfy { try Self.accepted(db, $0.bundle.hash) } }) {
            var result = MergeResult()
            result.alreadyMerged = true
            return group.map { _ in .success(result) }
        }
        return try write { db in
            try group.map { item in
                var fed: (any Error)?
                do {
                    var result = MergeResult()
                    try db.inSavepoint {
                        if try Self.accepted(db, item.bundle.hash) {
                            result.alreadyMerged = true
                        } else {
                            result = try merge(db, item.bundle, registering: item.registering, item.feed, fed: &fed)
                        }
                        return .commit
                    }
                    return .success(result)
                } catch {
                    if let fed, !(fed is StoreError), !(fed is DatabaseError) { return .failure(fed) }
                    let failure = storeError(error)
                    if failure.fault == .storage { throw failure }
                    return .failure(failure)
                }
            }
        }
    }

    /// Whether the bundle with this hash was merged (accepted) before.
    private static func accepted(_ db: Database, _ hash: String) throws -> Bool {
        try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM bundle WHERE hash = ?"), arguments: [hash]) == "accepted"
    }

    /// One bundle's merge inside a transaction (or a savepoint of one); `fed` keeps what the
    /// feed threw, to be rethrown as it is.
    private func merge(
        _ db: Database, _ bundle: BundleReceipt, registering: NewDevice?, _ feed: (any CentralMergeFeed) throws -> Void,
        fed: inout (any Error)?
    ) throws -> MergeResult {
        if let new = registering {
            _ = try insertDevice(db, bundle.device, publicKey: new.publicKey, method: new.method, note: new.note, at: bundle.receivedAt)
        }
        guard let device = try fetchDevice(db, bundle.device) else { throw StoreError.deviceNotRegistered(bundle.device) }
        guard device.status == .active else { throw StoreError.deviceRevoked(bundle.device) }
        let merge = try CentralMerge(db, device: bundle.device)
        do { try feed(merge) } catch {
            fed = error
            throw error
        }
        let result = try merge.finish(self)
        try record(db, bundle, events: merge.eventCount, newEvents: result.newEvents)
        return result
    }

    private func record(_ db: Database, _ bundle: BundleReceipt, events: Int, newEvents: Int) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO bundle (hash, file_name, device_id, first_sequence, last_sequence, event_count,
                    new_events, status, reason, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted', NULL, ?)
                ON CONFLICT (hash) DO UPDATE SET file_name = excluded.file_name, device_id = excluded.device_id,
                    first_sequence = excluded.first_sequence, last_sequence = excluded.last_sequence,
                    event_count = excluded.event_count, new_events = excluded.new_events,
                    status = 'accepted', reason = NULL, received_at = excluded.received_at
                """
        ).execute(
            arguments: [
                bundle.hash, bundle.fileName, bundle.device.rawValue, bundle.firstSequence, bundle.lastSequence,
                events, newEvents, bundle.receivedAt,
            ])
    }
}

/// One bundle being merged inside a write transaction of the central store
/// (``CentralStore/apply(bundle:registering:_:)``): its definitions first, then its events one by
/// one, each checked (device, ``EventBounds``, its questionnaire) and inserted at once. What is
/// kept is per interview (its derived row's delta) and the runs of sequence numbers.
public final class CentralMerge: CentralMergeFeed {
    private let db: Database
    private let device: DeviceID
    private let insert: RawStatement
    private let existing: Statement
    private var check: MergeEventCheck
    private var mapped: [InterviewID: DefinitionHash] = [:]
    private var knownDefinitions: Set<DefinitionHash> = []
    private var result = MergeResult()
    private var deltas: [InterviewID: InterviewDelta] = [:]
    private var current: (id: InterviewID, delta: InterviewDelta)?
    private var sequences = SequenceRanges()
    /// Events handed over so far (new and duplicate).
    public private(set) var eventCount = 0

    init(_ db: Database, device: DeviceID) throws {
        self.db = db
        self.device = device
        check = MergeEventCheck(device: device)
        // Both prepared once per connection (`cachedStatement`), not for every bundle.
        insert = try RawStatement(
            cached: db,
            sql: """
                INSERT INTO event (device_id, sequence, interview_id, timestamp, interviewer, kind, payload_json)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
        existing = try db.cachedStatement(
            sql: "SELECT interview_id, timestamp, interviewer, payload_json FROM event WHERE device_id = ? AND sequence = ?")
    }

    public func begin(
        definitions: [DefinitionFile], interviewDefinitions: [InterviewID: DefinitionHash],
        checkedAgainst: [InterviewID: DefinitionHash]
    ) throws {
        mapped = interviewDefinitions
        check.begin(definitions: definitions, checkedAgainst: checkedAgainst)
        for file in definitions {
            if try CentralStore.insertDefinition(db, file) { result.newDefinitions += 1 }
        }
    }

    /// Checks and inserts one event (a duplicate must equal the stored one).
    public func add(_ event: InterviewEvent) throws {
        try check.check(event)
        let payload = try EventCoding.encode(event.kind)
        eventCount += 1
        sequences.insert(event.sequence)
        insert.bind(1, event.device.rawValue)
        insert.bind(2, event.sequence)
        insert.bind(3, event.interview.rawValue)
        insert.bind(4, event.timestamp)
        insert.bind(5, event.interviewer)
        insert.bind(6, EventCoding.name(of: event.kind))
        insert.bind(7, payload)
        guard try insert.step() == 1 else {
            result.duplicateEvents += 1
            let row = try Row.fetchOne(existing, arguments: [event.device.rawValue, event.sequence])
            guard let row, row[0] == event.interview.rawValue, row[1] == event.timestamp, row[2] == event.interviewer,
                row[3] == payload
            else { throw StoreError.eventMismatch(device: event.device, sequence: event.sequence) }
            return
        }
        result.newEvents += 1
        if case .started(let definition, _, _, _) = event.kind, !knownDefinitions.contains(definition) {
            guard try Self.definitionExists(db, definition) else { throw StoreError.unknownDefinition(definition) }
            knownDefinitions.insert(definition)
        }
        // Events come in runs per interview: accumulate a run, then fold it in once.
        if let current, current.id != event.interview { deltas[current.id, default: InterviewDelta()].merge(current.delta) }
        if current?.id != event.interview { current = (event.interview, InterviewDelta()) }
        try current?.delta.add(event)
    }

    /// Whether the dataset holds the definition (asked once per interview: a prepared statement).
    private static func definitionExists(_ db: Database, _ hash: DefinitionHash) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM definition WHERE hash = ?"), arguments: [hash.rawValue]) != nil
    }

    /// After the last event: the interviews' derived rows and the device's received ranges.
    func finish(_ store: CentralStore) throws -> MergeResult {
        if let current { deltas[current.id, default: InterviewDelta()].merge(current.delta) }
        current = nil
        for id in deltas.keys.sorted() {
            guard var delta = deltas[id] else { continue }
            delta.mappedDefinition = mapped[id]
            if let mapped = delta.mappedDefinition, try !Self.definitionExists(db, mapped) {
                throw StoreError.unknownDefinition(mapped)
            }
            try store.mergeInterview(db, id, delta, device: device, result: &result)
        }
        try store.mergeRanges(db, device: device, sequences: sequences)
        return result
    }
}
