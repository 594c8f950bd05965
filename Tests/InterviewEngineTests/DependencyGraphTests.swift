import SurveyModel
import SurveyTestSupport
import Testing

@testable import InterviewEngine

/// The one dependency graph: the engine's plan, derived from the expressions it evaluates.
@Suite("The engine's dependency graph") struct DependencyGraphTests {
    static func plan(_ body: String) throws -> EnginePlan {
        InterviewPlan(try #require(compileClean(body))).plan
    }

    @Test func everyKindOfRuleDependsOnWhatItsConditionsCountsAndBoundsRead() throws {
        let plan = try Self.plan(
            """
            answers A { 1 hu "a" en "a" 2 hu "b" en "b" }
            question a integer { text hu "x" en "x" }
            question b single A { text hu "{a}" en "x" filter option <= a
              default 1 if a > 2
              error if b == 2 and a > 1 hu "x" en "x" }
            section s { when a > 0 question c integer 0..a { text hu "x" en "x" } }
            roster r count a { question m integer { text hu "x" en "x" } }
            end outcome 9 if a == 5
            """)
        // b's piped text and default are evaluated when asked for, never cached: no edge.
        #expect(plan.dependents["a"]?.sorted() == [.check("chk_b"), .end(0), .group("r"), .group("s"), .question("b"), .question("c")])
    }

    @Test func calculationsAreRankedAfterWhatTheyRead() throws {
        let plan = try Self.plan(
            """
            question a integer { text hu "x" en "x" }
            calculate c3 = c2 + c1
            calculate c2 = c1 * 2
            calculate c1 = a + 1
            """)
        #expect(plan.dependents["c1"]?.sorted() == [.calculation("c2"), .calculation("c3")])
        let rank = { (name: VariableName) in plan.rank[.calculation(name)] ?? -1 }
        #expect(rank("c1") < rank("c2") && rank("c2") < rank("c3"))
    }

    @Test func aCalculationOverARosterFollowsTheRosterNotItsCountVariable() throws {
        let plan = try Self.plan(
            """
            question n integer 0..9 { text hu "x" en "x" }
            roster r count n { question m integer { text hu "x" en "x" } }
            calculate total = sum(r, m)
            """)
        // The count changes the roster; the roster's dependents include the aggregate.
        #expect(plan.dependents["n"] == [.group("r")])
        #expect(plan.rosterDependents["r"]?.map { plan.rules[$0] }.contains(.calculation("total")) == true)
    }
}
