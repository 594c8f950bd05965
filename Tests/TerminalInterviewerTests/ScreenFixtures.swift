import Fieldwork
import InterviewEngine
import SurveyModel
import SurveyTestSupport

@testable import TerminalInterviewer

extension KeyEvent {
    /// Keys that type each line and press Enter.
    static func lines(_ lines: [String]) -> [KeyEvent] { lines.flatMap { KeyEvent.line($0) } }
}

/// A full-screen session on a screen in memory: keys in, painted screens and saved events out.
struct ScreenRun {
    let screen: MemoryScreen
    let recorder: MemoryRecorder
    let session: FullScreenSession
    let end: SessionEnd

    init(
        _ keys: [KeyEvent], interview: Interview? = nil, width: Int = 80, height: Int = 24, colour: Bool = false,
        uiLanguage: UILanguage? = nil, resumeAt: Address? = nil, failAfter: Int? = nil
    ) throws {
        screen = MemoryScreen(width: width, height: height, colour: colour, keys: keys)
        recorder = MemoryRecorder(failAfter: failAfter)
        let controller = InterviewController(
            interview: try interview ?? Fixture.interview(), spent: ActiveTime(startedAt: Fixture.start.timestamp),
            recorder: recorder, clock: .stepping(from: Fixture.start),
            options: SessionOptions(uiLanguage: uiLanguage, interviewer: "anna", resumeCommand: "x", resumeAt: resumeAt))
        session = FullScreenSession(controller: controller, device: screen, interviewID: "7e0b6db1-0000", cases: ["cluster_id=K042"])
        end = session.run()
    }

    /// The last screen painted, as text.
    var text: String { screen.text }
    var lines: [String] { screen.painted?.lines ?? [] }
}

/// The energy study at its household roster, for golden captures of the full screen.
enum EnergyScreen {
    static let definition = Scenario.compile(repositoryFile: "questionnaires/energy.survey")

    static let preload: [VariableName: Value] = [
        "int_id": .text("K017"), "district": .choice(1), "cluster_id": .text("P-0042"), "address_id": .text("a5f3c9"),
    ]

    /// Observation, consent, a household of three: Anna answered in full, Béla's name and sex.
    static func interview(language: LanguageCode = "hu", answers more: [(Address, Value)] = []) throws -> Interview {
        var interview = try Interview(
            definition: definition, started: .started(definition: "h", seed: 1, language: language, preload: preload),
            context: Fixture.context)
        let answers: [(Address, Value)] =
            [
                (Address("bldg_obs"), .choice(1)), (Address("facade_insul_obs"), .choice(0)), (Address("consent"), .choice(1)),
                (Address("resp_role"), .choice(1)), (Address("hh_size"), .integer(3)),
                (Address("m_name", rows: [1]), .text("Anna")), (Address("m_sex", rows: [1]), .choice(2)),
                (Address("m_age", rows: [1]), .integer(45)), (Address("m_rel", rows: [1]), .choice(1)),
                (Address("m_act", rows: [1]), .choice(1)), (Address("m_home_day", rows: [1]), .choice(0)),
                (Address("m_name", rows: [2]), .text("Béla")), (Address("m_sex", rows: [2]), .choice(1)),
                (Address("m_name", rows: [3]), .text("Cili")),
            ] + more
        for (at, value) in answers { try interview.apply(.answered(at, .value(value)), context: Fixture.context) }
        return interview
    }

    /// The screen at `at`, as text, drawn at a size without a terminal.
    static func capture(
        _ interview: Interview, at: Address, width: Int, height: Int, ui: UILanguage, review: ReviewNotes? = nil,
        cases: [String] = ["address_id=a5f3c9", "cluster_id=P-0042", "district=1"], then act: (InterviewController) -> Void = { _ in }
    ) -> [String] {
        let controller = InterviewController(
            interview: interview, spent: ActiveTime(startedAt: Fixture.start.timestamp), recorder: MemoryRecorder(),
            clock: .stepping(from: Fixture.start),
            options: SessionOptions(uiLanguage: ui, interviewer: "anna", resumeCommand: "x", resumeAt: at, review: review))
        let session = FullScreenSession(
            controller: controller, device: MemoryScreen(width: width, height: height), interviewID: "7e0b6db1-4c2a",
            cases: cases)
        controller.start()
        act(controller)
        session.absorb()
        return ScreenRenderer(width: width, height: height, colour: false).render(session.model()).lines
    }
}
