import CentralTestSupport
import Foundation
import SurveyModel
import SurveyStore
import Testing

@testable import Fieldwork

/// An interview reopened to fix a rejection starts at the first answer on its route the
/// supervisor commented on; without comments, once fixed, or when reopened for another reason,
/// where it was last shown. The decisions are made up on the device here, except in
/// ``theSupervisorsCommentsFromEachCentralStoreReopenAtTheFirst(_:)``, where they are the
/// review decisions a central store (``CentralImplementation/all``) recorded and packs.
struct ReopenAtCommentTests {
    static let source = """
        survey rc {
          title hu "Javítás" en "Fix"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT { 11 hu "Teljes" en "Complete" 21 hu "Elutasítás" en "Refusal" }
        question a integer 0..9 { text hu "A?" en "A?" }
        question b integer 0..9 { text hu "B?" en "B?" }
        question c integer 0..9 { text hu "C?" en "C?" }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        """

    static func mark(
        _ sequence: Int64, _ id: InterviewID, _ decision: ReviewMark.Decision, at question: String? = nil, judged: Int64
    ) -> ReviewMark {
        ReviewMark(
            sequence: sequence, interview: id, decision: decision, text: "nézze meg", question: question.map { Address(VariableName($0)) },
            reviewedDevice: "lap-1", reviewedSequence: judged, at: 1_790_000_000_000, actor: "Sári")
    }

    /// An interview with a, b, c answered, shown last at the outcome and ended complete.
    static func ended(_ store: DeviceStore) throws -> (InterviewID, Int64) {
        let compiled = try CentralFixture.compile(Self.source)
        let id = try InterviewStart.begin(compiled, store: store, options: InterviewStartOptions(seed: 1)).id
        var t: Int64 = 1_790_000_001_000
        for (name, value) in [("a", 1), ("b", 2), ("c", 3)] {
            t += 1_000
            _ = try store.append(.shown(Address(VariableName(name))), interview: id, timestamp: t)
            _ = try store.append(.answered(Address(VariableName(name)), .value(.integer(value))), interview: id, timestamp: t + 500)
        }
        _ = try store.append(.shown(Address("outcome")), interview: id, timestamp: t + 1_000)
        let end = try store.append(.ended(outcome: 11), interview: id, timestamp: t + 2_000)
        return (id, end.sequence)
    }

    static func receive(_ store: DeviceStore, _ marks: [ReviewMark], through: Int64) throws {
        try store.applyPackage(
            DevicePackage(through: through, createdAt: 1, definitions: [], cases: [], reviews: marks), receivedAt: through)
    }

    @Test func aRejectedInterviewReopensAtTheFirstCommentedAnswerOnItsRoute() throws {
        let store = try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "Anna")
        let (id, judged) = try Self.ended(store)
        // Comments on c and b (in that order): b comes first on the route.
        try Self.receive(
            store,
            [
                Self.mark(1, id, .commented, at: "c", judged: judged), Self.mark(2, id, .commented, at: "b", judged: judged),
                Self.mark(3, id, .rejected, judged: judged),
            ], through: 3)
        let (prepared, _) = try InterviewStart.reopen(id, reason: "fix after review", store: store)
        #expect(prepared.resumeAt == Address("b"))

        // Fixed (ended again), then reopened by hand: the fix waits for review, so where it was shown last.
        _ = try store.append(.shown(Address("c")), interview: id, timestamp: 1_790_000_100_000)
        _ = try store.append(.ended(outcome: 11), interview: id, timestamp: 1_790_000_101_000)
        let (again, _) = try InterviewStart.reopen(id, reason: "typo in c", store: store)
        #expect(again.resumeAt == Address("c"))
    }

    @Test func withoutCommentsOrRejectionItIsWhereItWasLastShown() throws {
        let store = try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "Anna")
        let (id, judged) = try Self.ended(store)
        try Self.receive(store, [Self.mark(1, id, .rejected, judged: judged)], through: 1)
        #expect(try InterviewStart.reopen(id, reason: "fix", store: store).prepared.resumeAt == Address("outcome"))

        let other = try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "Anna")
        let (plain, _) = try Self.ended(other)
        #expect(try InterviewStart.reopen(plain, reason: "visit 2", store: other).prepared.resumeAt == Address("outcome"))
    }

    /// The interview merged into a central dataset, commented at c then b and rejected there by
    /// `terep review`'s decisions; the marks the device's package carries reopen it at b.
    @Test(arguments: CentralImplementation.all)
    func theSupervisorsCommentsFromEachCentralStoreReopenAtTheFirst(_ central: CentralImplementation) throws {
        let store = try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "Anna")
        let (id, _) = try Self.ended(store)
        var f = try CentralFixture(try CentralFixture.compile(Self.source), on: central)
        try f.mergeEvents("lap-1", try store.events(interview: id))
        try f.central.review(.comment(Address("c"), "nézze meg"), interview: id, actor: "Sári", at: 1_790_000_200_000)
        try f.central.review(.comment(Address("b"), "és ezt"), interview: id, actor: "Sári", at: 1_790_000_201_000)
        try f.central.review(.reject(comment: "javítsa"), interview: id, actor: "Sári", at: 1_790_000_202_000)
        let snapshot = try f.central.packageSnapshot(device: "lap-1")
        #expect(snapshot.reviews.map(\.decision) == [.commented, .commented, .rejected])
        try Self.receive(store, snapshot.reviews, through: snapshot.through)
        let (prepared, _) = try InterviewStart.reopen(id, reason: "fix after review", store: store)
        #expect(prepared.resumeAt == Address("b"), "the first commented answer on the route")
    }
}
