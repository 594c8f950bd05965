import CentralTestSupport
import Foundation
import SurveyModel
import SurveyStore
import Testing

@testable import Fieldwork

/// `terep review` over a central dataset: each decision a log entry with who and when and the
/// state it judged; a fix merged after a rejection waits for review again; what is refused.
struct SupervisorReviewTests {
    static let source = """
        survey rv {
          title hu "Ellenőrzés" en "Review"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT { 11 hu "Teljes" en "Complete" 21 hu "Elutasítás" en "Refusal" 23 hu "Senki" en "Non-contact" }
        question n integer 0..3 { text hu "Hányan?" en "How many?" }
        roster mem count n max 3 {
          question m_age integer 0..110 { text hu "Kor?" en "Age?" }
        }
        note bye { text hu "Köszönöm." en "Thank you." }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        targets {
          outcomes { complete 11 refusal 21 noncontact 23 }
          final { 23 after 3 visits }
        }
        """

    static func fixture(on store: CentralImplementation) throws -> CentralFixture {
        var f = try CentralFixture(try CentralFixture.compile(source), on: store)
        try f.merge(
            "lap-1", "iv-done",
            [
                f.started(), .answered(Address("n"), .value(.integer(2))), .answered(Address("m_age", rows: [1]), .value(.integer(40))),
                .answered(Address("m_age", rows: [2]), .value(.integer(12))), .ended(outcome: 11),
            ])
        try f.merge("lap-1", "iv-open", [f.started(), .answered(Address("n"), .value(.integer(1)))])
        try f.merge("lap-2", "iv-nc", [f.started(), .ended(outcome: 23)])
        try f.merge("lap-2", "iv-train", [f.started(), .trainingMarked(true), .ended(outcome: 21)])
        return f
    }

    static func record(_ f: CentralFixture, _ request: ReviewRequest, _ id: String, at: Int64 = 5_000) throws -> ReviewReceipt {
        try SupervisorReview.record(request, interview: id, central: f.central, actor: "Sári", at: at)
    }

    @Test(arguments: CentralImplementation.all)
    func aRejectionIsLoggedWithWhoWhenAndTheStateItJudged(_ store: CentralImplementation) throws {
        var f = try Self.fixture(on: store)
        let comment = try Self.record(f, .comment(question: "m_age[2]", text: "12 éves a házastárs?"), "iv-do", at: 4_000)
        #expect(comment.entry.action == .commented)
        #expect(comment.entry.question == Address("m_age", rows: [2]))
        #expect(comment.state == .notReviewed)
        let receipt = try Self.record(f, .reject(comment: "  Check the ages.  "), "iv-done")
        #expect(receipt.state == .rejected)
        let e = receipt.entry
        #expect(e.action == .rejected && e.actor == "Sári" && e.at == 5_000 && e.text == "Check the ages.")
        #expect(e.interview == "iv-done" && e.device == "lap-1" && e.reviewedDevice == "lap-1" && e.reviewedSequence == 5)
        let marks = try #require(try f.central.reviewsByInterview(survey: "rv")["iv-done"]).compactMap(\.reviewMark)
        #expect(marks.map(\.decision) == [.commented, .rejected])
        let rejection = try #require(ReviewState.rejection(in: marks))
        #expect(rejection.comments.map(\.text) == ["12 éves a házastárs?"])

        // The fix: the device reopens, corrects and ends the interview again; it waits for review.
        try f.merge(
            "lap-1", "iv-done",
            [
                .reopened(reason: "ages"), .answered(Address("m_age", rows: [2]), .value(.integer(42))), .ended(outcome: 11),
            ])
        let fixed = try #require(try f.central.interviews().first { $0.id == "iv-done" })
        #expect(ReviewState.of(marks, latestEnd: fixed.statusDevice, sequence: fixed.statusSequence) == .fixed)
        let approval = try Self.record(f, .approve(note: nil), "iv-done", at: 6_000)
        #expect(approval.state == .approved)
        #expect(approval.entry.reviewedSequence == 10)
    }

    @Test(arguments: CentralImplementation.all)
    func whatIsRefusedChangesNothing(_ store: CentralImplementation) throws {
        let f = try Self.fixture(on: store)
        func refused(_ request: ReviewRequest, _ id: String, _ words: String) {
            do {
                _ = try Self.record(f, request, id)
                Issue.record("\(request) on \(id) was accepted")
            } catch {
                #expect("\(error)".contains(words), "\(error)")
            }
        }
        refused(.approve(note: nil), "nobody", "no interview in the central dataset has this id")
        refused(.approve(note: nil), "iv-", "4 interviews begin with it")
        refused(.approve(note: nil), "iv-open", "in progress")
        refused(.reject(comment: "x"), "iv-open", "in progress")
        refused(.approve(note: nil), "iv-nc", "ended with 23, which does not close the case yet")
        refused(.approve(note: nil), "iv-train", "training")
        refused(.reject(comment: "   "), "iv-done", "say what is wrong")
        refused(.reject(comment: String(repeating: "x", count: 2_001)), "iv-done", "at most 2000")
        refused(.reject(comment: "bad\u{1B}[2J"), "iv-done", "control characters")
        refused(.comment(question: "m_agе", text: "x"), "iv-done", "has no such question")
        refused(.comment(question: "bye", text: "x"), "iv-done", "has no such question")
        refused(.comment(question: "m_age", text: "x"), "iv-done", "takes 1 row number")
        refused(.comment(question: "n[1]", text: "x"), "iv-done", "takes no row number")
        refused(.comment(question: "m_age[", text: "x"), "iv-done", "write a question's name")
        #expect(try f.central.reviewsByInterview(survey: nil).isEmpty)
        // A rejection of a visit that does not close the case is fine (the data need fixing).
        #expect(try Self.record(f, .reject(comment: "wrong household"), "iv-nc").state == .rejected)
    }
}
