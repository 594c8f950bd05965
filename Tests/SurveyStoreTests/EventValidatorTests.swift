import Foundation
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("The merge's check of events against their questionnaire") struct EventValidatorTests {
    /// `sampleSurvey()` with q1 bounded to 0..10, under the very same hash: what a forged or
    /// corrupted definition file could claim. The process keeps what it built for a definition
    /// (its index, its code sets); reusing the other one's would check q1 by the wrong bounds.
    @Test("a kept questionnaire index is reused only for the same definition, never for another under its hash")
    func keptIndexesAreComparedWhole() {
        let plain = sampleSurvey()
        var bounded = plain
        bounded.definition.items[1] = .question(
            Question(name: "q1", kind: .integer(min: .literal(.integer(0)), max: .literal(.integer(10)))))
        #expect(bounded.hash == plain.hash && bounded.definition != plain.definition)
        let fifty = InterviewEventKind.answered(Address("q1"), .value(.integer(50)))
        // Alternating, so each is built once and then found among the kept entries.
        for (survey, refused) in [(plain, false), (bounded, true), (plain, false), (bounded, true)] {
            let validator = EventValidator([DefinitionFile(survey: survey, bytes: Data())])
            let problem = validator.problem(with: fifty, definition: survey.hash)
            #expect((problem != nil) == refused, "\(problem ?? "accepted")")
        }
    }
}
