import Foundation
import GRDB
import SurveyModel

/// A package to apply: the whole picture as of `through` (docs/package-format.md).
public struct DevicePackage: Sendable {
    public var through: Int64
    public var createdAt: Int64
    public var definitions: [DefinitionFile]
    public var cases: [DeviceCase]
    public var reviews: [ReviewMark]

    public init(through: Int64, createdAt: Int64, definitions: [DefinitionFile], cases: [DeviceCase], reviews: [ReviewMark]) {
        self.through = through
        self.createdAt = createdAt
        self.definitions = definitions
        self.cases = cases
        self.reviews = reviews
    }
}

/// The coordinator's side of a device (migration v3): the key it trusts packages from, its own
/// encryption key, and what the newest package applied says — its cases and the reviews of
/// its interviews.
extension DeviceStore {
    // MARK: - Keys

    /// Stores the coordinator's public signing key; the same key again does nothing, another
    /// one is refused (a device trusts one coordinator).
    public func setCoordinatorKey(_ key: Data) throws(StoreError) {
        guard key.count == 32 else { throw .invalid("a coordinator key is 32 bytes, found \(key.count)") }
        try write { db in
            let stored = try Data.fetchOne(db, sql: "SELECT coordinator_key FROM device")
            if let stored, stored != key {
                throw StoreError.invalid(
                    "device \(deviceID) already trusts another coordinator key; a device takes packages from one coordinator")
            }
            try db.execute(sql: "UPDATE device SET coordinator_key = ?", arguments: [key])
        }
    }

    /// The coordinator's public signing key, if the device was given one.
    public func coordinatorKey() throws(StoreError) -> Data? {
        try read { db in try Data.fetchOne(db, sql: "SELECT coordinator_key FROM device") }
    }

    /// Stores the device's encryption key pair (X25519 raw bytes); never replaced.
    public func setEncryptionKey(_ pair: SigningKeyPair) throws(StoreError) {
        try write { db in try KeyPairColumns.deviceEncryption.storeOnce(pair, in: db, owner: "device \(deviceID)") }
    }

    /// The device's encryption key pair, if it has one.
    public func encryptionKey() throws(StoreError) -> SigningKeyPair? {
        try read { db in try KeyPairColumns.deviceEncryption.fetch(in: db) }
    }

    // MARK: - Packages

    /// The log point of the newest package applied (0: none yet).
    public func packageThrough() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT package_through FROM device") ?? 0 }
    }

    /// Applies a package in one transaction when it is newer than the one applied: its
    /// definitions are saved and its cases and reviews replace the device's. An older or the
    /// same package changes nothing (returns false). The device's interviews are never touched.
    @discardableResult
    public func applyPackage(_ package: DevicePackage, receivedAt: Int64) throws(StoreError) -> Bool {
        var caseRows: [(DeviceCase, String)] = []
        for c in package.cases { caseRows.append((c, try EventCoding.encode(c.values))) }
        return try write { db in
            let current = try Int64.fetchOne(db, sql: "SELECT package_through FROM device") ?? 0
            guard package.through > current else { return false }
            for file in package.definitions {
                try DeviceStore.insertDefinition(db, file.survey, bytes: file.bytes, savedAt: receivedAt)
            }
            try db.execute(sql: "DELETE FROM assigned_case")
            for (c, json) in caseRows {
                try db.execute(
                    sql: """
                        INSERT INTO assigned_case (survey_id, case_id, definition_hash, preload_json, address, note, state,
                            changed_at, changed_by, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        c.survey.rawValue, c.id.rawValue, c.definition.rawValue, json, c.address, c.note, c.state.rawValue,
                        c.changedAt, c.changedBy, c.reason,
                    ])
            }
            try db.execute(sql: "DELETE FROM review_mark")
            for m in package.reviews {
                try db.execute(
                    sql: """
                        INSERT INTO review_mark (sequence, interview_id, decision, text, question, reviewed_device,
                            reviewed_sequence, at, actor)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        m.sequence, m.interview.rawValue, m.decision.rawValue, m.text, m.question?.description,
                        m.reviewedDevice?.rawValue, m.reviewedSequence, m.at, m.actor,
                    ])
            }
            try db.execute(
                sql: "UPDATE device SET package_through = ?, package_created_at = ?, package_received_at = ?",
                arguments: [package.through, package.createdAt, receivedAt])
            return true
        }
    }

    /// The cases of the newest package, by survey and case id.
    public func assignedCases() throws(StoreError) -> [DeviceCase] {
        try read { db in
            var out: [DeviceCase] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM assigned_case ORDER BY survey_id, case_id")
            while let row = try rows.next() { out.append(try DeviceStore.caseRecord(row)) }
            return out
        }
    }

    /// One case of the newest package (by case id; the first survey's when two surveys share it).
    public func assignedCase(_ id: CaseID, survey: SurveyID? = nil) throws(StoreError) -> DeviceCase? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM assigned_case WHERE case_id = ?1 AND (?2 IS NULL OR survey_id = ?2) ORDER BY survey_id",
                arguments: [id.rawValue, survey?.rawValue]
            ).map { row throws(StoreError) in try DeviceStore.caseRecord(row) }
        }
    }

    private static func caseRecord(_ row: Row) throws(StoreError) -> DeviceCase {
        DeviceCase(
            survey: SurveyID(row["survey_id"] as String), id: CaseID(row["case_id"] as String),
            definition: DefinitionHash(row["definition_hash"] as String), values: try EventCoding.decodeValues(row["preload_json"]),
            address: row["address"], note: row["note"],
            state: try StoredWord.decode(row["state"], as: DeviceCase.State.self, what: "case state"),
            changedAt: row["changed_at"], changedBy: row["changed_by"], reason: row["reason"])
    }

    /// The review marks of the newest package, by interview (oldest first).
    public func reviewMarks() throws(StoreError) -> [InterviewID: [ReviewMark]] {
        try read { db in
            var out: [InterviewID: [ReviewMark]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM review_mark ORDER BY sequence") {
                let mark = ReviewMark(
                    sequence: row["sequence"], interview: InterviewID(row["interview_id"] as String),
                    decision: try StoredWord.decode(row["decision"], as: ReviewMark.Decision.self, what: "review decision"),
                    text: row["text"],
                    question: (row["question"] as String?).flatMap(Address.init(parsing:)),
                    reviewedDevice: (row["reviewed_device"] as String?).map(DeviceID.init),
                    reviewedSequence: row["reviewed_sequence"], at: row["at"], actor: row["actor"])
                out[mark.interview, default: []].append(mark)
            }
            return out
        }
    }

    // MARK: - Visits

    /// Every interview's visits, by interview (in visit order).
    public func visits() throws(StoreError) -> [InterviewID: [Visit]] {
        try read { db in
            var out: [InterviewID: [Visit]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM visit ORDER BY interview_id, number")
            while let row = try rows.next() { out[InterviewID(row["interview_id"] as String), default: []].append(DeviceStore.visit(row)) }
            return out
        }
    }

    static func visit(_ row: Row) -> Visit {
        Visit(
            number: row["number"], start: LocalDateTime(seconds: row["start"]),
            end: (row["end"] as Int?).map(LocalDateTime.init(seconds:)), outcome: row["outcome"], note: row["note"])
    }
}
