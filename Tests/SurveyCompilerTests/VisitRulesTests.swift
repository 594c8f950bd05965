import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import Testing

/// `final { … }` in `targets` (docs/language.md §10): what it lowers to and what is refused.
struct VisitRulesTests {
    static let source =
        TargetsTests.header + """
            answers OUT {
              11 hu "Teljes" en "Complete"
              21 hu "Visszautasítás" en "Refusal"
              23 hu "Nincs otthon" en "Nobody home"
              24 hu "Nem elérhető" en "Unavailable"
              25 hu "Időpont" en "Appointment"
            }
            question outcome single OUT { interviewer optional text hu "Eredmény" en "Outcome" }

            """

    private func compileRules(_ lines: String) -> (CompileResult, MarkedSource) {
        compileMarked(Self.source + "targets {\n  final {\n\(lines)\n  }\n}\n", header: false)
    }

    @Test func everyKindOfLineLowersToTheRules() throws {
        let (result, _) = compileRules(
            """
                appointment 25
                revisit 24
                23 after 3 visits on different days, 1 from @17:00 or weekend
                21 after 2 visits, 1 at weekend
            """)
        #expect(result.diagnostics.isEmpty, "\(DiagnosticRenderer().render(result.diagnostics))")
        let rules = try #require(result.compiled?.definition.targets?.visitRules)
        #expect(rules.appointment == [25])
        #expect(rules.revisit == [24])
        #expect(
            rules.requirements == [
                VisitRequirement(
                    codes: [23], visits: 3, differentDays: true, late: 1, eveningFrom: TimeOfDay(hour: 17, minute: 0), weekend: true),
                VisitRequirement(codes: [21], visits: 2, differentDays: false, late: 1, eveningFrom: nil, weekend: true),
            ])
        let definition = try #require(result.compiled?.definition)
        #expect(try definition.canonicalJSON() == SurveyDefinition.canonicalEncoder().encode(definition))
    }

    @Test(
        arguments: [
            ("appointment 1️⃣11", "E1008", "complete"),
            ("1️⃣11 after 2 visits", "E1008", "complete"),
            ("23 after 2 visits, 1️⃣3 from @17:00", "E1009", "3 evening or weekend visits among 2"),
            ("23 after 1️⃣0 visits", "E0207", "1 or more"),
            ("revisit 1️⃣99", "E1004", "not a code of 'outcome'"),
            ("revisit 24\n    appointment 1️⃣24", "E1003", "outcome code 24"),
            ("23 1️⃣visits 3", "E0101", "'after'"),
            ("23 after 3 visits, 1 1️⃣evening", "E0101", "from @17:00"),
            ("1️⃣later 23", "E0101", "a final rule"),
        ] as [(String, String, String)])
    func badRulesGetTheirDiagnostic(_ line: String, _ code: String, _ message: String) {
        let (result, source) = compileRules("    " + line)
        let found = result.diagnostics.first { $0.code.rawValue == code }
        let rendered = DiagnosticRenderer().render(result.diagnostics)
        #expect(found != nil, "no \(code) in:\n\(rendered)")
        #expect(found?.range.start == source.markers["1️⃣"], "\(code) at the wrong place:\n\(rendered)")
        #expect(((found?.message ?? "") + " " + (found?.help ?? "")).contains(message), "\(rendered)")
        #expect(result.compiled == nil)
    }

    @Test func finalRulesNeedAnOutcomeVariable() {
        let (result, _) = compileMarked(
            """
            answers OUT { 23 hu "Nincs otthon" en "Nobody home" }
            question outcome single OUT { interviewer optional text hu "Eredmény" en "Outcome" }
            targets { 1️⃣final { 23 after 3 visits } }
            """)
        #expect(result.diagnostics.contains { $0.code.rawValue == "E1004" && $0.message.contains("visit-outcome variable") })
    }
}
