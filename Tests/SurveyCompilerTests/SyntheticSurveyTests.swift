import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import TestSupportFixtures
import Testing

/// The generator's large forms compile cleanly with the promised shape.
struct SyntheticSurveyTests {
    @Test(arguments: [false, true])
    func standardFormCompilesWithoutDiagnostics(roster: Bool) throws {
        var spec = SyntheticSurvey.standard
        spec.roster = roster
        let source = SourceFile(path: "synthetic.survey", text: spec.source())
        let result = compile(source, loader: InMemoryLoader())
        #expect(result.diagnostics.isEmpty, "\(DiagnosticRenderer().render(Array(result.diagnostics.prefix(5))))")
        let def = try #require(result.compiled?.definition)
        let index = SurveyIndex(def)
        let calculated = index.questionsInOrder.filter {
            if case .calculated = index[$0]?.question.kind { true } else { false }
        }
        let checks = index.questionsInOrder.reduce(0) { $0 + (index[$1]?.question.checks.count ?? 0) }
        #expect(calculated.count == 500 + (roster ? 4 : 0))
        #expect(checks == 2_000 + (roster ? 1 : 0))
    }

    @Test func generatorIsDeterministic() {
        #expect(SyntheticSurvey.standard.source() == SyntheticSurvey.standard.source())
    }
}
