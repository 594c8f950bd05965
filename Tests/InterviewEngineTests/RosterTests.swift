import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("Rosters: counts, open rows, nesting, aggregates")
struct RosterTests {
    static let form = Build.survey([
        Build.integer("hh_size", 1, 15),
        Build.roster(
            "mem", count: v("hh_size"), max: 15, rowLabel: "{m_name}",
            [
                Build.question("m_name", .text(maxLength: 20, pattern: nil)),
                Build.integer(
                    "m_age", 0, 110,
                    checks: [
                        Build.error("chk_m_age", .binary(.and, .currentRow == 1, v("m_age") < 18))
                    ]),
                Build.integer("m_work", 0, 80, when: v("m_age") >= 16),
                Build.calc("older_than_first", .binary(.greater, v("m_age"), .rowVariable("m_age", row: lit(1))), .boolean),
            ]),
        Build.calc("n_u18", .aggregate(.count, roster: "mem", body: v("m_age") < 18)),
        Build.calc("age_sum", .aggregate(.sum, roster: "mem", body: v("m_age"))),
        Build.calc("oldest", .aggregate(.max, roster: "mem", body: v("m_age"))),
        Build.calc("youngest", .aggregate(.min, roster: "mem", body: v("m_age"))),
        Build.calc("any_kid", .aggregate(.any, roster: "mem", body: v("m_age") < 14), .boolean),
        Build.calc("all_adult", .aggregate(.all, roster: "mem", body: v("m_age") >= 18), .boolean),
        Build.calc("rows", .aggregate(.count, roster: "mem", body: nil)),
    ])

    @Test func countDrivesRowsAndRoute() {
        var s = Scenario(Self.form)
        s.answer("hh_size", 2)
        #expect(s.interview.rowCount(of: "mem") == 2)
        #expect(s.route == ["hh_size", "m_name[1]", "m_age[1]", "m_name[2]", "m_age[2]"])
        s.answer("m_age", row: 1, 40)
        #expect(s.route.contains("m_work[1]"))
    }

    @Test func aggregatesSkipMissingRows() {
        var s = Scenario(Self.form)
        s.answer("hh_size", 3)
        s.answer("m_age", row: 1, 40)
        s.answer("m_age", row: 2, 10)
        s.dk("m_age", row: 3)
        #expect(s.value("n_u18") == .integer(1))
        #expect(s.value("age_sum") == .integer(50))
        #expect(s.value("oldest") == .integer(40))
        #expect(s.value("youngest") == .integer(10))
        #expect(s.value("any_kid") == .boolean(true))
        #expect(s.value("all_adult") == .boolean(false))
        #expect(s.value("rows") == .integer(3))
        #expect(s.value("older_than_first", row: 2) == .boolean(false))
    }

    @Test func rowIndexAccessFollowsChangesInOtherRows() {
        var s = Scenario(Self.form)
        s.answer("hh_size", 2)
        s.answer("m_age", row: 1, 40)
        s.answer("m_age", row: 2, 50)
        #expect(s.value("older_than_first", row: 2) == .boolean(true))
        s.answer("m_age", row: 1, 60)
        #expect(s.value("older_than_first", row: 2) == .boolean(false))
    }

    @Test func rowCheckUsesTheCurrentRowNumber() {
        var s = Scenario(Self.form)
        s.answer("hh_size", 2)
        #expect(!s.validate("m_age", row: 1, .integer(12)).isAcceptable)
        #expect(s.validate("m_age", row: 2, .integer(12)).isAcceptable)
    }

    @Test func shrinkingKeepsRowAnswersOffRouteAndGrowingBringsThemBack() {
        var s = Scenario(Self.form)
        s.answer("hh_size", 3)
        s.answer("m_age", row: 3, 33)
        s.answer("hh_size", 2)
        #expect(!s.isOnRoute("m_age", row: 3))
        #expect(s.stored("m_age", row: 3) == .value(.integer(33)))
        #expect(s.value("age_sum") == .integer(0))
        s.answer("hh_size", 3)
        #expect(s.value("m_age", row: 3) == .integer(33))
        #expect(s.value("age_sum") == .integer(33))
    }

    @Test func rowLabelsArePipedPerRow() {
        var s = Scenario(Self.form)
        s.answer("hh_size", 2)
        s.answer("m_name", row: 2, "Kati")
        #expect(s.interview.rowLabel("mem", rows: [2]) == "Kati")
    }

    @Test func openRosterGrowsByEventsUpToItsMaximum() {
        let form = Build.survey([
            Build.roster("trips", count: nil, max: 2, [Build.integer("km", 0, 1000)]),
            Build.calc("total_km", .aggregate(.sum, roster: "trips", body: v("km"))),
        ])
        var s = Scenario(form)
        #expect(s.interview.rowCount(of: "trips") == 0)
        s.addRow("trips")
        s.addRow("trips")
        let accepted = s.addRow("trips")
        #expect(!accepted)
        #expect(s.lastError == .rosterFull("trips", maxRows: 2))
        s.answer("km", row: 1, 10)
        s.answer("km", row: 2, 5)
        #expect(s.value("total_km") == .integer(15))
        s.removeRow("trips")
        #expect(s.value("total_km") == .integer(10))
        #expect(s.stored("km", row: 2) == .value(.integer(5)))
    }

    @Test func nestedRostersHaveRowsPerParentRow() {
        let form = Build.survey([
            Build.integer("n_dw", 0, 5),
            Build.roster(
                "dw", count: v("n_dw"), max: 5,
                [
                    Build.integer("n_rooms", 0, 9),
                    Build.roster("room", count: v("n_rooms"), max: 9, [Build.integer("area", 1, 200)]),
                    Build.calc("dw_area", .aggregate(.sum, roster: "room", body: v("area"))),
                ]),
            Build.calc("all_area", .aggregate(.sum, roster: "room", body: v("area"))),
        ])
        var s = Scenario(form)
        s.answer("n_dw", 2)
        s.answer("n_rooms", row: 1, 2)
        s.answer("n_rooms", row: 2, 1)
        #expect(s.interview.rowCount(of: "room", parentRows: [1]) == 2)
        s.answer("area", rows: [1, 1], .integer(20))
        s.answer("area", rows: [1, 2], .integer(30))
        s.answer("area", rows: [2, 1], .integer(7))
        #expect(s.value("dw_area", row: 1) == .integer(50))
        #expect(s.value("dw_area", row: 2) == .integer(7))
        #expect(s.value("all_area") == .integer(57))
        #expect(s.route == ["n_dw", "n_rooms[1]", "area[1,1]", "area[1,2]", "n_rooms[2]", "area[2,1]"])
    }
}
