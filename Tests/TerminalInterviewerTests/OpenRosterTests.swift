import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

/// Open rosters: the interviewer is asked whether to add a row when the route reaches them.
struct OpenRosterTests {
    static let definition = SurveyDefinition(
        id: "pets", version: "1", title: Fixture.hu("Állatok", "Pets"), languages: ["hu", "en"], answerSets: [],
        items: [
            .question(Question(name: "q1", kind: .integer(min: Fixture.lit(0), max: Fixture.lit(5)),
                               text: Fixture.hu("Első kérdés", "First question"))),
            .group(Group(id: "pets", kind: .roster(RosterSpec(count: nil, maxRows: 2)),
                         title: Fixture.hu("Háziállatok", "Pets"), children: [
                .question(Question(name: "p_name", kind: .text(maxLength: 20, pattern: nil), text: Fixture.hu("Neve?", "Name?"))),
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
            interview: interview, startedAt: Fixture.start.timestamp, terminal: terminal, recorder: recorder,
            clock: .stepping(from: Fixture.start), options: SessionOptions(interviewer: "anna", resumeCommand: "x"))
        return (recorder, terminal, session.run())
    }

    @Test func rowsAreAddedOnRequestUpToTheMaximum() throws {
        let (recorder, terminal, end) = try run(["1", "i", "Bodri", "igen", "Cirmi", "4"])
        #expect(end == .ended(outcome: nil))
        #expect(recorder.answers == [
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
