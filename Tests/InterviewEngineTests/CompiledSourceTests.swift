import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

/// Scenarios on questionnaire text compiled by the real compiler.
@Suite("Compiled questionnaires")
struct CompiledSourceTests {
    static let source = """
        survey t {
          title en "T" hu "T"
          version "1"
          languages en hu
          outcome outcome complete 11
          specials dk rf
        }
        answers OUT { 11 en "Complete" hu "Teljes" 21 en "Refusal" hu "Elutasítás" }
        answers SAT10 { 0 en "Not at all" hu "Egyáltalán nem" 10 en "Completely" hu "Teljesen" }
        answers PROB {
          1 en "safety" hu "közbiztonság"
          2 en "noise" hu "zaj"
          96 en "other" hu "egyéb" other
          97 en "none" hu "nincs" exclusive
        }
        question outcome single OUT { interviewer optional nodk text en "Outcome" hu "Eredmény" }
        section A {
          title en "A" hu "A"
          question hh_size integer 1..15 { text en "Household size?" hu "Háztartás?" }
          question consent yesno { nodk text en "Consent?" hu "Hozzájárul?" }
          end outcome 21 if consent == 0
        }
        roster mem count hh_size max 15 {
          title en "Members" hu "Tagok"
          question m_age integer 0..110 {
            text en "Age of member?" hu "Életkor?"
            error if row == 1 and m_age < 16 en "The respondent is 16+" hu "16+"
          }
        }
        calculate n_kids = count(mem, m_age < 16)
        section B {
          title en "B" hu "B"
          when n_kids > 0
          grid sat scale 0..10 SAT10 {
            text en "How satisfied with…" hu "Mennyire…"
            item sat_school en "school" hu "iskola"
            item sat_play en "playgrounds" hu "játszóterek"
          }
        }
        question prob multiple PROB { max 2 text en "Problems?" hu "Problémák?" }
        question worst single PROB {
          when selected(prob) > 1
          filter option in prob
          text en "Which is the worst of {prob}?" hu "Melyik a legrosszabb?"
        }
        """

    @Test func compiledRoutingRosterAndGridWork() {
        var s = Scenario(source: Self.source)
        s.answer("hh_size", 2)
        s.answer("consent", 1)
        s.answer("m_age", row: 1, 40)
        #expect(!s.isOnRoute("sat_school"))
        s.answer("m_age", row: 2, 8)
        #expect(s.value("n_kids") == .integer(1))
        #expect(s.isOnRoute("sat_school") && s.isOnRoute("sat_play"))
        #expect(!s.validate("m_age", row: 1, .integer(12)).isAcceptable)
    }

    @Test func compiledEndRuleAndCompletion() {
        var s = Scenario(source: Self.source)
        s.answer("hh_size", 1)
        s.answer("consent", 0)
        #expect(s.status == .ended(outcome: 21))
        s.answer("consent", 1)
        s.answer("m_age", row: 1, 30)
        s.tick("prob", 1, 2)
        #expect(s.optionCodes("worst") == [1, 2])
        s.answer("worst", 2)
        #expect(s.status == .ended(outcome: 11))
        #expect(s.interview.exportableAnswers[Address("outcome")] == .value(.choice(11)))
    }

    @Test func compiledPipingShowsLabels() {
        var s = Scenario(source: Self.source)
        s.answer("hh_size", 1)
        s.answer("consent", 1)
        s.answer("m_age", row: 1, 30)
        s.tick("prob", 1, 2)
        guard let q = s.interview.question("worst") else {
            Issue.record("worst missing")
            return
        }
        #expect(s.interview.render(q.text, at: Address("worst"), language: "en") == "Which is the worst of safety, noise?")
    }
}

/// The simulator on the two study questionnaires: it must finish them with valid data that
/// replays to the same state and matches a full re-evaluation.
@Suite("Simulating the study questionnaires")
struct StudySimulationTests {
    static let studies = ["questionnaires/wellbeing.survey", "questionnaires/energy.survey"]

    @Test(arguments: studies)
    func simulatedStudyInterviewsFinishAndReplay(path: String) throws {
        let definition = Scenario.compile(repositoryFile: path)
        var preload: [VariableName: Value] = [:]
        for name in ["int_id", "cluster_id", "address_id"] { preload[VariableName(name)] = .text("X1") }
        for seed in UInt64(0)..<8 {
            var rng = SplitMix64(seed: seed)
            let run = InterviewSimulator(definition: definition).run(
                seed: seed, context: Scenario.defaultContext, preload: preload.filter { definition.hasVariable($0.key) },
                using: &rng)
            #expect(run.interview.status != .inProgress, "seed \(seed): stopped at \(String(describing: run.interview.current))")
            let replay = try SimulatedLog.replay(run.events, definition: definition)
            #expect(replay.exportableAnswers == run.interview.exportableAnswers)
            var full = replay
            full.recomputeAll()
            #expect(full.exportableAnswers == replay.exportableAnswers)
            #expect(full.failingChecks == replay.failingChecks)
        }
    }
}

extension SurveyDefinition {
    func hasVariable(_ name: VariableName) -> Bool {
        func find(_ nodes: [Node]) -> Bool {
            nodes.contains {
                switch $0 {
                case .question(let q): q.name == name
                case .group(let g): find(g.children)
                case .end: false
                }
            }
        }
        return find(items)
    }
}
