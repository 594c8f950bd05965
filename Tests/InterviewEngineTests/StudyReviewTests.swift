import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

/// The routing rules and checks of the December 2026 review (briefs 1-2 §9, brief 3), on the real
/// questionnaires: the booster screen, respondent selection, counts without don't know, the new
/// PV and bill checks, the visit rule, and the actors' questionnaire.
@Suite("Study questionnaires after the review, in the engine")
struct StudyReviewTests {
    // MARK: - Well-being: event booster

    @Test("a booster respondent is screened for residence: not living in Miskolc ends with 42")
    func boosterNotResident() throws {
        var s = try Studies.scenario("wellbeing", booster: true)
        #expect(s.next() == Address("res_miskolc"), "the residence screen comes first")
        let noDK = s.dk("res_miskolc")
        #expect(!noDK, "no don't know")
        s.answer("res_miskolc", 0)
        #expect(s.status == .ended(outcome: 42))
        #expect(!s.route.contains("hh_n16"))
    }

    @Test("a booster resident is asked the district and skips the respondent selection")
    func boosterResident() throws {
        var s = try Studies.scenario("wellbeing", booster: true)
        s.answer("res_miskolc", 1)
        #expect(s.next() == Address("district"), "not preloaded for the booster: asked")
        s.answer("district", 2)
        #expect(!s.isOnRoute("district_why"), "no preload, so no change to explain")
        #expect(s.interview.openWarnings.isEmpty)
        s.answer("hh_n16", 3)
        for name: VariableName in ["sel_note", "sel_n16", "sel_initials", "sel_ok"] {
            #expect(!s.isOnRoute(name), "\(name)")
        }
        #expect(s.value("sel_n16") == nil)
        #expect(s.next() == Address("consent_main"))
        s.answer("consent_main", 1)
        s.answer("consent_health", 1)
        #expect(Studies.rendered(s, "yrs_district") == "Hány éve lakik az Avas városrészben? (1 évnél kevesebb = 0)")
    }

    @Test("the address sample is never asked the residence screen")
    func addressSampleNoScreen() throws {
        let s = try Studies.scenario("wellbeing")
        #expect(!s.isOnRoute("res_miskolc"))
        #expect(s.next() == Address("hh_n16"), "the district is preloaded")
    }

    // MARK: - Well-being: respondent selection

    @Test("the selection is recorded: the eligible count, the initials, and who answers")
    func selectionRecorded() throws {
        var s = try Studies.scenario("wellbeing")
        s.answer("hh_n16", 3)
        #expect(s.isOnRoute("sel_note"))
        #expect(s.value("sel_n16") == .integer(3))
        #expect(s.next() == Address("sel_initials"))
        #expect(s.interview.question("sel_initials")?.pii == true)
        s.answer("sel_initials", "B.É.")
        let rendered = Studies.rendered(s, "sel_ok")
        #expect(rendered == "Kérdező: a kiválasztott személlyel (B.É.) készül az interjú?")
        let noDK = s.dk("sel_ok")
        #expect(!noDK, "no don't know")
        s.answer("sel_ok", 1)
        #expect(s.next() == Address("consent_main"))
    }

    @Test("the selected person unavailable ends the visit with 24")
    func selectedPersonUnavailable() throws {
        var s = try Studies.scenario("wellbeing")
        s.answer("hh_n16", 2)
        s.answer("sel_initials", "B.É.")
        s.answer("sel_ok", 0)
        #expect(s.status == .ended(outcome: 24))
        #expect(!s.route.contains("consent_main"))
    }

    @Test("hh_n16 takes no don't know or refused")
    func eligibleCountHasNoSpecials() throws {
        var s = try Studies.scenario("wellbeing")
        let dk = s.dk("hh_n16")
        let rf = s.refuse("hh_n16")
        #expect(!dk && !rf)
        #expect(s.interview.question("hh_n16")?.specials == [])
    }

    @Test("the four participation acts are asked of everyone")
    func participationActs() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        s.tick("prog_aware", 97)
        for name: VariableName in ["pb_idea", "pb_vote", "pb_site", "council_applied"] {
            #expect(s.isOnRoute(name), "\(name)")
        }
        #expect(s.optionCodes("prog_aware") == [1, 2, 3, 4, 5, 6, 7, 8, 9, 97])
    }

    // MARK: - Visits (both household studies)

    @Test(
        "non-contact is final after 3 visits on different days, one in the evening or at a weekend",
        arguments: ["wellbeing", "energy"])
    func nonContactVisitRule(study: String) throws {
        var s = try Studies.scenario(study)
        #expect(s.value("visit_no") == .integer(1))
        #expect(s.value("visit_ts") == .datetime(LocalDateTime(date: LocalDate(year: 2026, month: 5, day: 4), hour: 10)))
        #expect(s.validate("outcome", .choice(23)).isAcceptable, "every visit may end with non-contact")
        // Three weekday daytime visits (Mon 4th, Tue 5th, Wed 6th May 2026) leave the case open.
        Studies.endVisits(&s, with: 23, thenOn: [1, 2], hour: 11)
        #expect(s.value("visit_no") == .integer(3))
        #expect(Studies.standing(s) == .revisit(23))
        // A fourth visit from 17:00 closes it.
        Studies.endVisits(&s, with: 23, thenOn: [3], hour: 17)
        #expect(s.value("visit_no") == .integer(4))
        #expect(s.value("visit_ts") == .datetime(LocalDateTime(date: LocalDate(year: 2026, month: 5, day: 7), hour: 17)))
        #expect(Studies.standing(s) == .final(23))
        // The person to interview unavailable (24) keeps the case open whatever the count.
        Studies.endVisits(&s, with: 24, thenOn: [], hour: 17)
        #expect(Studies.standing(s) == .revisit(24))
    }

    // MARK: - Energy: roster count, bills, PV

    @Test("hh_size takes no don't know, so the roster is never emptied by one")
    func householdSizeHasNoSpecials() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        let dk = s.dk("hh_size")
        #expect(!dk)
        #expect(s.next() == Address("hh_size"))
        s.answer("hh_size", 2)
        #expect(s.route.contains("m_name[1]") && s.route.contains("m_name[2]"))
    }

    @Test("annual consumption is asked from a bill only: kWh always, m³ for gas heating")
    func consumptionRouting() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("heat_main", 1)
        s.answer("bill_src", 2)
        #expect(!s.isOnRoute("elec_kwh") && !s.isOnRoute("gas_m3"))
        s.answer("bill_src", 1)
        #expect(s.isOnRoute("elec_kwh") && !s.isOnRoute("gas_m3"), "district heating: no gas")
        s.answer("heat_main", 3)
        #expect(s.isOnRoute("gas_m3"))
    }

    @Test(
        "consumption above the regulated-price cap without the higher price is a soft warning",
        arguments: [(4, true), (2, true), (1, false), (3, false)])
    func electricityCapCheck(aboveAvg: Int, warns: Bool) throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("heat_main", 2)
        s.answer("bill_src", 1)
        s.answer("elec_kwh", 3_100)
        s.answer("above_avg", aboveAvg)
        #expect(s.interview.openWarnings.contains { $0.check == "chk_elec_kwh" } == warns)
        s.answer("elec_kwh", 2_000)
        #expect(!s.interview.openWarnings.contains { $0.check == "chk_elec_kwh" }, "under the cap")
    }

    @Test("gas above its cap without the higher price for gas is a soft warning", arguments: [(4, true), (1, true), (2, false)])
    func gasCapCheck(aboveAvg: Int, warns: Bool) throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("heat_main", 2)
        s.answer("bill_src", 1)
        s.answer("gas_m3", 2_400)
        s.answer("above_avg", aboveAvg)
        #expect(s.interview.openWarnings.contains { $0.check == "chk_gas_m3" } == warns)
    }

    @Test("hot water from district heating without district heating is a soft warning")
    func hotWaterCheck() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("heat_main", 2)
        s.answer("hw_src", 1)
        #expect(s.interview.openWarnings.contains { $0.check == "chk_hw_src" })
        s.answer("heat_main", 1)
        #expect(!s.interview.openWarnings.contains { $0.check == "chk_hw_src" })
        let exclusive = s.tick("heat_sec", 97, 1)
        #expect(!exclusive, "97 is exclusive")
    }

    @Test("battery and self-consumption only with PV; the condominium question only in blocks")
    func productionRouting() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("pv_has", 0)
        #expect(!s.isOnRoute("bat_has") && !s.isOnRoute("pv_selfuse"))
        #expect(s.isOnRoute("st_has"))
        s.answer("pv_has", 1)
        #expect(s.isOnRoute("bat_has") && s.isOnRoute("pv_selfuse"))
        #expect(s.validate("pv_selfuse", .integer(101)).isAcceptable == false)
        let dk = s.dk("pv_selfuse")
        #expect(dk, "don't know is common and allowed")
        s.answer("dwell", 3)
        #expect(!s.isOnRoute("cond_pv_disc") && !s.isOnRoute("ectrust_kk"))
        s.answer("dwell", 1)
        #expect(s.isOnRoute("cond_pv_disc") && s.isOnRoute("ectrust_kk"))
    }

    @Test("PV checks: a rented dwelling's PV, a large system and net metering after it closed are soft warnings")
    func productionChecks() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        func warns(_ check: String) -> Bool { s.interview.openWarnings.contains { $0.check == CheckID(check) } }
        s.answer("tenure", 2)
        s.answer("pv_has", 1)
        #expect(warns("chk_pv_has"), "PV on a rented dwelling")
        s.answer("tenure", 1)
        #expect(!warns("chk_pv_has"))
        s.answer("pv_kw", .decimal(22.5))
        #expect(warns("chk_pv_kw"))
        s.answer("pv_kw", .decimal(4.8))
        #expect(!warns("chk_pv_kw"))
        s.answer("pv_year", 2024)
        s.answer("pv_billing", 1)
        #expect(warns("chk_pv_billing"), "net metering closed to applications from 7 September 2023")
        s.answer("pv_year", 2021)
        #expect(!warns("chk_pv_billing"), "an older system keeps its net metering")
        s.answer("pv_year", 2025)
        s.answer("pv_billing", 2)
        #expect(!warns("chk_pv_billing"), "gross billing is what a new system gets")
    }

    @Test("join_will asks whether the respondent would join; its follow-ups need at least 'maybe'")
    func joinWill() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        #expect(Studies.rendered(s, "join_will") == "Csatlakozna-e egy környékbeli energiaközösséghez?")
        #expect(Studies.rendered(s, "ectrust_civil") == "helyi civilekben (pl. a Kilián-Észak Egyesületben)?")
        s.answer("tenure", 1)
        s.answer("join_will", 2)
        #expect(!s.isOnRoute("join_role") && !s.isOnRoute("invest_amt"))
        s.answer("join_will", 3)
        #expect(s.isOnRoute("join_role") && s.isOnRoute("invest_amt"))
    }

    // MARK: - Actors

    @Test("the organisation type is proposed from the list and a different one is a soft warning")
    func organisationType() throws {
        var s = try Studies.scenario("stakeholders")
        #expect(s.next() == Address("org_type"))
        #expect(s.interview.defaultValue(at: Address("org_type")) == .choice(2))
        s.answer("org_type", 2)
        #expect(s.interview.openWarnings.isEmpty)
        #expect(s.value("org_grp") == .integer(2))
        s.answer("org_type", 3)
        #expect(s.interview.openWarnings.map(\.check) == ["chk_org_type"])
        #expect(s.value("org_grp") == .integer(2), "cooperatives count with condominiums")
        s.answer("org_type", 6)
        #expect(s.value("org_grp") == .integer(4), "municipal companies count with offices")
        s.answer("org_type", 96)
        #expect(s.value("org_grp") == .integer(6) && s.isOnRoute("org_type_oth"))
    }

    @Test("an actor's roles and resources are asked only when it would at least maybe take part")
    func actorWillingness() throws {
        var s = try Studies.scenario("stakeholders")
        s.answer("part_will", 2)
        for name: VariableName in ["part_role", "res_time", "res_skill"] { #expect(!s.isOnRoute(name), "\(name)") }
        s.answer("part_will", 4)
        for name: VariableName in ["part_role", "res_time", "res_skill"] { #expect(s.isOnRoute(name), "\(name)") }
        let four = s.tick("partner_pref", 1, 2, 3, 4)
        #expect(!four, "at most three partners")
        let whole = s.tick("org_area", 4, 1)
        #expect(!whole, "the whole city is exclusive")
        let none = s.answer("org_area", .choices([]))
        #expect(!none, "at least one area")
    }

    @Test("the shared quiz scores the actors as the households")
    func actorQuiz() throws {
        var s = try Studies.scenario("stakeholders")
        for (item, code) in [("ec_quiz_a", 1), ("ec_quiz_b", 2), ("ec_quiz_c", 2)] { s.answer(VariableName(item), code) }
        s.refuse("ec_quiz_d")
        #expect(s.value("quiz_score") == .integer(2))
        #expect(Studies.rendered(s, "bar_capacity") == "„Nincs kapacitásunk ilyesmire.”")
    }

    @Test("the contact is asked only of workshop volunteers; partial needs A-C; no contact needs 3 attempts")
    func actorCloseAndOutcome() throws {
        var s = try Studies.scenario("stakeholders")
        s.answer("focus_ok", 0)
        #expect(!s.isOnRoute("contact"))
        s.answer("focus_ok", 1)
        #expect(s.isOnRoute("contact"))
        #expect(!s.validate("contact", .text("nem adom meg")).isAcceptable)
        #expect(s.validate("contact", .text("titkar@egyesulet.hu")).isAcceptable)
        #expect(!s.validate("outcome", .choice(12)).isAcceptable)
        Studies.endVisits(&s, with: 23, thenOn: [1], hour: 10)
        #expect(Studies.standing(s) == .revisit(23))
        Studies.endVisits(&s, with: 23, thenOn: [2], hour: 10)
        #expect(Studies.standing(s) == .final(23), "three daytime attempts suffice for an office")
    }
}
