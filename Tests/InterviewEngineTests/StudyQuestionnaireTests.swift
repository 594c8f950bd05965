import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyModel
import SurveyTestSupport
import Testing

/// Scenarios on the real study questionnaires (`questionnaires/*.survey`): the routing, checks,
/// rosters, filters and scores the briefs ask for, run through the interview engine.
@Suite("Study questionnaires in the engine")
struct StudyQuestionnaireTests {
    // MARK: - Wellbeing: screening and consent

    @Test("no resident aged 16+ ends the interview with outcome 42")
    func noEligibleResident() throws {
        var s = try Studies.scenario("wellbeing")
        let applied = s.answer("hh_n16", 0)
        #expect(applied)
        #expect(s.status == .ended(outcome: 42))
        #expect(!s.route.contains("consent_main"))
    }

    @Test("refusing the interview ends it with outcome 21")
    func consentRefused() throws {
        var s = try Studies.scenario("wellbeing")
        s.answer("hh_n16", 2)
        #expect(s.route.contains("sel_note"))
        Studies.select(&s, listed: 2)
        let applied = s.answer("consent_main", 0)
        #expect(applied)
        #expect(s.status == .ended(outcome: 21))
        #expect(!s.route.contains("consent_health"))
    }

    @Test("consent to the interview offers no don't-know button")
    func consentHasNoSpecials() throws {
        var s = try Studies.scenario("wellbeing")
        s.answer("hh_n16", 1)
        #expect(!s.route.contains("sel_note"))
        let applied = s.dk("consent_main")
        #expect(!applied)
        #expect(s.stored("consent_main") == nil)
    }

    @Test("consent_health = 0 skips sections C and D", arguments: [0, 1])
    func healthConsent(consent: Int) throws {
        var s = try Studies.scenario("wellbeing")
        s.answer("hh_n16", 1)
        s.answer("consent_main", 1)
        s.answer("consent_health", consent)
        let healthItems = ["aff_happy", "aff_worried", "aff_depr", "who5_1", "who5_5"]
        for item in healthItems {
            #expect(s.route.contains(item) == (consent == 1), "\(item)")
        }
        #expect(s.route.contains("life_sat") && s.route.contains("yrs_district"))
        // After B comes C, or E when C and D are skipped.
        let route = s.route
        let afterB = try #require(route.firstIndex(of: "dom_env")).advanced(by: 1)
        #expect(route[afterB] == (consent == 1 ? "aff_happy" : "yrs_district"))
    }

    // MARK: - Wellbeing: scores and filters

    @Test("WHO-5 is scored 0-25 and ×4 when every item has a value")
    func who5Scored() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        for (i, v) in [5, 4, 3, 2, 1].enumerated() { s.answer(VariableName("who5_\(i + 1)"), v) }
        #expect(s.value("who5_raw") == .integer(15))
        #expect(s.value("who5_pct") == .integer(60))
        #expect(s.value("who5_low") == .boolean(false))
    }

    @Test("WHO-5 is not scored when an item is don't know or refused", arguments: [false, true])
    func who5NotScoredWithSpecial(refuse: Bool) throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        for i in 1...4 { s.answer(VariableName("who5_\(i)"), 1) }
        let recorded = refuse ? s.refuse("who5_5") : s.dk("who5_5")
        #expect(recorded)
        #expect(s.value("who5_raw") == nil)
        #expect(s.value("who5_pct") == nil)
        #expect(s.value("who5_low") == nil)
    }

    @Test("prog_part offers only the programmes ticked in prog_aware, plus 97")
    func programmeFilter() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        let applied = s.tick("prog_aware", 1, 4, 6)
        #expect(applied)
        #expect(s.isOnRoute("prog_part"))
        #expect(s.optionCodes("prog_part") == [1, 4, 6, 97])
        let applied2 = s.tick("prog_part", 2)
        #expect(!applied2)
        let applied3 = s.tick("prog_part", 4)
        #expect(applied3)
        #expect(s.isOnRoute("ve_date") && s.isOnRoute("ve_rating"))
    }

    @Test("prog_part is skipped when no programme is known")
    func programmeNone() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        let applied = s.tick("prog_aware", 97)
        #expect(applied)
        #expect(!s.isOnRoute("prog_part"))
        #expect(!s.isOnRoute("ve_date"))
        let applied2 = s.tick("prog_aware", 97, 1)
        #expect(!applied2, "97 is exclusive")
    }

    @Test("nb_prob allows at most three problems")
    func problemsMaxThree() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        let applied = s.tick("nb_prob", 1, 2, 3, 4)
        #expect(!applied)
        let applied2 = s.tick("nb_prob", 1, 2, 96)
        #expect(applied2)
        #expect(s.isOnRoute("nb_prob_oth"))
    }

    @Test("a city-evening date in the future is a hard error")
    func eventDateNotInFuture() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        s.tick("prog_aware", 4)
        s.tick("prog_part", 4)
        let future = Scenario.defaultContext.today.adding(days: 1)
        #expect(!s.validate("ve_date", .date(future)).isAcceptable)
        #expect(s.validate("ve_date", .date(LocalDate(year: 2025, month: 9, day: 12))).isAcceptable)
    }

    @Test("the weekday of yesterday is stored as aff_dow")
    func weekdayOfYesterday() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        // The scenario clock is Monday 2026-05-04, so yesterday was a Sunday (7).
        #expect(s.value("aff_dow") == .integer(7))
    }

    // MARK: - Wellbeing: checks

    @Test("a household smaller than its adults is a hard error")
    func householdSizeHardCheck() throws {
        var s = try Studies.scenario("wellbeing")
        s.answer("hh_n16", 3)
        let v = s.validate("hh_size", .integer(2))
        #expect(!v.isAcceptable)
        #expect(v.errors.contains { if case .checkFailed(let f) = $0 { f.check == "chk_hh_size" } else { false } })
        #expect(s.validate("hh_size", .integer(3)).isAcceptable)
    }

    @Test("adults and children must add up to the household size")
    func householdSumHardCheck() throws {
        var s = try Studies.scenario("wellbeing")
        s.answer("hh_n16", 2)
        Studies.throughConsentAnswered(&s)
        s.answer("hh_size", 4)
        #expect(!s.validate("hh_u16", .integer(1)).isAcceptable)
        #expect(s.validate("hh_u16", .integer(2)).isAcceptable)
    }

    @Test("the respondent must be 16+ and cannot have lived in the district longer than their age")
    func ageChecks() throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        s.answer("yrs_district", 40)
        #expect(!s.validate("birth_year", .integer(2015)).isAcceptable)  // aged 11
        #expect(!s.validate("birth_year", .integer(1996)).isAcceptable)  // aged 30 < 40 years
        #expect(s.validate("birth_year", .integer(1970)).isAcceptable)
        s.answer("birth_year", 1970)
        #expect(s.value("age") == .integer(56))
    }

    @Test(
        "a phone number must look Hungarian",
        arguments: [
            ("06301234567", true), ("+36301234567", true), ("0630123456", true), ("30 123 4567", false), ("+4930123456", false),
        ])
    func phonePattern(phone: String, valid: Bool) throws {
        var s = try Studies.scenario("wellbeing")
        Studies.throughConsent(&s)
        s.answer("recontact", 1)
        #expect(s.validate("phone", .text(phone)).isAcceptable == valid)
    }

    @Test("a changed district raises a soft warning and asks for a reason")
    func districtChanged() throws {
        var s = try Studies.scenario("wellbeing")
        #expect(!s.isOnRoute("district_why"))
        #expect(s.interview.openWarnings.isEmpty)
        s.answer("district", 2)
        #expect(s.isOnRoute("district_why"))
        #expect(s.interview.openWarnings.map(\.check) == ["chk_district"])
        let applied = s.confirm("chk_district", reason: "the building is across the border")
        #expect(applied)
        #expect(s.interview.openWarnings.isEmpty)
        s.answer("district", 6)
        #expect(!s.isOnRoute("district_why"), "back to the preloaded district")
    }

    @Test("outcome 12 needs sections B-F complete; 23 is final only after the third recorded visit")
    func statusRules() throws {
        var s = try Studies.scenario("wellbeing")
        #expect(!s.validate("outcome", .choice(12)).isAcceptable)
        #expect(s.validate("outcome", .choice(22)).isAcceptable)
        #expect(s.validate("outcome", .choice(23)).isAcceptable, "any visit may end with non-contact")
        Studies.endVisits(&s, with: 23, thenOn: [1], hour: 10)
        #expect(s.value("visit_no") == .integer(2))
        #expect(Studies.standing(s) == .revisit(23), "after two visits the case stays open")
        Studies.endVisits(&s, with: 23, thenOn: [5], hour: 18)
        #expect(s.value("visit_no") == .integer(3))
        #expect(Studies.standing(s) == .final(23))
    }

    @Test("an interview under 8 minutes raises a soft warning at the end")
    func shortInterview() throws {
        var s = try Studies.scenario("wellbeing")
        s.context.elapsedMinutes = 5
        Studies.throughConsent(&s)
        s.answer("iw_coop", 1)
        #expect(s.value("duration_min") == .integer(5))
        #expect(s.interview.openWarnings.contains { $0.check == "chk_duration_min" })
    }

    // MARK: - Energy

    @Test("the household roster asks hh_size rows, row 1 being the respondent", arguments: [1, 3, 6])
    func rosterRows(size: Int) throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        let applied = s.answer("hh_size", size)
        #expect(applied)
        let names = s.route.filter { $0.hasPrefix("m_name[") }
        #expect(names == (1...size).map { "m_name[\($0)]" })
        #expect(s.interview.defaultValue(at: Address("m_rel", rows: [1])) == .choice(1))
    }

    @Test("code 1 (self) is allowed only in row 1, and row 1 must be an adult")
    func rosterChecks() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("hh_size", 2)
        #expect(!s.validate("m_age", row: 1, .integer(16)).isAcceptable)
        #expect(s.validate("m_age", row: 2, .integer(16)).isAcceptable)
        #expect(!s.validate("m_rel", row: 1, .choice(2)).isAcceptable)
        #expect(!s.validate("m_rel", row: 2, .choice(1)).isAcceptable)
        #expect(s.validate("m_rel", row: 2, .choice(3)).isAcceptable)
    }

    @Test("household counts come from the roster")
    func rosterCounts() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("hh_size", 3)
        for (row, age, home) in [(1, 70, 1), (2, 12, 0), (3, 40, 1)] {
            s.answer("m_age", row: row, age)
            s.answer("m_home_day", row: row, home)
        }
        #expect(s.value("n_u18") == .integer(1))
        #expect(s.value("n_65p") == .integer(1))
        #expect(s.value("n_home_day") == .integer(2))
        #expect(!s.isOnRoute("m_act", row: 2))
        #expect(s.isOnRoute("m_act", row: 3))
    }

    @Test("an electricity bill over 50,000 HUF raises a soft warning the interviewer can confirm")
    func electricityBillSoftCheck() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        let applied = s.answer("elec_bill", 62_000)
        #expect(applied)
        let warning = try #require(s.interview.openWarnings.first { $0.check == "chk_elec_bill" })
        #expect(s.interview.render(warning.message) == "Ellenőrizze: 62000 Ft/hó?")
        let applied2 = s.confirm("chk_elec_bill")
        #expect(applied2)
        #expect(!s.interview.openWarnings.contains { $0.check == "chk_elec_bill" })
        let applied3 = s.answer("elec_bill", 12_000)
        #expect(applied3)
        #expect(s.interview.failingChecks.isEmpty)
    }

    @Test("the quiz score counts right answers; don't know counts as wrong")
    func quizScore() throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("ec_quiz_a", 1)  // true: right
        s.answer("ec_quiz_b", 1)  // true: wrong
        s.answer("ec_quiz_c", 1)  // true: right
        #expect(s.value("quiz_score") == nil, "not scored before every item is answered")
        s.dk("ec_quiz_d")
        #expect(s.value("quiz_score") == .integer(2))
    }

    @Test("respondent not in charge and unavailable ends with outcome 24")
    func knowledgeablePersonUnavailable() throws {
        var s = try Studies.scenario("energy")
        s.answer("consent", 1)
        s.answer("resp_role", 3)
        #expect(s.isOnRoute("resp_avail"))
        s.answer("resp_avail", 2)
        #expect(s.status == .ended(outcome: 24))
    }

    @Test("refusing the energy interview ends it with outcome 21")
    func energyRefusal() throws {
        var s = try Studies.scenario("energy")
        s.answer("consent", 0)
        #expect(s.status == .ended(outcome: 21))
    }

    @Test(
        "the contact is asked after agreeing to recontact or to a focus group",
        arguments: [
            (0, 0, false), (1, 0, true), (0, 1, true),
        ])
    func contactRouting(recontact: Int, focus: Int, asked: Bool) throws {
        var s = try Studies.scenario("energy")
        Studies.energyThroughRole(&s)
        s.answer("focus_ok", focus)
        s.answer("recontact", recontact)
        #expect(s.isOnRoute("contact") == asked)
    }

    @Test("texts pipe earlier answers: labels of choices, values of numbers, this row's name")
    func pipes() throws {
        var w = try Studies.scenario("wellbeing")
        Studies.throughConsent(&w)
        #expect(Studies.rendered(w, "yrs_district") == "Hány éve lakik a Bulgárföld városrészben? (1 évnél kevesebb = 0)")
        var e = try Studies.scenario("energy")
        Studies.energyThroughRole(&e)
        e.answer("hh_size", 2)
        e.answer("m_name", row: 2, "Béla")
        #expect(Studies.rendered(e, "m_age", row: 2) == "Béla hány éves?")
        e.answer("heat_main", 1)
        let dh = try #require(Studies.rendered(e, "dh_ctrl"))
        #expect(dh.hasPrefix("Ön azt mondta, a fűtés módja: Távfűtés (MIHŐ)."))
        #expect(Studies.rendered(e, "des_ec")?.contains("hogy a Bulgárföld városrészben") == true)
    }

    // MARK: - Both studies

    @Test(
        "simulated interviews always reach an end with a declared outcome and no failing hard check",
        arguments: ["wellbeing", "energy", "stakeholders"])
    func simulatedInterviewsEnd(study: String) throws {
        let definition = try #require(Studies.definitions[study])
        let outcomes = Set(try #require(SurveyIndex(definition).answerSets["OUTCOME"]).options.map(\.code))
        let simulator = InterviewSimulator(definition: definition)
        var completed = 0
        for seed: UInt64 in 1...25 {
            var rng = SplitMix64(seed: seed)
            let run = simulator.run(
                seed: seed, context: Scenario.defaultContext, preload: Studies.preload(study), using: &rng)
            guard case .ended(let outcome?) = run.interview.status else {
                Issue.record("seed \(seed): interview did not end (\(run.interview.status))")
                continue
            }
            #expect(outcomes.contains(outcome), "seed \(seed): outcome \(outcome)")
            // The outcome question comes last, so a finished route never records a different code.
            let recorded = run.interview.value(at: Address("outcome"))
            #expect(recorded == nil || recorded == .choice(outcome), "seed \(seed): \(String(describing: recorded))")
            if outcome == 11 { completed += 1 }
            let errors = run.interview.failingChecks.filter { $0.severity == .error }.map(\.check)
            #expect(errors.isEmpty, "seed \(seed): \(errors)")
        }
        #expect(completed > 0, "no simulated interview was completed")
    }
}

/// The compiled studies and the answers that bring a scenario to a given point.
enum Studies {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each study compiled once (nil if it does not compile; the compiler tests say why).
    static let definitions: [String: SurveyDefinition] = {
        var out: [String: SurveyDefinition] = [:]
        let loader = FileSystemLoader()
        for study in ["wellbeing", "energy", "stakeholders"] {
            let path = root.appendingPathComponent("questionnaires/\(study).survey").path
            guard let file = try? loader.load(path) else { continue }
            out[study] = compile(file, loader: loader).compiled?.definition
        }
        return out
    }()

    /// The case data a coordinator would preload (the well-being event booster: no district).
    static func preload(_ study: String, booster: Bool = false) -> [VariableName: Value] {
        if study == "stakeholders" {
            return ["int_id": .text("K017"), "org_id": .text("org-031"), "frame_type": .choice(2)]
        }
        var preload: [VariableName: Value] = [
            "int_id": .text("K017"), "district": .choice(study == "energy" ? 1 : 6), "cluster_id": .text("P-0042"),
            "address_id": .text("a5f3c9"), "gps_lat": .decimal(48.103_1), "gps_lon": .decimal(20.778_4),
        ]
        if study == "wellbeing" { preload["sample_source"] = .choice(booster ? 2 : 1) }
        if booster { preload["district"] = nil }
        if study == "energy" { preload["bldg_obs"] = .choice(1) }
        return preload
    }

    /// A new interview with the preloaded case data.
    static func scenario(_ study: String, booster: Bool = false) throws -> Scenario {
        let definition = try #require(definitions[study], "\(study).survey does not compile")
        var s = Scenario(definition, preload: preload(study, booster: booster))
        if study == "energy" { s.answer("facade_insul_obs", 1) }
        if study == "stakeholders" { s.answer("mode", 1) }
        return s
    }

    /// Ends the visit under way with `code`, then visits again on each of `days` (day 0 is Monday
    /// 4 May 2026) at `hour`, reopening the interview and ending that visit with `code` too.
    static func endVisits(_ s: inout Scenario, with code: Int, thenOn days: [Int], hour: Int) {
        s.apply(.ended(outcome: code))
        for day in days {
            s.context = EngineContext(
                today: LocalDate(year: 2026, month: 5, day: 4 + day), now: TimeOfDay(hour: hour, minute: 0), interviewer: "tester")
            s.apply(.reopened())
            s.apply(.ended(outcome: code))
        }
    }

    /// Where the case stands by the questionnaire's `final` rules after the visits so far.
    static func standing(_ s: Scenario) -> CaseStanding { s.interview.definition.standing(of: s.interview.visits) }

    /// A question's text as the interviewer sees it now (in Hungarian, the first language).
    static func rendered(_ s: Scenario, _ name: VariableName, row: Int? = nil) -> String? {
        guard let question = s.interview.question(name) else { return nil }
        return s.interview.render(question.text, at: Address(name, rows: row.map { [$0] } ?? []))
    }

    /// Wellbeing: one adult, selected and interviewed, both consents given.
    static func throughConsent(_ s: inout Scenario) {
        s.answer("hh_n16", 1)
        select(&s, listed: 1)
        throughConsentAnswered(&s)
    }

    /// Wellbeing address sample: the selection recorded (the selected person answers).
    static func select(_ s: inout Scenario, listed: Int) {
        #expect(s.value("sel_n16") == .integer(listed))
        s.answer("sel_initials", "K.A.")
        s.answer("sel_ok", 1)
    }

    /// Wellbeing: both consents given (hh_n16 already answered).
    static func throughConsentAnswered(_ s: inout Scenario) {
        s.answer("consent_main", 1)
        s.answer("consent_health", 1)
    }

    /// Energy: consent given, the respondent handles the bills.
    static func energyThroughRole(_ s: inout Scenario) {
        s.answer("consent", 1)
        s.answer("resp_role", 1)
    }
}
