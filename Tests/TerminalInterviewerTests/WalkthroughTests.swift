import Fieldwork
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// What walking the well-being interview at 80×24 as a Hungarian fieldworker found clumsy, each
/// fixed: the header and the answer hint broken inside an item, option labels cut while there
/// was room for them, text typed ahead at a note dropped without a word, and nothing saying that
/// Enter skips an optional question; and the review named answers by variable names only.
struct WalkthroughTests {
    static let definition = Scenario.compile(repositoryFile: "questionnaires/wellbeing.survey")

    /// The well-being study with its case data, screened in and consenting.
    static func interview(answers: [(Address, Value)] = []) throws -> Interview {
        let preload: [VariableName: Value] = [
            "int_id": .text("K017"), "sample_source": .choice(1), "cluster_id": .text("K042"), "address_id": .text("A0042"),
            "district": .choice(1),
        ]
        var interview = try Interview(
            definition: definition, started: .started(definition: "h", seed: 1, language: "hu", preload: preload),
            context: Fixture.context)
        for (at, value) in answers { try interview.apply(.answered(at, .value(value)), context: Fixture.context) }
        return interview
    }

    static let consenting: [(Address, Value)] = [
        (Address("hh_n16"), .integer(2)), (Address("sel_initials"), .text("KJ")), (Address("sel_ok"), .choice(1)),
        (Address("consent_main"), .choice(1)), (Address("consent_health"), .choice(1)),
    ]

    static func screen(at: Address, answers: [(Address, Value)] = consenting, ui: UILanguage = .hu) throws -> [String] {
        EnergyScreen.capture(try interview(answers: answers), at: at, width: 80, height: 24, ui: ui)
    }

    @Test func itemsArePackedBetweenNeverInside() {
        let items = ["interjú 17739d4c", "Látogatási adatok (a kérdező tölti ki) (1/9. szakasz)", "10 kész, hátra kb. 50"]
        let lines = TextLayout.pack(items, width: 80, indent: " ")
        #expect(lines == [" interjú 17739d4c · Látogatási adatok (a kérdező tölti ki) (1/9. szakasz)", " 10 kész, hátra kb. 50"])
        // An item wider than the line alone is wrapped by words.
        let long = TextLayout.pack(["a", String(repeating: "szó ", count: 10).trimmingCharacters(in: .whitespaces)], width: 12)
        #expect(long.allSatisfy { TextLayout.width($0) <= 12 })
        #expect(long.first == "a")
        #expect(TextLayout.pack([], width: 10).isEmpty)
    }

    /// The header's progress (`12 kész, hátra kb. 48`) and the answer hint's parts
    /// (`.nt = nem tudja, .nv = nem válaszol`) are never broken over two lines at 80 columns.
    @Test func theHeaderAndTheHintBreakBetweenTheirParts() throws {
        let lines = try Self.screen(at: Address("prog_aware"))
        let text = lines.joined(separator: "\n")
        #expect(lines.contains { $0.hasSuffix("kész, hátra kb. \($0.split(separator: " ").last ?? "")") }, "\(text)")
        #expect(!lines.contains { $0.hasSuffix("hátra kb.") || $0.hasSuffix("kész,") }, "\(text)")
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces) == ".nt = nem tudja, .nv = nem válaszol" }, "\(text)")
    }

    /// prog_aware's ten programmes are read out: every label is on screen whole at 80×24 (in one
    /// column, the form pane making room), none cut with `…`.
    @Test func optionLabelsAreNotCutWhileThereIsRoom() throws {
        let lines = try Self.screen(at: Address("prog_aware"))
        let text = lines.joined(separator: "\n")
        let interview = try Self.interview(answers: Self.consenting)
        let labels = interview.options(at: Address("prog_aware")).map { interview.render($0.label) }
        #expect(labels.count == 10)
        let flowing = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        for label in labels { #expect(flowing.contains(label), "\(label) is cut:\n\(text)") }
        #expect(!text.contains("…\n") && !lines.contains { $0.hasSuffix("…") }, "\(text)")
    }

    /// Text typed at a note (the initials typed one screen early) is not dropped silently: the
    /// screen says so and stays; an empty Enter goes on, where the initials are asked.
    @Test(arguments: [UILanguage.hu, .en])
    func textTypedAtANoteIsRefusedWithWhy(_ ui: UILanguage) throws {
        let interview = try Self.interview(answers: [(Address("hh_n16"), .integer(2))])
        let note = Address("sel_note")
        let typed = try ScreenRun(KeyEvent.line("KJ"), interview: interview, uiLanguage: ui, resumeAt: note)
        #expect(typed.session.controller.cursor == note)
        #expect(typed.text.contains(ui == .hu ? "Ez a képernyő csak tájékoztat" : "This screen only informs"), "\(typed.text)")
        #expect(typed.session.state.editor.isEmpty, "the input line is cleared, so Enter goes on")
        #expect(!typed.recorder.answers.contains { if case .answered(Address("sel_note"), _) = $0 { true } else { false } })
        let onward = try ScreenRun(KeyEvent.line("KJ") + [.enter], interview: interview, uiLanguage: ui, resumeAt: note)
        #expect(onward.session.controller.cursor == Address("sel_initials"))
        // The line view says the same.
        let plain = try ScriptedRun(["KJ", ""], uiLanguage: ui, interview: interview, resumeAt: note)
        #expect(plain.output.contains(ui == .hu ? "Ez a képernyő csak tájékoztat" : "This screen only informs"), "\(plain.output)")
        #expect(plain.output.contains("sel_initials"), "Enter went on to the initials")
    }

    /// An optional question says under its empty input line that Enter skips it; a required one does not.
    @Test func anOptionalQuestionSaysEnterSkipsIt() throws {
        let optional = try Self.screen(at: Address("gps_lat"), answers: [])
        #expect(optional.contains { $0.contains("Nem kötelező: üres sor + Enter = kihagyja") }, "\(optional.joined(separator: "\n"))")
        let required = try Self.screen(at: Address("hh_n16"), answers: [])
        #expect(!required.contains { $0.contains("Nem kötelező") })
        let english = try Self.screen(at: Address("gps_lat"), answers: [], ui: .en)
        #expect(english.contains { $0.contains("Optional: empty line + Enter skips it") })
    }

    /// The review (F3) names each answer by its label as well as its variable name.
    @Test func theReviewNamesAnswersByTheirLabels() throws {
        let interview = try Self.interview(answers: Self.consenting)
        let run = try ScreenRun([.function(3)], interview: interview, height: 40, resumeAt: Address("life_sat"))
        #expect(run.text.contains("district        Városrész: 1 Belváros"), "\(run.text)")
        #expect(run.text.contains("hh_n16  "), "\(run.text)")
    }
}
