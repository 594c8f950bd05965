import Fieldwork
import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

/// Open rosters: the interviewer is asked whether to add a row when the route reaches them.
struct OpenRosterTests {
    static let definition = SurveyDefinition(
        id: "pets", version: "1", title: Fixture.hu("Állatok", "Pets"), languages: ["hu", "en"], answerSets: [],
        items: [
            .question(
                Question(
                    name: "q1", kind: .integer(min: Fixture.lit(0), max: Fixture.lit(5)),
                    text: Fixture.hu("Első kérdés", "First question"))),
            .group(
                Group(
                    id: "pets", kind: .roster(RosterSpec(count: nil, maxRows: 2)),
                    title: Fixture.hu("Háziállatok", "Pets"),
                    children: [
                        .question(Question(name: "p_name", kind: .text(maxLength: 20, pattern: nil), text: Fixture.hu("Neve?", "Name?")))
                    ])),
            .question(Question(name: "q2", kind: .integer(min: nil, max: nil), text: Fixture.hu("Utolsó", "Last"))),
        ])

    func run(_ lines: [String]) throws -> (MemoryRecorder, ScriptedTerminal, SessionEnd) {
        let interview = try Interview(
            definition: Self.definition, started: .started(definition: "h", seed: 1, language: "hu", preload: [:]),
            context: Fixture.context)
        let terminal = ScriptedTerminal(lines: lines)
        let recorder = MemoryRecorder()
        let session = InterviewSession(
            interview: interview, spent: ActiveTime(startedAt: Fixture.start.timestamp), terminal: terminal, recorder: recorder,
            clock: .stepping(from: Fixture.start), options: SessionOptions(interviewer: "anna", resumeCommand: "x"))
        return (recorder, terminal, session.run())
    }

    @Test func rowsAreAddedOnRequestUpToTheMaximum() throws {
        let (recorder, terminal, end) = try run(["1", "i", "Bodri", "igen", "Cirmi", "4"])
        #expect(end == .ended(outcome: nil))
        #expect(
            recorder.answers == [
                .answered(Address("q1"), .value(.integer(1))),
                .rowAdded("pets", parentRows: []),
                .answered(Address("p_name", rows: [1]), .value(.text("Bodri"))),
                .rowAdded("pets", parentRows: []),
                .answered(Address("p_name", rows: [2]), .value(.text("Cirmi"))),
                .answered(Address("q2"), .value(.integer(4))),
            ])
        #expect(terminal.output.contains("Háziállatok: új sor hozzáadása? i = igen, n = nem (eddig 0 sor)"))
        // At the maximum of 2 rows nobody is asked a third time.
        #expect(!terminal.output.contains("(eddig 2 sor)"))
    }

    @Test func declinedRosterIsSkipped() throws {
        let (recorder, _, _) = try run(["1", "n", "4"])
        #expect(recorder.answers == [.answered(Address("q1"), .value(.integer(1))), .answered(Address("q2"), .value(.integer(4)))])
    }
}

/// Removing the last row of an open roster.
struct RemoveRowTests {
    func run(_ lines: [String], ui: UILanguage? = nil) throws -> (MemoryRecorder, ScriptedTerminal, InterviewSession) {
        let interview = try Interview(
            definition: OpenRosterTests.definition,
            started: .started(definition: "h", seed: 1, language: "hu", preload: [:]), context: Fixture.context)
        let terminal = ScriptedTerminal(lines: lines)
        let recorder = MemoryRecorder()
        let session = InterviewSession(
            interview: interview, spent: ActiveTime(startedAt: Fixture.start.timestamp), terminal: terminal, recorder: recorder,
            clock: .stepping(from: Fixture.start), options: SessionOptions(uiLanguage: ui, interviewer: "anna", resumeCommand: "x"))
        _ = session.run()
        return (recorder, terminal, session)
    }

    @Test(arguments: [".st", ".rr", ".sortörlés"])
    func lastRowIsRemovedAfterConfirmationAndItsAnswerStaysInTheLog(_ command: String) throws {
        let (recorder, terminal, session) = try run(["1", "i", "Bodri", "i", "Cirmi", ".u p_name[2]", command, "i", "4"])
        #expect(
            recorder.answers == [
                .answered(Address("q1"), .value(.integer(1))),
                .rowAdded("pets", parentRows: []),
                .answered(Address("p_name", rows: [1]), .value(.text("Bodri"))),
                .rowAdded("pets", parentRows: []),
                .answered(Address("p_name", rows: [2]), .value(.text("Cirmi"))),
                .rowRemoved("pets", parentRows: []),
                .answered(Address("q2"), .value(.integer(4))),
            ])
        #expect(terminal.output.contains("Háziállatok: törli a(z) 2. sort? A válaszai a naplóban megmaradnak."))
        #expect(session.interview.rowCount(of: "pets", parentRows: []) == 1)
        #expect(session.interview.offRouteAnswers[Address("p_name", rows: [2])] == .value(.text("Cirmi")))
    }

    @Test func declinedRemovalKeepsTheRow() throws {
        let (recorder, terminal, _) = try run(["1", "i", "Bodri", "n", ".u p_name[1]", ".st", "n"])
        #expect(!recorder.answers.contains(.rowRemoved("pets", parentRows: [])))
        #expect(terminal.output.contains("A sor megmaradt."))
    }

    @Test func outsideAnOpenRosterTheCommandExplainsWhereToUseIt() throws {
        let (recorder, terminal, _) = try run([".rr"], ui: .en)
        #expect(recorder.answers.isEmpty)
        #expect(terminal.output.contains("This question is not in an open roster"))
    }

    @Test func helpListsTheRemoveRowCommand() throws {
        let (_, terminal, _) = try run(["?"])
        #expect(terminal.output.contains("a nyitott lista utolsó sorának törlése"))
    }
}
