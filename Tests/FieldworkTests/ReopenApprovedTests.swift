import Foundation
import SurveyModel
import SurveyStore
import Testing

@testable import Fieldwork

/// `terep interview --reopen` on a device refuses an interview its newest package says was
/// approved, and allows it again once a later rejection arrives.
struct ReopenApprovedTests {
    static let source = """
        survey ra {
          title hu "Zár" en "Lock"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT { 11 hu "Teljes" en "Complete" 21 hu "Elutasítás" en "Refusal" }
        question q integer 0..9 { text hu "Szám?" en "Number?" }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        """

    static func mark(_ sequence: Int64, _ id: InterviewID, _ decision: ReviewMark.Decision, judged: Int64) -> ReviewMark {
        ReviewMark(
            sequence: sequence, interview: id, decision: decision, text: decision == .rejected ? "fix q" : nil, question: nil,
            reviewedDevice: "lap-1", reviewedSequence: judged, at: 1_790_000_000_000, actor: "Sári")
    }

    @Test func anApprovedInterviewIsLockedUntilALaterRejection() throws {
        let compiled = try CentralFixture.compile(Self.source)
        let store = try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "Anna")
        let prepared = try InterviewStart.begin(compiled, store: store, options: InterviewStartOptions(seed: 1))
        let id = prepared.id
        _ = try store.append(.answered(Address("q"), .value(.integer(3))), interview: id, timestamp: 1_790_000_001_000)
        let ended = try store.append(.ended(outcome: 11), interview: id, timestamp: 1_790_000_002_000)

        try store.applyPackage(
            DevicePackage(
                through: 10, createdAt: 1, definitions: [], cases: [], reviews: [Self.mark(10, id, .approved, judged: ended.sequence)]),
            receivedAt: 2)
        do {
            _ = try InterviewStart.reopen(id, reason: "q was wrong", store: store)
            Issue.record("an approved interview was reopened")
        } catch {
            guard case .approved(let refused, let by, _) = error else { throw error }
            #expect(refused == id && by == "Sári")
            #expect(error.description.contains("was approved by Sári"))
            #expect(error.description.contains("terep review --reject"))
        }
        #expect(try store.events(interview: id).count == 3)

        // A later rejection (the coordinator changed their mind) unlocks it.
        try store.applyPackage(
            DevicePackage(
                through: 11, createdAt: 1, definitions: [], cases: [],
                reviews: [Self.mark(10, id, .approved, judged: ended.sequence), Self.mark(11, id, .rejected, judged: ended.sequence)]),
            receivedAt: 3)
        let (_, previous) = try InterviewStart.reopen(id, reason: "q was wrong", store: store)
        #expect(previous == 11)
    }
}
