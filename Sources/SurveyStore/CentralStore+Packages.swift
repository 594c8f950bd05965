import Foundation
import GRDB
import SurveyModel

/// A case as a device's package tells it, read from the central dataset.
public struct PackagedCase: Hashable, Sendable {
    public var record: SampleCaseRecord
    public var state: DeviceCase.State
    /// The log entry that put the case where it is for the device (assignment, move or withdrawal).
    public var changedAt: Int64
    public var changedBy: String
    /// A withdrawal's reason.
    public var reason: String?

    package init(record: SampleCaseRecord, state: DeviceCase.State, changedAt: Int64, changedBy: String, reason: String?) {
        self.record = record
        self.state = state
        self.changedAt = changedAt
        self.changedBy = changedBy
        self.reason = reason
    }
}

/// Everything a package for one device holds, read in one transaction at one point of the log.
public struct PackageSnapshot: Sendable {
    public var device: DeviceID
    /// The log's latest entry when it was read.
    public var through: Int64
    public var cases: [PackagedCase]
    /// The published (current) definition of each survey the cases belong to, with its file bytes.
    public var definitions: [SurveyID: DefinitionFile]
    public var reviews: [ReviewMark]
    /// The device's registered encryption key (X25519 raw bytes), if any.
    public var encryptionKey: Data?

    package init(
        device: DeviceID, through: Int64, cases: [PackagedCase], definitions: [SurveyID: DefinitionFile], reviews: [ReviewMark],
        encryptionKey: Data?
    ) {
        self.device = device
        self.through = through
        self.cases = cases
        self.definitions = definitions
        self.reviews = reviews
        self.encryptionKey = encryptionKey
    }
}

extension CentralStore {
    /// What a package for `device` holds now: every case ever assigned to it (still its own,
    /// moved to another device, or withdrawn), the current definitions of their surveys, and
    /// the review decisions it must know — those on interviews of the cases it holds, and
    /// those on case-less interviews it ended. A function of the log up to ``PackageSnapshot/through``.
    public func packageSnapshot(device: DeviceID) throws(StoreError) -> PackageSnapshot {
        try read { db in
            guard let registered = try fetchDevice(db, device) else { throw StoreError.deviceNotRegistered(device) }
            let through = try Int64.fetchOne(db, sql: "SELECT coalesce(max(sequence), 0) FROM fieldwork_log") ?? 0
            var cases: [PackagedCase] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    WITH mine AS (
                        SELECT survey_id, case_id FROM fieldwork_log
                        WHERE device_id = ?1 AND action IN ('assigned', 'reassigned')
                        UNION SELECT survey_id, case_id FROM fieldwork_log WHERE previous_device_id = ?1 AND action = 'reassigned')
                    SELECT c.*, a.at AS assigned_at,
                        CASE WHEN c.withdrawn THEN 'withdrawn' WHEN c.device_id = ?1 THEN 'assigned' ELSE 'reassigned' END AS state,
                        l.at AS changed_at, l.actor AS changed_by, l.text AS reason
                    FROM mine JOIN sample_case c ON c.survey_id = mine.survey_id AND c.case_id = mine.case_id
                    LEFT JOIN fieldwork_log a ON a.sequence = c.assigned_sequence
                    LEFT JOIN fieldwork_log l ON l.sequence = CASE WHEN c.withdrawn THEN c.withdrawn_sequence ELSE c.assigned_sequence END
                    ORDER BY c.survey_id, c.case_id
                    """,
                arguments: [device.rawValue])
            while let row = try rows.next() {
                cases.append(
                    PackagedCase(
                        record: try CentralStore.sampleCase(from: row),
                        state: try StoredWord.decode(row["state"], as: DeviceCase.State.self, what: "case state"),
                        changedAt: row["changed_at"] ?? 0,
                        changedBy: row["changed_by"] ?? "", reason: row["reason"]))
            }
            let published = try CentralStore.published(db, through: through)
            var definitions: [SurveyID: DefinitionFile] = [:]
            for survey in Set(cases.map(\.record.survey)) {
                guard let hash = published[survey] else { continue }
                guard
                    let bytes = try Data.fetchOne(
                        db, sql: "SELECT compiled_json FROM definition WHERE hash = ?", arguments: [hash.rawValue])
                else { throw StoreError.unknownDefinition(hash) }
                definitions[survey] = try DefinitionFile(compiledJSON: bytes)
            }
            let reviews = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.* FROM fieldwork_log l WHERE l.action IN ('approved', 'rejected', 'commented') AND (
                        (l.case_id IS NOT NULL AND EXISTS (SELECT 1 FROM sample_case c
                            WHERE c.survey_id = l.survey_id AND c.case_id = l.case_id AND c.device_id = ?1))
                        OR (l.case_id IS NULL AND l.device_id = ?1))
                    ORDER BY l.sequence
                    """,
                arguments: [device.rawValue]
            ).map { row throws(StoreError) in try CentralStore.logEntry(from: row).reviewMark }
            let encryptionKey = try Data.fetchOne(
                db, sql: "SELECT encryption_public_key FROM device WHERE device_id = ?", arguments: [registered.id.rawValue])
            return PackageSnapshot(
                device: device, through: through, cases: cases, definitions: definitions, reviews: reviews.compactMap { $0 },
                encryptionKey: encryptionKey)
        }
    }

    /// Registers (or replaces) a device's public encryption key (X25519): its packages are sealed to it.
    public func setEncryptionKey(_ key: Data, device: DeviceID, at time: Int64) throws(StoreError) {
        guard key.count == 32 else { throw .invalid("device \(device): an encryption key is 32 bytes, found \(key.count)") }
        try write { db in
            try db.execute(
                sql: "UPDATE device SET encryption_public_key = ? WHERE device_id = ?", arguments: [key, device.rawValue])
            guard db.changesCount == 1 else { throw StoreError.deviceNotRegistered(device) }
            try log(db, device, action: "encryption key set", at: time, detail: nil)
        }
    }

    /// Stores the coordinator's signing key pair (Ed25519 raw bytes); never replaced.
    public func setSigningKey(_ pair: SigningKeyPair) throws(StoreError) {
        try write { db in try KeyPairColumns.coordinatorSigning.storeOnce(pair, in: db, owner: "the central dataset") }
    }

    /// The coordinator's signing key pair, if one was made.
    public func signingKey() throws(StoreError) -> SigningKeyPair? {
        try read { db in try KeyPairColumns.coordinatorSigning.fetch(in: db) }
    }
}

extension FieldworkLogEntry {
    /// The entry as a review mark (nil for entries that are not reviews).
    public var reviewMark: ReviewMark? {
        let decision: ReviewMark.Decision
        switch action {
        case .approved: decision = .approved
        case .rejected: decision = .rejected
        case .commented: decision = .commented
        default: return nil
        }
        guard let interview else { return nil }
        return ReviewMark(
            sequence: sequence, interview: interview, decision: decision, text: text, question: question,
            reviewedDevice: reviewedDevice, reviewedSequence: reviewedSequence, at: at, actor: actor)
    }
}
