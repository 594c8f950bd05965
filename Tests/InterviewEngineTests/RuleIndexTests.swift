import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

/// The engine keeps a top-level rule instance in an array by the rule's index and an instance in
/// roster rows in a dictionary by index and rows (InstanceTable). Where the two paths could
/// diverge — the same rules at the top, in a roster and in a roster nested in one, conditions
/// and checks at every depth, row counts read at every depth — the incremental state must equal
/// a full recomputation and a replay of the log.
@Suite("Rule instances by index")
struct RuleIndexTests {
    static let form = Build.survey(
        [
            Build.integer("n_hh", 1, 3),
            Build.yesno("owner"),
            Build.section(
                "own", when: v("owner") == 1,
                checks: [Build.warn("chk_own", v("n_hh") > 2)],
                [Build.integer("rooms", 1, 9, checks: [Build.error("chk_rooms", v("rooms") > 8)])]),
            Build.roster(
                "hh", count: v("n_hh"), max: 3,
                [
                    Build.integer("n_kid", 0, 3),
                    Build.yesno("h_car", when: v("n_kid") > 0),
                    Build.roster(
                        "kid", count: v("n_kid"), max: 3,
                        [
                            Build.integer("k_age", 0, 17, checks: [Build.warn("chk_age", v("k_age") > 15)]),
                            Build.section("school", when: v("k_age") >= 6, [Build.yesno("k_school")]),
                        ]),
                    Build.calc("n_school_age", .aggregate(.count, roster: "kid", body: v("k_age") >= 6)),
                ]),
            Build.calc("n_kids", .aggregate(.sum, roster: "hh", body: v("n_kid"))),
            Build.section("more", when: v("n_kids") > 1, [Build.integer("bikes", 0, 9)]),
        ], outcome: OutcomeSpec(variable: "outcome", completeCode: 11))

    static func simulate(seed: UInt64) -> (Interview, [InterviewSimulator.TimedEvent]) {
        SimulatedLog.run(form, seed: seed)
    }

    @Test(arguments: 0..<30)
    func nestedRostersReplayAndRecomputeToTheSameState(seed: Int) throws {
        let (live, events) = Self.simulate(seed: UInt64(seed))
        let replay = try SimulatedLog.replay(events, definition: Self.form)
        #expect(replay.route == live.route)
        #expect(replay.exportableAnswers == live.exportableAnswers)
        #expect(replay.failingChecks == live.failingChecks)
        var full = live
        #expect(full.recomputeAll().isEmpty)
        #expect(full.route == live.route)
        #expect(full.exportableAnswers == live.exportableAnswers)
    }

    /// A nested roster's rows and conditions under one household row stay apart from another's.
    @Test func rowsUnderOneHouseholdRowAreApartFromAnothers() throws {
        let ctx = Scenario.defaultContext
        var iv = try Interview(
            definition: Self.form, started: .started(definition: "h", seed: 1, language: "en", preload: [:]), context: ctx)
        try iv.apply(.answered(Address("n_hh"), .value(.integer(2))), context: ctx)
        try iv.apply(.answered(Address("n_kid", rows: [1]), .value(.integer(2))), context: ctx)
        try iv.apply(.answered(Address("n_kid", rows: [2]), .value(.integer(1))), context: ctx)
        try iv.apply(.answered(Address("k_age", rows: [1, 2]), .value(.integer(7))), context: ctx)
        try iv.apply(.answered(Address("k_age", rows: [2, 1]), .value(.integer(3))), context: ctx)
        #expect(iv.rowCount(of: "hh") == 2)
        #expect(iv.rowCount(of: "kid", parentRows: [1]) == 2)
        #expect(iv.rowCount(of: "kid", parentRows: [2]) == 1)
        #expect(iv.rowCount(of: "kid", parentRows: [3]) == 0)
        #expect(iv.isOnRoute(Address("k_school", rows: [1, 2])))
        #expect(!iv.isOnRoute(Address("k_school", rows: [1, 1])))
        #expect(!iv.isOnRoute(Address("k_school", rows: [2, 1])))
        #expect(!iv.isOnRoute(Address("k_school", rows: [2, 2])))
        #expect(iv.isOnRoute(Address("h_car", rows: [2])))
        #expect(iv.exportableAnswers[Address("n_school_age", rows: [1])] == .value(.integer(1)))
        #expect(iv.exportableAnswers[Address("n_school_age", rows: [2])] == .value(.integer(0)))
        #expect(iv.isOnRoute(Address("bikes")))
        try iv.apply(.answered(Address("n_kid", rows: [1]), .value(.integer(0))), context: ctx)
        #expect(!iv.isOnRoute(Address("k_age", rows: [1, 1])))
        #expect(!iv.isOnRoute(Address("h_car", rows: [1])))
        #expect(iv.isOnRoute(Address("k_age", rows: [2, 1])))
        #expect(!iv.isOnRoute(Address("bikes")))
        var full = iv
        #expect(full.recomputeAll().isEmpty)
    }
}
