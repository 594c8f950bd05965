import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import Testing

/// Semantic checks of docs/language.md, each pinned to a 1️⃣ marker.
struct SemaTests {
    @Test func undefinedNameSuggestsTheClosestVariable() {
        assertDiagnostics(
            """
            question hh_size integer 1..15 { text hu "x" en "x" }
            question q integer { text hu "x" en "x" when 1️⃣hh_szie > 1 }
            """, [DiagnosticSpec("E0401", message: "'hh_szie'", help: "did you mean 'hh_size'?")])
    }

    @Test func duplicateNamesPointAtTheFirstDefinition() throws {
        let (result, source) = compileMarked(
            """
            question 1️⃣age integer { text hu "x" en "x" }
            calculate 2️⃣age = 1
            """)
        let d = try #require(result.diagnostics.first { $0.code == "E0403" })
        #expect(d.range.start == source.markers["2️⃣"])
        #expect(d.notes.first?.range?.start == source.markers["1️⃣"])
        #expect(d.notes.first?.message == "first defined here")
    }

    @Test(arguments: [
        ("question t text { text hu \"x\" en \"x\" }\ncalculate c = 1️⃣t + 1", "'+'"),
        ("question p integer { text hu \"x\" en \"x\" }\nquestion q integer { text hu \"x\" en \"x\" when 1️⃣p + 1 }", "boolean"),
        ("question d date { text hu \"x\" en \"x\" }\ncalculate c = 1️⃣d < 3", "'<'"),
        ("question m integer { text hu \"x\" en \"x\" }\ncalculate c = 1 in 1️⃣m", "right side of 'in'"),
        ("question q integer 1️⃣@2020-01-01..10 { text hu \"x\" en \"x\" }", "bound"),
    ])
    func typeErrorsSayWhatWasFound(_ source: String, _ part: String) {
        assertDiagnostics(source, [DiagnosticSpec("E0203", message: part)])
    }

    @Test func integersWidenAndChoicesCountAsCodes() throws {
        let def = try #require(
            compileClean(
                """
                question y yesno { text hu "x" en "x" }
                question d decimal 0.0..10.0 { text hu "x" en "x" }
                calculate c = y + d * 2
                calculate born = today() - 365
                calculate days = today() - born
                """))
        let index = SurveyIndex(def)
        #expect(index[VariableName("c")].map { $0.question.kind.valueType } == .decimal)
        #expect(index[VariableName("born")].map { $0.question.kind.valueType } == .date)
        #expect(index[VariableName("days")].map { $0.question.kind.valueType } == .integer)
    }

    @Test func cyclesAreSpelledOutEdgeByEdge() throws {
        let (result, source) = compileMarked(
            """
            question 1️⃣q integer { text hu "x" en "x" when 2️⃣c > 1 }
            calculate c = 3️⃣q + 1
            """)
        let d = try #require(result.diagnostics.first { $0.code == "E0601" })
        #expect(d.message == "circular dependency: q → c → q")
        #expect(d.range.start == source.markers["1️⃣"])
        #expect(d.notes.map(\.range?.start) == [source.markers["2️⃣"], source.markers["3️⃣"]])
    }

    @Test func rosterVariablesNeedAggregatesOutsideTheRoster() throws {
        assertDiagnostics(
            """
            question n integer 1..5 { text hu "x" en "x" }
            roster mem count n {
              question m_age integer { text hu "x" en "x" when row > 1 and m_age[1] > 3 }
            }
            calculate total = sum(mem, m_age)
            calculate bad = 1️⃣m_age + 1
            """, [DiagnosticSpec("E0405", message: "'mem'")])
    }

    @Test func rosterCountMustBeInteger() {
        assertDiagnostics(
            """
            question t text { text hu "x" en "x" }
            roster r count 1️⃣t { question x integer { text hu "x" en "x" } }
            """, [DiagnosticSpec("E0205")])
    }

    @Test func missingLanguageAndUnknownPipeAreReported() {
        assertDiagnostics(
            """
            question a integer { text 1️⃣hu "x" }
            question b integer { text hu 2️⃣"{nope}" en "x" }
            """, [DiagnosticSpec("E0301", message: "'en'"), DiagnosticSpec("E0402", at: "2️⃣")])
    }

    @Test func optionOnlyInFiltersAndRowOnlyInRosters() {
        assertDiagnostics(
            """
            answers A { 1 hu "a" en "a" }
            question a single A { text hu "x" en "x" filter option != 2 when 1️⃣option > 1 }
            calculate r = 2️⃣row
            """, [DiagnosticSpec("E0406"), DiagnosticSpec("E0406", at: "2️⃣")])
    }

    @Test func questionsAfterAnUnconditionalEndAreUnreachable() {
        assertDiagnostics(
            """
            question a integer { text hu "x" en "x" }
            end outcome 2 if a == 1
            end outcome 3
            question 1️⃣b integer { text hu "x" en "x" }
            question c integer { text hu "x" en "x" }
            """, [DiagnosticSpec("W0701")])
    }

    @Test func includedTwiceAndMissingIncludes() {
        assertDiagnostics(
            """
            include "m.survey"
            1️⃣include "m.survey"
            2️⃣include "nope.survey"
            """, [DiagnosticSpec("E0104"), DiagnosticSpec("E0103", at: "2️⃣")],
            modules: ["m.survey": "note n { text hu \"n\" en \"n\" }"])
    }

    @Test func aCompiledDefinitionCarriesNoDependencyGraph() throws {
        let def = try #require(
            compileClean(
                """
                question a integer { text hu "x" en "x" }
                calculate c = a + 1
                """))
        #expect(def.format == 2 && def.dependencies == nil)
        #expect(!String(decoding: try def.canonicalJSON(), as: UTF8.self).contains("dependencies"))
    }

    @Test func noDiagnosticsForAValidSurveyWithEveryConstruct() {
        _ = compileClean(
            """
            answers P { 1 hu "a" en "a" 96 hu "egyéb" en "other" other 97 hu "nincs" en "none" exclusive }
            answers S10 { 0 hu "0" en "0" 10 hu "10" en "10" }
            question born date ..today() { text hu "x" en "x" }
            calculate age = years_between(born, today())
            question p multiple P { text hu "x" en "x" max 2 randomize filter option != 1 or age > 18 }
            grid g scale 0..10 S10 { text hu "x" en "x" item g1 hu "a" en "a" item g2 hu "b" en "b" { when g1 > 2 } }
            question n integer 1..15 { text hu "x" en "x" }
            roster mem count n max 15 {
              rowlabel hu "{m_name}" en "{m_name}"
              question m_name text { text hu "x" en "x" pii maxlength 20 }
              question m_age integer 0..110 { text hu "{m_name}" en "{m_name}"
                warn if row == 1 and m_age < 18 hu "x" en "x" }
            }
            calculate adults = count(mem, m_age >= 18)
            calculate oldest = max(mem, m_age)
            calculate any_child = any(mem, m_age < 14) and all(mem, answered(m_name))
            question t time { text hu "x" en "x" when is_dk(n) or not is_special(born) }
            """)
    }

    @Test func bestMarksOneEndOfAScale() throws {
        let def = try #require(
            compileClean(
                """
                answers SAT10 { 0 hu "0" en "0" 10 hu "10" en "10" best }
                answers AGR3 { 1 hu "jó" en "good" best 2 hu "közepes" en "fair" 3 hu "rossz" en "bad" 96 hu "más" en "other" other }
                question s scale 0..10 SAT10 { text hu "x" en "x" }
                question a single AGR3 { text hu "x" en "x" }
                """))
        #expect(def.answerSets.first { $0.id == "SAT10" }?.options.map(\.best) == [false, true])
        #expect(def.answerSets.first { $0.id == "AGR3" }?.options.filter(\.best).map(\.code) == [1])
        assertDiagnostics(
            """
            answers A { 1 hu "a" en "a" best 2 hu "b" en "b" 3 hu "c" en "c" 1️⃣best }
            answers B { 1 hu "a" en "a" 2 hu "b" en "b" 96 hu "más" en "other" other 2️⃣best }
            question a single A { text hu "x" en "x" }
            question b single B { text hu "x" en "x" }
            """,
            [
                DiagnosticSpec("E0505", at: "1️⃣", message: "only one end of 'A'"),
                DiagnosticSpec("E0505", at: "2️⃣", message: "is 'other'"),
            ])
    }

    @Test func piiPseudonymIsForTextsAndWholeNumbers() throws {
        let def = try #require(
            compileClean(
                """
                question id text { text hu "x" en "x" pii pseudonym maxlength 20 }
                question n integer { text hu "x" en "x" pii pseudonym }
                question phone text { text hu "x" en "x" pii }
                calculate key = id
                """))
        #expect(def.allQuestionsForTest.map(\.pii) == [.pseudonym, .pseudonym, .direct, .notPersonal])
        assertDiagnostics(
            """
            question d date { text hu "x" en "x" 1️⃣pii pseudonym }
            question m multiple YESNO { text hu "x" en "x" 2️⃣pii pseudonym }
            note nt { text hu "x" en "x" 3️⃣pii pseudonym }
            calculate c = d { 4️⃣pii pseudonym }
            """,
            [
                DiagnosticSpec("E0805", at: "1️⃣", message: "question 'd'"),
                DiagnosticSpec("E0805", at: "2️⃣", message: "question 'm'"),
                DiagnosticSpec("E0805", at: "3️⃣", message: "note 'nt'"),
                DiagnosticSpec("E0805", at: "4️⃣", message: "calculation 'c'"),
            ])
    }
}

extension SurveyDefinition {
    /// The top-level questions, in order.
    var allQuestionsForTest: [Question] {
        items.compactMap { if case .question(let q) = $0 { q } else { nil } }
    }
}
