import Foundation
import GRDB
import GRDBSQLite
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("Device store") struct DeviceStoreTests {
    @Test("appends get gapless sequence numbers and replay in order", arguments: StoreLocation.allCases)
    func sequencesAreGapless(location: StoreLocation) throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(location, in: folder)
        let a = try startInterview(store)
        let b = try startInterview(store, at: 2_000)
        var expected: [Int64] = []
        for i in 0..<10 {
            let id = i.isMultiple(of: 2) ? a.id : b.id
            let event = try store.append(
                .answered(Address(VariableName("q\(i)")), .value(.integer(i))), interview: id, timestamp: 3_000 + Int64(i))
            expected.append(event.sequence)
        }
        let batch = try store.appendBatch(
            (0..<5).map { PendingEvent(interview: a.id, timestamp: 4_000, kind: .shown(Address(VariableName("x\($0)")))) })
        #expect(expected == Array(3...12))
        #expect(batch.map(\.sequence) == Array(13...17))
        #expect(try store.info().nextSequence == 18)
        let all = try store.events(after: 0)
        #expect(all.map(\.sequence) == Array(1...17))
        let replay = try store.events(interview: a.id)
        #expect(
            replay.first?.kind == .started(definition: sampleSurvey().hash, seed: 42, language: "hu", preload: ["cluster_id": .integer(17)])
        )
        #expect(replay.map(\.sequence) == replay.map(\.sequence).sorted())
        #expect(replay.count == 1 + 5 + 5)
        #expect(try store.events(after: 10, limit: 3).map(\.sequence) == [11, 12, 13])
        #expect(try store.integrityCheck().isEmpty)
    }

    @Test("a read of the device database that writes is refused and rolled back; reads keep the statements prepared")
    func readsDoNotWrite() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.onDisk, in: folder)
        let interview = try startInterview(store)
        #expect(throws: StoreError.invalid("a read of the device database changed it (rolled back)")) {
            try store.read { db in try db.execute(sql: "UPDATE device SET interviewer = 'x'") }
        }
        #expect(try store.info().interviewer == "Kiss Anna")
        // A read does not set PRAGMA query_only (which expired every prepared statement), so a
        // statement cached by one read is not prepared again after others and a write.
        let statement = try store.read { db in try db.cachedStatement(sql: "SELECT count(*) FROM event") }
        _ = try store.interviews()
        _ = try store.append(.answered(Address("age"), .value(.integer(34))), interview: interview.id, timestamp: 2)
        _ = try store.events(interview: interview.id)
        #expect(try store.read { _ in try Int.fetchOne(statement) } == 2)
        #expect(sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_REPREPARE, 0) == 0)
    }

    @Test("events cannot be updated or deleted", arguments: StoreLocation.allCases)
    func eventsAreAppendOnly(location: StoreLocation) throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(location, in: folder)
        let interview = try startInterview(store)
        _ = try store.append(.answered(Address("age"), .value(.integer(34))), interview: interview.id, timestamp: 2)
        #expect(throws: DatabaseError.self) {
            try store.queue.write { db in try db.execute(sql: "UPDATE event SET payload_json = '{}' WHERE sequence = 2") }
        }
        #expect(throws: DatabaseError.self) {
            try store.queue.write { db in try db.execute(sql: "DELETE FROM event") }
        }
        #expect(try store.events(after: 0).count == 2)
    }

    @Test("interview status follows ended and reopened events", arguments: StoreLocation.allCases)
    func derivedStatus(location: StoreLocation) throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(location, in: folder)
        let complete = try startInterview(store)
        let refused = try startInterview(store, at: 5, isTest: true)
        _ = try store.append(.ended(outcome: 11), interview: complete.id, timestamp: 50)
        _ = try store.append(.ended(outcome: 21), interview: refused.id, timestamp: 60)
        #expect(try store.interview(id: complete.id)?.status == .completed)
        let ended = try #require(try store.interview(id: refused.id))
        #expect(ended.status == .ended && ended.outcome == 21 && ended.endedAt == 60 && ended.isTest)
        #expect(ended.caseIdentifiers == ["cluster_id": .integer(17)])
        _ = try store.append(.reopened(), interview: refused.id, timestamp: 70)
        let reopened = try #require(try store.interview(id: refused.id))
        // started, trainingMarked (a test interview), ended, reopened.
        #expect(reopened.status == .inProgress && reopened.outcome == nil && reopened.eventCount == 4 && reopened.lastSequence == 6)
        #expect(try store.interviews(status: .inProgress).map(\.id) == [refused.id])
        #expect(try store.interviews().count == 2)
    }

    @Test("is_test follows the latest trainingMarked event, and a test interview starts with one", arguments: StoreLocation.allCases)
    func trainingFlag(location: StoreLocation) throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(location, in: folder)
        let test = try startInterview(store, isTest: true)
        #expect(test.isTest)
        #expect(try store.events(interview: test.id).map(\.kind).dropFirst() == [.trainingMarked(true)])
        let real = try startInterview(store, at: 2_000)
        #expect(try !(#require(try store.interview(id: real.id)).isTest))
        _ = try store.append(.trainingMarked(true), interview: real.id, timestamp: 2_100)
        #expect(try #require(try store.interview(id: real.id)).isTest)
        _ = try store.appendBatch([
            PendingEvent(interview: real.id, timestamp: 2_200, kind: .trainingMarked(false)),
            PendingEvent(interview: test.id, timestamp: 2_200, kind: .trainingMarked(false)),
            PendingEvent(interview: real.id, timestamp: 2_300, kind: .trainingMarked(true)),
        ])
        #expect(try #require(try store.interview(id: real.id)).isTest)
        #expect(try !(#require(try store.interview(id: test.id)).isTest))
    }

    @Test("bad requests are refused with a clear error and write nothing", arguments: StoreLocation.allCases)
    func refusals(location: StoreLocation) throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(location, in: folder)
        let interview = try startInterview(store)
        #expect(throws: StoreError.unknownInterview("nope")) {
            try store.append(.reopened(), interview: "nope", timestamp: 1)
        }
        #expect(throws: StoreError.unknownDefinition("f00")) {
            try store.createInterview(NewInterview(definition: "f00", seed: 1, language: "hu"), timestamp: 1)
        }
        #expect(throws: StoreError.duplicateInterview(interview.id)) {
            try store.createInterview(
                NewInterview(id: interview.id, definition: sampleSurvey().hash, seed: 1, language: "hu"), timestamp: 1)
        }
        // A batch with one bad event writes none of them.
        #expect(throws: StoreError.unknownInterview("nope")) {
            try store.appendBatch([
                PendingEvent(interview: interview.id, timestamp: 2, kind: .reopened()),
                PendingEvent(interview: "nope", timestamp: 2, kind: .reopened()),
            ])
        }
        #expect(try store.info().nextSequence == 2)
        #expect(try store.integrityCheck().isEmpty)
    }

    @Test("definitions keep their exact bytes")
    func definitionBytes() throws {
        let store = try DeviceStore.inMemory(deviceID: "d1", interviewer: "X")
        let survey = sampleSurvey(version: "2026.2")
        let bytes = try survey.fileData()
        try store.saveDefinition(compiledJSON: bytes)
        try store.saveDefinition(survey)  // the same hash again: ignored
        #expect(try store.definitionData(hash: survey.hash) == bytes)
        #expect(try store.definition(hash: survey.hash) == survey)
        #expect(try store.definition(hash: "missing") == nil)
        #expect(try store.definitionHashes() == [survey.hash])
        #expect(throws: StoreError.self) { try store.saveDefinition(compiledJSON: Data("{}".utf8)) }
    }
}
