import Foundation
import GRDB
import SurveyModel
import Testing

@testable import SurveyStore

/// The device keeps every interview's visits as rows; when `VisitTracker`'s rule changes, a
/// database whose rows follow the older rule derives them again from the events when it is
/// opened for writing, once.
@Suite("Device store: visits kept under an older rule")
struct DeviceVisitRuleTests {
    private static let day: Int64 = 86_400_000

    /// An interview ended complete, then reopened two days later for a fix and ended again: by
    /// rule 2 one visit, whose end stays the first end (rule 1 moved it to the fix's).
    private func fixedInterview(in folder: TempFolder) throws -> (path: String, id: InterviewID, visits: [Visit]) {
        let path = folder.path("device.sqlite")
        let store = try makeStore(.onDisk, in: folder)
        let interview = try startInterview(store, at: 1_000)
        _ = try store.append(.answered(Address("age"), .value(.integer(34))), interview: interview.id, timestamp: 60_000)
        _ = try store.append(.ended(outcome: 11), interview: interview.id, timestamp: 120_000)
        _ = try store.append(.reopened(), interview: interview.id, timestamp: 2 * Self.day)
        _ = try store.append(.answered(Address("age"), .value(.integer(43))), interview: interview.id, timestamp: 2 * Self.day + 60_000)
        _ = try store.append(.ended(outcome: 11), interview: interview.id, timestamp: 2 * Self.day + 120_000)
        let expected = VisitTracker.visits(of: try store.events(interview: interview.id), completeCode: 11)
        #expect(expected.count == 1 && expected[0].end == LocalClock.moment(at: 120_000).dateTime && expected[0].outcome == 11)
        #expect(try store.visits()[interview.id] == expected)
        return (path, interview.id, expected)
    }

    /// Makes the database look like one kept under rule 1: a moved end, and the version 1.
    private func ageRows(at path: String, rule: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE visit SET end = end + 172800, note = 'moved'")
            try db.execute(sql: "UPDATE device SET visit_rule = ?", arguments: [rule])
        }
    }

    private func storedRule(at path: String) throws -> Int? {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT visit_rule FROM device") }
    }

    @Test func rowsKeptUnderAnOlderRuleAreDerivedAgainOnOpening() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let (path, id, expected) = try fixedInterview(in: folder)
        #expect(try storedRule(at: path) == VisitTracker.rule, "a new database starts on the current rule")
        try ageRows(at: path, rule: 1)
        // A read-only open shows the rows as kept and changes nothing.
        let aged = try #require(try DeviceStore.open(path: path, readOnly: true).visits()[id])
        #expect(aged != expected && aged[0].note == "moved")
        #expect(try storedRule(at: path) == 1)
        // Opened for writing, the rows follow the current rule again, and the version says so.
        #expect(try DeviceStore.open(path: path).visits()[id] == expected)
        #expect(try storedRule(at: path) == VisitTracker.rule)
        #expect(try DeviceStore.open(path: path).integrityCheck().isEmpty)
    }

    @Test func rowsOnTheCurrentRuleAreNotRederived() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let (path, id, expected) = try fixedInterview(in: folder)
        // The same change with the current version: opening leaves the rows alone (the refresh
        // runs only for an older rule, not on every opening).
        try ageRows(at: path, rule: VisitTracker.rule)
        let kept = try #require(try DeviceStore.open(path: path).visits()[id])
        #expect(kept != expected && kept[0].note == "moved")
    }
}
