import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import Testing

/// Parsing and lowering of the constructs of docs/language.md.
struct ParserTests {
    @Test func questionTypesLowerToTheModel() throws {
        let def = try #require(
            compileClean(
                """
                answers A { 1 hu "a" en "a" 2 hu "b" en "b" }
                question q1 single A { text hu "x" en "x" }
                question q2 multiple A { text hu "x" en "x" min 1 max 2 }
                question q3 yesno { text hu "x" en "x" }
                question q4 integer 1..15 { text hu "x" en "x" }
                question q5 decimal 10.0..500.25 { text hu "x" en "x" }
                question q6 scale 0..10 { text hu "x" en "x" }
                question q7 text { text hu "x" en "x" maxlength 30 pattern "[0-9]+" }
                question q8 date @2020-01-01..today() { text hu "x" en "x" }
                question q9 time { text hu "x" en "x" }
                """))
        let index = SurveyIndex(def)
        #expect(index[VariableName("q1")]?.question.kind == .singleChoice(ChoiceSpec(answerSet: "A")))
        #expect(index[VariableName("q2")]?.question.kind == .multipleChoice(ChoiceSpec(answerSet: "A"), min: 1, max: 2))
        #expect(index[VariableName("q3")]?.question.kind == .singleChoice(ChoiceSpec(answerSet: "YESNO")))
        #expect(index[VariableName("q4")]?.question.kind == .integer(min: .literal(.integer(1)), max: .literal(.integer(15))))
        #expect(
            index[VariableName("q5")]?.question.kind == .decimal(min: .literal(.decimal(10)), max: .literal(.decimal(500.25)), places: 2))
        #expect(index[VariableName("q6")]?.question.kind == .scale(min: 0, max: 10, labels: nil))
        #expect(index[VariableName("q7")]?.question.kind == .text(maxLength: 30, pattern: "[0-9]+"))
        #expect(
            index[VariableName("q8")]?.question.kind
                == .date(min: .literal(.date(LocalDate(year: 2020, month: 1, day: 1))), max: .call(.today, [])))
        #expect(index[VariableName("q9")]?.question.kind == .time)
        #expect(def.answerSets.map(\.id) == ["A", "YESNO"])
    }

    @Test func yesNoSetIsAddedOnlyWhenUsed() throws {
        let def = try #require(
            compileClean(
                """
                question q integer 0.. { text hu "x" en "x" }
                """))
        #expect(def.answerSets.isEmpty)
    }

    @Test func operatorPrecedenceFollowsTheSpec() throws {
        let def = try #require(
            compileClean(
                """
                question a integer { text hu "x" en "x" }
                calculate c = not a + 1 * 2 > 3 or a == 1 and a != 2
                """))
        let calc = try #require(SurveyIndex(def)[VariableName("c")]?.question)
        let a = Expr.variable("a")
        let sum = Expr.binary(.add, a, .binary(.multiply, .literal(.integer(1)), .literal(.integer(2))))
        let left = Expr.unary(.not, .binary(.greater, sum, .literal(.integer(3))))
        let right = Expr.binary(.and, .binary(.equal, a, .literal(.integer(1))), .binary(.notEqual, a, .literal(.integer(2))))
        #expect(calc.kind == .calculated(.binary(.or, left, right), .boolean))
    }

    @Test func otherOptionAddsAFollowUpTextQuestion() throws {
        let def = try #require(
            compileClean(
                """
                answers P { 1 hu "a" en "a" 96 hu "egyéb" en "other" other }
                question nb multiple P { text hu "x" en "x" }
                question t single P { text hu "x" en "x" other t_spec maxlength 50 }
                """))
        let index = SurveyIndex(def)
        let oth = try #require(index[VariableName("nb_oth")]?.question)
        #expect(oth.otherOf == "nb")
        #expect(oth.condition == .binary(.in, .literal(.integer(96)), .variable("nb")))
        let spec = try #require(index[VariableName("t_spec")]?.question)
        #expect(spec.condition == .binary(.equal, .variable("t"), .literal(.integer(96))))
        #expect(spec.kind == .text(maxLength: 50, pattern: nil))
        #expect(index.questionsInOrder == ["nb", "nb_oth", "t", "t_spec"])
    }

    @Test func checksAreNamedInOrderWritten() throws {
        let def = try #require(
            compileClean(
                """
                question x integer { text hu "x" en "x"
                  error if x > 5 hu "a" en "a"
                  warn if x > 3 hu "b" en "b"
                  warn chk_big if x > 4 hu "c" en "c" }
                """))
        let q = try #require(SurveyIndex(def)[VariableName("x")]?.question)
        #expect(q.checks.map(\.id) == ["chk_x", "chk_x_2", "chk_big"])
        #expect(q.checks.map(\.severity) == [.error, .warning, .warning])
    }

    @Test func includesAreResolvedRelativeToTheIncludingFile() throws {
        let def = try #require(
            compileClean(
                """
                include "common/a.survey"
                question y integer { text hu "x" en "x" when x > 1 }
                """,
                modules: [
                    "common/a.survey": "include \"b.survey\"\nquestion x integer { text hu \"x\" en \"x\" }",
                    "common/b.survey": "note n { text hu \"n\" en \"n\" }",
                ]))
        #expect(SurveyIndex(def).questionsInOrder == ["n", "x", "y"])
    }
}
