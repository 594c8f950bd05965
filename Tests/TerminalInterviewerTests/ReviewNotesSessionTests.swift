import Fieldwork
import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

/// A rejected interview in the line view: the rejection is said when the session starts, and
/// the supervisor's comment when its question is shown (once per showing), in the UI language.
struct ReviewNotesSessionTests {
    static func mark(_ sequence: Int64, _ decision: ReviewMark.Decision, _ text: String, at question: Address? = nil) -> ReviewMark {
        ReviewMark(
            sequence: sequence, interview: "iv-1", decision: decision, text: text, question: question, reviewedDevice: "lap-1",
            reviewedSequence: 9, at: 1_790_000_000_000, actor: "Sári")
    }

    static let notes = ReviewNotes.of(
        [mark(1, .commented, "Tényleg 12?", at: Address("hh_size")), mark(2, .rejected, "Ellenőrizze a létszámot.")],
        latestEnd: "lap-1", sequence: 9)

    @Test func theRejectionAndTheCommentAtItsQuestionAreSaid() throws {
        let notes = try #require(Self.notes)
        #expect(!notes.isFixed && notes.comments(at: Address("hh_size")).count == 1)
        let run = try ScriptedRun(["2", "1", "7", "1"], review: notes)
        let output = run.output
        let rejected = try #require(output.range(of: "Visszaküldve javításra (Sári, "))
        #expect(output.contains("): Ellenőrizze a létszámot."))
        let comment = try #require(output.range(of: "Az ellenőr megjegyzése (Sári): Tényleg 12?"))
        let question = try #require(output.range(of: "Önnel együtt hányan élnek a háztartásban?"))
        #expect(rejected.lowerBound < comment.lowerBound && comment.lowerBound < question.lowerBound, "said before its question")
        #expect(output.components(separatedBy: "Tényleg 12?").count == 2, "once")
        #expect(run.recorder.events.contains(.shown(Address("hh_size"))))
    }

    @Test func inEnglishAndNothingWithoutNotes() throws {
        let english = try ScriptedRun(["2"], uiLanguage: .en, review: try #require(Self.notes))
        #expect(english.output.contains("Rejected — to fix (Sári, "))
        let plain = try ScriptedRun(["2", "1", "7", "1"])
        #expect(!plain.output.contains("Sári"))
        // Approved, or not reviewed: no notes.
        #expect(ReviewNotes.of([Self.mark(3, .approved, "ok")], latestEnd: "lap-1", sequence: 9) == nil)
        #expect(ReviewNotes.of([], latestEnd: "lap-1", sequence: 9) == nil)
        // Changed on the device since: still the notes, marked as fixed.
        let fixed = ReviewNotes.of([Self.mark(2, .rejected, "x")], latestEnd: "lap-1", sequence: 12)
        #expect(fixed?.isFixed == true)
    }
}
