import Foundation
import GRDB
import SurveyModel
import Testing

@testable import SurveyStore

/// A device's cases and review decisions as stored: a word the store does not know (a case
/// state, a review decision) is an error with the reason, never read as some other state.
@Suite("Device cases in the store") struct DeviceCaseStoreTests {
    static func package(_ state: DeviceCase.State) -> DevicePackage {
        let c = DeviceCase(
            survey: "field", id: "W-0001", definition: DefinitionHash(String(repeating: "a", count: 64)),
            values: ["district": .choice(6)], address: "Szondi György u. 3", state: state, changedAt: 1_000, changedBy: "Kata")
        let mark = ReviewMark(
            sequence: 4, interview: "iv-1", decision: .rejected, text: "kor?", question: Address("age"), reviewedDevice: "laptop-07",
            reviewedSequence: 9, at: 2_000, actor: "Kata")
        return DevicePackage(through: 5, createdAt: 1_000, definitions: [], cases: [c], reviews: [mark])
    }

    @Test func casesAndReviewDecisionsComeBackAsStored() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.onDisk, in: folder)
        #expect(try store.applyPackage(Self.package(.reassigned), receivedAt: 3_000))
        #expect(try store.assignedCases() == Self.package(.reassigned).cases)
        #expect(try store.assignedCase("W-0001")?.state == .reassigned)
        #expect(try store.reviewMarks()["iv-1"] == Self.package(.reassigned).reviews)
    }

    @Test func anUnknownStoredStateOrDecisionIsAnErrorWithTheReason() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.onDisk, in: folder)
        try store.applyPackage(Self.package(.assigned), receivedAt: 3_000)
        let path = folder.path("device.sqlite")
        // The tables' CHECKs refuse such words; a damaged or foreign file may hold them anyway.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE assigned_case SET state = 'lost'")
            try db.execute(sql: "UPDATE review_mark SET decision = 'maybe'")
        }
        let reopened = try DeviceStore.open(path: path)
        #expect(
            throws: StoreError.undecodable(what: "case state", detail: "unknown case state 'lost', known: assigned, reassigned, withdrawn")
        ) {
            try reopened.assignedCases()
        }
        #expect(
            throws: StoreError.undecodable(
                what: "review decision", detail: "unknown review decision 'maybe', known: approved, rejected, commented")
        ) {
            try reopened.reviewMarks()
        }
    }
}
