import CentralTestSupport
import Foundation
import GRDB
import SurveyModel
import Testing

@testable import SurveyStore

/// The central dataset's cache of cleaned records (migration v4): opaque rows per interview,
/// read by id range, replaced in batches, cleared, and kept out of the canonical dump.
@Suite("Cleaned-record cache") struct CleanedCacheStoreTests {
    static func central(_ implementation: CentralImplementation) throws -> any CentralDataset {
        let central = try makeCentral(implementation, devices: ["laptop-1"])
        let log = simulatedLog(device: "laptop-1", interviews: 5, seed: 3)
        _ = try central.apply(
            events: log, definitions: [try DefinitionFile(sampleSurvey())], bundle: receipt(for: log, device: "laptop-1"))
        return central
    }

    static func row(_ id: InterviewID, _ text: String, count: Int = 3) -> CachedCleanedRecord {
        CachedCleanedRecord(interview: id, cacheKey: "k", definition: sampleSurvey().hash, eventCount: count, data: Data(text.utf8))
    }

    @Test(arguments: CentralImplementation.all)
    func recordsAreReadByIdRangeAndReplacedInPlace(implementation: CentralImplementation) throws {
        let central = try Self.central(implementation)
        let ids = try central.interviews().map(\.id)
        try central.storeCleanedRecords(ids.map { Self.row($0, "v1 \($0)") })
        try central.storeCleanedRecords([Self.row(ids[2], "v2", count: 9)])
        let middle = try central.cachedCleanedRecords(from: ids[1], through: ids[3])
        #expect(Set(middle.keys) == Set(ids[1...3]))
        #expect(middle[ids[2]] == Self.row(ids[2], "v2", count: 9))
        #expect(middle[ids[1]]?.data == Data("v1 \(ids[1])".utf8))
        #expect(try central.cleanedRecordCount() == ids.count)
        try central.clearCleanedRecords()
        #expect(try central.cachedCleanedRecords(from: ids[0], through: ids[ids.count - 1]).isEmpty)
    }

    @Test(arguments: CentralImplementation.all)
    func theCacheIsNotPartOfTheCanonicalDatasetAndNeedsAKnownInterview(implementation: CentralImplementation) throws {
        let central = try Self.central(implementation)
        let before = try central.canonicalDump()
        let ids = try central.interviews().map(\.id)
        try central.storeCleanedRecords(ids.map { Self.row($0, "x") })
        #expect(try central.canonicalDump() == before)
        #expect(throws: StoreError.self) { try central.storeCleanedRecords([Self.row("no-such-interview", "x")]) }
        #expect(try central.cleanedRecordCount() == ids.count, "a failed batch stores nothing")
    }

    @Test func aDatasetFromBeforeTheCacheGetsItWhenOpenedWritableAndNotReadOnly() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let path = folder.path("v3.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(DatabaseKind.central.rawValue)") }
            try CentralSchema.migrator.migrate(queue, upTo: "v3-central-interview-training-flag")
            try queue.write { db in try db.execute(sql: "INSERT INTO coordinator (singleton, created_at) VALUES (1, 0)") }
        }
        let readOnly = try CentralStore.open(path: path, readOnly: true)
        #expect(readOnly.isReadOnly)
        #expect(throws: StoreError.self) { try readOnly.cachedCleanedRecords(from: "a", through: "z") }
        let writable = try CentralStore.openForReading(path: path)
        #expect(!writable.isReadOnly)
        #expect(try writable.cachedCleanedRecords(from: "a", through: "z").isEmpty)
    }
}
