import Fieldwork
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// A rejected interview on the full screen: the supervisor's comment is shown with its question
/// (not only as a passing message), and the answers commented on are flagged in the form.
struct ReviewCommentScreenTests {
    static func mark(_ sequence: Int64, _ decision: ReviewMark.Decision, _ text: String, at question: Address? = nil) -> ReviewMark {
        ReviewMark(
            sequence: sequence, interview: "iv-1", decision: decision, text: text, question: question, reviewedDevice: "lap-1",
            reviewedSequence: 9, at: 1_790_000_000_000, actor: "Sári")
    }

    /// Comments at Béla's age and at Anna's name; the rejection.
    static let notes = ReviewNotes.of(
        [
            mark(1, .commented, "Béla 47 éves? A lista szerint 74.", at: Address("m_age", rows: [2])),
            mark(2, .commented, "Anna teljes neve kell.", at: Address("m_name", rows: [1])),
            mark(3, .rejected, "Ellenőrizze a háztartás adatait."),
        ], latestEnd: "lap-1", sequence: 9)

    @Test(arguments: [(UILanguage.hu, 80, 24), (.en, 120, 40)])
    func theCommentIsShownAtItsQuestion(_ ui: UILanguage, _ width: Int, _ height: Int) throws {
        let notes = try #require(Self.notes)
        let interview = try EnergyScreen.interview(language: ui == .hu ? "hu" : "en")
        let lines = EnergyScreen.capture(
            interview, at: Address("m_age", rows: [2]), width: width, height: height, ui: ui, review: notes)
        // The rejection's time is local time (TZ): masked.
        let text = (lines.joined(separator: "\n") + "\n").replacing(/\d{4}-\d\d-\d\dT\d\d:\d\d/, with: "ÉÉÉÉ-HH-NNTÓÓ:PP")
        assertGolden(text, file: goldenDirectory() + "/Golden/screen-review-\(ui.rawValue)-\(width)x\(height).txt")
        let comment = ui == .hu ? "⚑ Az ellenőr megjegyzése (Sári): Béla 47 éves?" : "⚑ The supervisor's comment (Sári): Béla 47 éves?"
        #expect(text.contains(comment), "the comment is with its question:\n\(text)")
        #expect(text.contains("⚑ Anna"), "Anna's name is flagged in the roster table:\n\(text)")
        #expect(!text.contains("teljes neve kell"), "another question's comment is not shown here")
    }

    /// The comment stays while its question is current (a wrong answer typed does not hide it),
    /// and is not repeated in the message area.
    @Test func theCommentStaysWithItsQuestion() throws {
        let notes = try #require(Self.notes)
        let interview = try EnergyScreen.interview()
        let screen = MemoryScreen(width: 100, height: 30, keys: KeyEvent.line("200"))
        let controller = InterviewController(
            interview: interview, spent: ActiveTime(startedAt: Fixture.start.timestamp), recorder: MemoryRecorder(),
            clock: .stepping(from: Fixture.start),
            options: SessionOptions(
                uiLanguage: .hu, interviewer: "anna", resumeCommand: "x", resumeAt: Address("m_age", rows: [2]), review: notes))
        let session = FullScreenSession(controller: controller, device: screen, interviewID: "7e0b6db1-4c2a", cases: [])
        _ = session.run()
        let text = screen.text
        #expect(text.components(separatedBy: "Béla 47 éves? A lista szerint 74.").count == 2, "once, at the question:\n\(text)")
        #expect(controller.cursor == Address("m_age", rows: [2]), "200 is refused: still at the question")
    }
}
