import Foundation
import GRDB
import SurveyModel

/// A device's signing key pair as raw bytes (Ed25519 via swift-crypto in SurveySync).
public struct SigningKeyPair: Hashable, Sendable {
    /// The private key's raw representation; it never leaves the device store.
    public var privateKey: Data
    public var publicKey: Data

    public init(privateKey: Data, publicKey: Data) {
        self.privateKey = privateKey
        self.publicKey = publicKey
    }
}

extension DeviceStore {
    /// Stores the device's signing key pair; refused if one is already stored (keys are never replaced).
    public func setSigningKey(_ pair: SigningKeyPair) throws(StoreError) {
        try write { db in try KeyPairColumns.deviceSigning.storeOnce(pair, in: db, owner: "device \(deviceID)") }
    }

    /// Replaces how the private signing key is stored — plain or sealed with a passphrase: the
    /// same key, protected or not — only while it is still stored as `current`
    /// (``DatabaseFile/replaceSecret(in:path:sql:new:current:)``).
    public func resealSigningKey(from current: Data, to stored: Data) throws(StoreError) {
        guard !stored.isEmpty else { throw .invalid("an empty signing key was given") }
        try DatabaseFile.replaceSecret(
            in: queue, path: path, sql: "UPDATE device SET signing_private_key = ? WHERE signing_private_key = ?",
            new: stored, current: current)
    }

    /// The device's signing key pair, if one was stored.
    public func signingKey() throws(StoreError) -> SigningKeyPair? {
        try read { db in try KeyPairColumns.deviceSigning.fetch(in: db) }
    }

    /// The highest sequence number already put into a bundle (0 when none).
    public func bundledThrough() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT bundled_through FROM device") ?? 0 }
    }

    /// Records that events up to `sequence` were bundled; the mark only moves forward.
    public func markBundled(through sequence: Int64) throws(StoreError) {
        try write { db in
            let next = try Int64.fetchOne(db, sql: "SELECT next_sequence FROM device") ?? 1
            guard sequence < next else {
                throw StoreError.invalid("cannot mark sequence \(sequence) bundled: the last event is \(next - 1)")
            }
            try db.execute(sql: "UPDATE device SET bundled_through = max(bundled_through, ?)", arguments: [sequence])
        }
    }
}

/// The events a bundle would hold, described without reading them: their sequence numbers,
/// count and interviews (with each interview's definition, nil for an interview without a record).
public struct PendingEvents: Hashable, Sendable {
    public var sequences: ClosedRange<Int64>
    public var count: Int
    public var interviews: [InterviewID: DefinitionHash?]
}

extension DeviceStore {
    /// The events after `sequence` as they are now (later events are left for the next bundle),
    /// or nil when there are none.
    public func pendingEvents(after sequence: Int64) throws(StoreError) -> PendingEvents? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT min(sequence), max(sequence), count(*) FROM event WHERE sequence > ?", arguments: [sequence]),
                let first = row[0] as Int64?, let last = row[1] as Int64?
            else { return nil }
            var interviews: [InterviewID: DefinitionHash?] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.interview_id, i.definition_hash FROM (SELECT DISTINCT interview_id FROM event
                        WHERE sequence BETWEEN ? AND ?) e LEFT JOIN interview i ON i.id = e.interview_id
                    """,
                arguments: [first, last])
            while let row = try rows.next() {
                interviews[InterviewID(row[0] as String)] = (row[1] as String?).map { DefinitionHash($0) }
            }
            return PendingEvents(sequences: first...last, count: row[2], interviews: interviews)
        }
    }

    /// Calls `body` with each event whose sequence number is in `sequences`, in order, read
    /// one at a time (memory does not grow with their number). Throws ``StoreError`` or what
    /// `body` throws.
    public func forEachEvent(in sequences: ClosedRange<Int64>, _ body: (InterviewEvent) throws -> Void) throws {
        var given: (any Error)?
        do {
            try read { db in
                try EventCoding.forEachEvent(
                    db, sql: "SELECT * FROM event WHERE sequence BETWEEN ? AND ? ORDER BY sequence",
                    arguments: [sequences.lowerBound, sequences.upperBound]
                ) { event in
                    do { try body(event) } catch {
                        given = error
                        throw error
                    }
                }
            }
        } catch {
            throw given ?? error
        }
    }
}
