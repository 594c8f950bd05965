import Fieldwork
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// The terminal session with answers that an earlier change made invalid (issue 17, point 2).
struct StaleAnswerSessionTests {
    static let definition = Scenario.compile(
        source: """
            survey stale {
              title hu "Elavult" en "Stale"
              version "1"
              languages hu en
            }
            answers PROG {
              1 hu "egy" en "one"
              2 hu "kettő" en "two"
              4 hu "négy" en "four"
            }
            section A {
              title hu "A" en "A"
              question aware multiple PROG { text hu "Ismeri?" en "Aware?" }
              question part multiple PROG {
                filter option in aware
                text hu "Részt vett?" en "Took part?"
              }
              question last text { text hu "Még valami?" en "Anything else?" }
            }
            """)

    static func interview(_ events: [InterviewEventKind] = []) throws -> Interview {
        var interview = try Interview(
            definition: definition, started: .started(definition: "h", seed: 1, language: "hu", preload: [:]),
            context: Fixture.context)
        for event in events { try interview.apply(event, context: Fixture.context) }
        return interview
    }

    @Test func goingBackAndNarrowingAFilterAsksTheDependentQuestionAgain() throws {
        let run = try ScriptedRun(
            ["1 4", "1 4", ".v", ".v", "1 2", "", "1", "kész"], width: 200, interview: try Self.interview())
        #expect(run.output.contains("Figyelem: a(z) part kérdés korábbi válasza a módosítás után már nem érvényes"))
        #expect(
            run.output.contains(
                "A tárolt válasz (1 egy; 4) egy korábbi válasz módosítása miatt már nem érvényes; adjon meg új választ. "
                    + "Érvénytelen válasz: „4” nem választható."))
        #expect(!run.output.contains("Jelenlegi válasz: 1 egy; 4 (Enter = megtartja)"))
        #expect(
            run.recorder.answers == [
                .answered(Address("aware"), .value(.choices([1, 4]))),
                .answered(Address("part"), .value(.choices([1, 4]))),
                .answered(Address("aware"), .value(.choices([1, 2]))),
                .answered(Address("part"), .value(.choices([1]))),  // Enter did not keep "1; 4"
                .answered(Address("last"), .value(.text("kész"))),
            ])
        #expect(run.end == .ended(outcome: nil))
    }

    /// On the full screen the stale answer is said once, under its question, when the change
    /// leads straight to it: the notice that it went stale is not repeated as a message.
    @Test func theFullScreenSaysAStaleAnswerOnceAtItsQuestion() throws {
        let run = try ScreenRun(KeyEvent.lines(["1 4", "1 4", ".v", ".v", "1 2"]), interview: try Self.interview(), width: 200)
        #expect(run.session.controller.cursor == Address("part"))
        let text = run.lines.joined(separator: " ")
        #expect(text.contains("A tárolt válasz (1 egy; 4) egy korábbi válasz"), "\(run.text)")
        #expect(!text.contains("Figyelem: a(z) part kérdés"), "\(run.text)")
        #expect(text.components(separatedBy: "„4” nem választható").count == 2, "said once: \(run.text)")
    }

    @Test func aStaleAnswerIsListedAtClosingAndBlocksItUntilFixed() throws {
        let interview = try Self.interview([
            .answered(Address("aware"), .value(.choices([1, 4]))), .answered(Address("part"), .value(.choices([4]))),
            .answered(Address("last"), .value(.text("-"))), .answered(Address("aware"), .value(.choices([1]))),
        ])
        #expect(interview.status == .inProgress)
        let run = try ScriptedRun(["", "1"], width: 200, interview: interview, resumeAt: Address("last"))
        #expect(run.output.contains("== Lezárás előtti ellenőrzés =="))
        #expect(run.output.contains("Már nem érvényes válaszok"))
        #expect(run.output.contains("part: 4 — Érvénytelen válasz: „4” nem választható."), "\(run.output)")
        #expect(run.recorder.answers == [.answered(Address("part"), .value(.choices([1])))])
        #expect(run.end == .ended(outcome: nil))
    }
}
