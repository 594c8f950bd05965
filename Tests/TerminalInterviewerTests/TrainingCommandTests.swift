import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

/// `.gyakorló` / `.training` in a running session: one `trainingMarked` event per change.
struct TrainingCommandTests {
    @Test func markingAndUnmarkingDuringTheInterviewIsRecordedOncePerChange() throws {
        let run = try ScriptedRun([".gyakorló", ".gyakorló", "2", ".gyakorló ki", ".gyakorló ki", ".k"], width: 200)
        #expect(
            run.recorder.answers == [
                .trainingMarked(true), .answered(Address("hh_n16"), .value(.integer(2))), .trainingMarked(false),
            ])
        #expect(run.session.interview.isTraining == false)
        #expect(run.output.contains("Gyakorló (teszt) interjú: megmarad, de kimarad az exportokból és a jelentésekből."))
        #expect(run.output.contains("Ez már gyakorló (teszt) interjú."))
        #expect(run.output.contains("A gyakorló jelölés visszavonva"))
        #expect(run.output.contains("Ez nem gyakorló interjú; nincs mit visszavonni."))
        #expect(run.end == .savedAndQuit)
    }

    @Test func englishSpellingWorksAndTheMarkStaysAfterQuitting() throws {
        let run = try ScriptedRun([".training", ".q"], uiLanguage: .en, width: 200)
        #expect(run.recorder.answers == [.trainingMarked(true)])
        #expect(run.session.interview.isTraining)
        #expect(run.output.contains("Training (test) interview: kept, but excluded from exports and reports."))
    }

    @Test func aMarkThatCannotBeSavedStopsTheSessionAndIsNotShownAsSet() throws {
        let run = try ScriptedRun([".gyakorló"], failAfter: 1)
        #expect(run.recorder.answers.isEmpty)
        #expect(!run.session.interview.isTraining)
        guard case .storageFailed = run.end else {
            Issue.record("expected a storage failure, got \(run.end)")
            return
        }
    }
}
