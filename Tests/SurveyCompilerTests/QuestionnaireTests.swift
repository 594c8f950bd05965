import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import Testing

/// The three study questionnaires (`questionnaires/*.survey`): they compile with no diagnostic
/// at all, their compiled form is stable (golden files), and the compiled definitions carry what
/// the study briefs (`wellbeing.md`, `energy.md`, `stakeholders.md`) require.
@Suite("Study questionnaires")
struct QuestionnaireTests {
    static let studies = ["wellbeing", "energy", "stakeholders"]

    // MARK: - Compiling

    @Test("compiles with no errors and no warnings", arguments: studies)
    func compilesCleanly(study: String) throws {
        let result = try #require(StudyFiles.results[study], "cannot read \(study).survey")
        let rendered = DiagnosticRenderer().render(result.diagnostics)
        #expect(result.diagnostics.isEmpty, "\(study).survey:\n\(rendered)")
        #expect(result.compiled != nil)
    }

    @Test("compiled output matches the golden file", arguments: studies)
    func matchesGolden(study: String) throws {
        let compiled = try StudyFiles.compiled(study)
        let json = String(decoding: try compiled.prettyFileData(), as: UTF8.self)
        assertGolden(json, file: goldenDirectory() + "/Golden/questionnaires/\(study).compiled.json")
    }

    @Test("compiling twice gives the same bytes and hash", arguments: studies)
    func deterministic(study: String) throws {
        let a = try StudyFiles.compiled(study, fresh: true), b = try StudyFiles.compiled(study, fresh: true)
        #expect(a.hash == b.hash)
        #expect(try a.fileData() == b.fileData())
    }

    @Test("the illustrative constructs of docs/language.md compile cleanly")
    func referenceExamplesCompile() throws {
        let loader = InMemoryLoader(["ex.survey": StudyFiles.referenceExamples])
        let result = SurveyCompiler.compile(try loader.root("ex.survey"), loader: loader)
        #expect(result.diagnostics.isEmpty, "\(DiagnosticRenderer().render(result.diagnostics))")
        let d = try #require(result.compiled?.definition)
        let index = SurveyIndex(d)
        #expect(index.groupRosters["job"] == ["mem"], "job is nested in mem")
        guard case .roster(let trip)? = index.groups["trip"]?.kind else {
            Issue.record("trip is not a roster")
            return
        }
        #expect(trip.count == nil && trip.maxRows == 30)
        #expect(index["econ_other"]?.question.kind == .text(maxLength: 100, pattern: nil))
        #expect(index.answerSets["PARTY"]?.option(code: 95)?.fixed == true)
    }

    // MARK: - Header and names

    @Test("header: id, languages hu en, outcome variable with complete code 11", arguments: studies)
    func header(study: String) throws {
        let d = try Study(study)
        #expect(d.definition.id.rawValue == study)
        #expect(d.definition.languages == ["hu", "en"])
        #expect(d.definition.outcome == OutcomeSpec(variable: "outcome", completeCode: 11))
        #expect(d.definition.specialCodes == SpecialCodes(notApplicable: -7, dontKnow: -8, refused: -9))
        let outcome = try #require(d.question("outcome"))
        #expect(outcome.interviewerOnly)
    }

    @Test("export names (variables, choice dummies, soft checks) are unique ignoring case, ASCII, ≤ 32 characters", arguments: studies)
    func variableNames(study: String) throws {
        let d = try Study(study)
        var exportNames: [String] = []
        for q in d.allQuestions where q.kind != .note {
            if case .multipleChoice(let spec, _, _) = q.kind, let set = d.answerSet(spec.answerSet) {
                exportNames += set.options.map { "\(q.name.rawValue)_\($0.code)" }
            } else {
                exportNames.append(q.name.rawValue)
            }
            // Confirmed soft checks are exported as variables named after the check.
            exportNames += q.checks.filter { $0.severity == .warning }.map(\.id.rawValue)
        }
        for group in d.index.groups.values {
            exportNames += group.checks.filter { $0.severity == .warning }.map(\.id.rawValue)
        }
        let lowered = exportNames.map { $0.lowercased() }
        #expect(Set(lowered).count == lowered.count, "duplicates: \(StudyFiles.duplicates(lowered))")
        for name in exportNames {
            #expect(
                name.count <= 32 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") },
                "\(name)")
            #expect(name.first?.isLetter == true, "\(name)")
        }
    }

    @Test("every text has a Hungarian and an English version", arguments: studies)
    func textsInBothLanguages(study: String) throws {
        let d = try Study(study)
        let texts = d.allTexts
        #expect(texts.count > 100)
        for (place, text) in texts {
            for lang: LanguageCode in ["hu", "en"] {
                let value = text[lang] ?? ""
                #expect(!value.trimmingCharacters(in: .whitespaces).isEmpty, "\(place) has no '\(lang)' text")
            }
        }
    }

    @Test("every declared variable has a Hungarian and an English variable label", arguments: studies)
    func variableLabels(study: String) throws {
        let d = try Study(study)
        for q in d.allQuestions where q.kind != .note && q.otherOf == nil {
            let label = try #require(q.label, "\(q.name) has no label")
            let hu = label["hu"] ?? "", en = label["en"] ?? ""
            #expect(!hu.isEmpty && !en.isEmpty && hu != en, "\(q.name): \(label.texts)")
            #expect(hu.count <= 80 && en.count <= 80, "\(q.name): longer than Stata's 80-character variable label")
        }
    }

    @Test("Hungarian texts use the Hungarian accented letters", arguments: studies)
    func hungarianAccents(study: String) throws {
        let d = try Study(study)
        let hu = d.allTexts.compactMap { $0.1["hu"] }.joined()
        for letter in ["á", "é", "í", "ó", "ö", "ő", "ú", "ü", "ű"] {
            #expect(hu.contains(letter), "no '\(letter)' in the Hungarian texts")
        }
        // The look-alikes a wrong keyboard layout produces must not appear.
        #expect(!hu.contains("õ") && !hu.contains("û"))
    }

    // MARK: - Wellbeing specifics

    @Test("nb_prob: at most 3 codes, 97 exclusive, 96 asks nb_prob_oth")
    func neighbourhoodProblems() throws {
        let d = try Study("wellbeing")
        let q = try #require(d.question("nb_prob"))
        guard case .multipleChoice(let spec, _, let max) = q.kind else {
            Issue.record("nb_prob is not a multiple choice: \(q.kind)")
            return
        }
        #expect(max == 3)
        let set = try #require(d.answerSet(spec.answerSet))
        #expect(set.option(code: 97)?.exclusive == true)
        #expect(set.option(code: 96)?.other == true)
        #expect(set.options.filter(\.exclusive).map(\.code) == [97])
        #expect(d.question("nb_prob_oth")?.otherOf == "nb_prob")
    }

    @Test(
        "ends: booster not resident and hh_n16 = 0 give 42, the selected person unavailable 24, consent_main = 0 gives 21 (wellbeing); consent 21, unavailable 24 (energy)"
    )
    func endRules() throws {
        let w = try Study("wellbeing")
        #expect(w.ends.map(\.outcome) == [42, 42, 24, 21])
        #expect(w.ends.first?.condition.map { StudyFiles.isComparison($0, .equal, "res_miskolc", 0) } == true)
        #expect(w.ends[1].condition.map { StudyFiles.isComparison($0, .equal, "hh_n16", 0) } == true)
        #expect(w.ends[2].condition.map { StudyFiles.isComparison($0, .equal, "sel_ok", 0) } == true)
        let e = try Study("energy")
        #expect(e.ends.map(\.outcome) == [21, 24])
    }

    @Test("sections C and D are asked only with consent_health = 1")
    func healthConsentRouting() throws {
        let d = try Study("wellbeing")
        for id: GroupID in ["C", "D"] {
            let condition = try #require(d.group(id)?.condition, "section \(id)")
            #expect(StudyFiles.isComparison(condition, .equal, "consent_health", 1), "section \(id)")
        }
        #expect(d.question("consent_health")?.specials == [])
        #expect(d.question("consent_main")?.specials == [])
    }

    @Test("prog_part offers only the programmes ticked in prog_aware, plus 97")
    func choiceFilter() throws {
        let d = try Study("wellbeing")
        let q = try #require(d.question("prog_part"))
        guard case .multipleChoice(let spec, _, _) = q.kind else {
            Issue.record("prog_part is not a multiple choice")
            return
        }
        let filter = try #require(spec.filter)
        #expect(filter.referencedVariables == ["prog_aware"])
        #expect(StudyFiles.mentionsOption(filter))
        #expect(q.condition?.referencedVariables == ["prog_aware"])
    }

    @Test("the WHO-5 scores are hidden calculations over the five items")
    func who5Scores() throws {
        let d = try Study("wellbeing")
        let raw = try #require(d.question("who5_raw"))
        guard case .calculated(let expr, let type) = raw.kind else {
            Issue.record("who5_raw is not calculated")
            return
        }
        #expect(type == .integer)
        #expect(Set(expr.referencedVariables) == ["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"])
        for name: VariableName in ["who5_pct", "who5_low", "age", "act_n", "aff_dow", "duration_min"] {
            guard case .calculated = d.question(name)?.kind else {
                Issue.record("\(name) is not a calculation")
                continue
            }
        }
    }

    @Test("outcome 12 requires sections B to F complete")
    func statusRule() throws {
        let d = try Study("wellbeing")
        let checks = try #require(d.question("outcome")).checks
        let rule = try #require(checks.first { StudyFiles.mentions($0.condition, literal: 12) })
        #expect(rule.severity == .error)
        #expect(StudyFiles.completedSections(rule.condition) == ["B", "C", "D", "E", "F"])
        let energy = try #require(try Study("energy").question("outcome")).checks
        let energyRule = try #require(energy.first { StudyFiles.mentions($0.condition, literal: 12) })
        #expect(StudyFiles.completedSections(energyRule.condition) == ["C1", "C2"])
    }

    // MARK: - Privacy and metadata

    @Test(
        "PII markers: phone, contact, names, initials and GPS, and nothing substantive else; int_id and address_id pseudonyms",
        arguments: studies)
    func piiMarkers(study: String) throws {
        let d = try Study(study)
        let pii = Set(d.allQuestions.filter { $0.pii == .direct }.map(\.name.rawValue))
        let expected: Set<String> =
            switch study {
            case "wellbeing": ["phone", "sel_initials", "gps_lat", "gps_lon"]
            case "energy": ["contact", "m_name", "gps_lat", "gps_lon"]
            default: ["org_name", "contact"]
            }
        #expect(pii == expected)
        let pseudonyms: Set<String> = study == "stakeholders" ? ["int_id"] : ["int_id", "address_id"]
        #expect(Set(d.allQuestions.filter { $0.pii == .pseudonym }.map(\.name.rawValue)) == pseudonyms)
    }

    @Test("case data is preloaded and interviewer-only; the visits are recorded by the device", arguments: studies)
    func preloads(study: String) throws {
        let d = try Study(study)
        var expected =
            study == "stakeholders" ? ["int_id", "org_id", "frame_type"] : ["int_id", "cluster_id", "address_id", "gps_lat", "gps_lon"]
        if study == "wellbeing" { expected.append("sample_source") }
        if study == "energy" { expected.append("district") }
        for name in expected {
            let q = try #require(d.question(VariableName(name)), "\(name)")
            #expect(q.preload && q.interviewerOnly, "\(name)")
        }
        // Brief 1 §9 "Visits": from the recorded visits, not typed; visit_ts is a date and time.
        guard case .calculated(let visitNo, .integer)? = d.question("visit_no")?.kind,
            case .calculated(let visitTs, .datetime)? = d.question("visit_ts")?.kind
        else {
            Issue.record("visit_no / visit_ts are not the visit calculations")
            return
        }
        #expect(visitNo == .call(.visits, []) && visitTs == .call(.visitStart, []))
        // The well-being booster is asked its district: preloaded, but not interviewer-only.
        if study == "wellbeing" {
            let district = try #require(d.question("district"))
            #expect(district.preload && !district.interviewerOnly && district.specials == [])
        }
    }

    @Test("every multiple choice with a 97 option makes it exclusive", arguments: studies)
    func exclusiveNone(study: String) throws {
        let d = try Study(study)
        for q in d.allQuestions {
            guard case .multipleChoice(let spec, _, _) = q.kind, let set = d.answerSet(spec.answerSet),
                let none = set.option(code: 97)
            else { continue }
            #expect(none.exclusive, "\(q.name) code 97")
        }
    }

    @Test("every 'other' option has its _oth follow-up", arguments: studies)
    func otherFollowUps(study: String) throws {
        let d = try Study(study)
        for q in d.allQuestions {
            let setID: AnswerSetID
            switch q.kind {
            case .singleChoice(let spec), .multipleChoice(let spec, _, _): setID = spec.answerSet
            default: continue
            }
            guard d.answerSet(setID)?.options.contains(where: \.other) == true else { continue }
            let follow = try #require(d.question(VariableName("\(q.name)_oth")), "\(q.name)_oth")
            #expect(follow.otherOf == q.name)
            #expect(follow.kind == .text(maxLength: 200, pattern: nil))
        }
    }

    // MARK: - Energy specifics

    @Test("the household roster mem counts hh_size rows, at most 15")
    func householdRoster() throws {
        let d = try Study("energy")
        let mem = try #require(d.group("mem"))
        guard case .roster(let spec) = mem.kind else {
            Issue.record("mem is not a roster")
            return
        }
        #expect(spec.count == .variable("hh_size"))
        #expect(spec.maxRows == 15)
        let names = mem.children.compactMap { node -> String? in
            if case .question(let q) = node { return q.name.rawValue }
            return nil
        }
        #expect(names == ["m_name", "m_sex", "m_age", "m_rel", "m_act", "m_act_oth", "m_home_day"])
        let rel = try #require(d.question("m_rel"))
        let preset = try #require(rel.defaultValue)
        #expect(StudyFiles.literalCode(preset.value) == 1)
        #expect(preset.condition.map { StudyFiles.isRowComparison($0, 1) } == true)
        #expect(rel.checks.count == 2 && rel.checks.allSatisfy { $0.severity == .error })
    }

    @Test(
        "soft and hard checks of the energy brief",
        arguments: [
            ("hh_size", CheckSeverity.warning), ("elec_bill", .warning), ("heat_bill", .warning), ("dwell", .warning),
            ("floor_m2", .warning), ("heat_main", .warning), ("renov", .warning), ("pv_has", .warning),
            ("pv_kw", .warning), ("pv_billing", .warning), ("m_age", .error), ("bill_date", .error),
        ])
    func energyChecks(variable: String, severity: CheckSeverity) throws {
        let d = try Study("energy")
        let q = try #require(d.question(VariableName(variable)))
        #expect(q.checks.contains { $0.severity == severity }, "\(variable)")
        for check in q.checks {
            #expect(check.message["hu"] != nil && check.message["en"] != nil, "\(check.id)")
        }
    }

    @Test("elec_bill's soft check pipes the amount in both languages")
    func elecBillMessage() throws {
        let d = try Study("energy")
        let check = try #require(d.question("elec_bill")?.checks.first)
        #expect(check.id == "chk_elec_bill")
        #expect(StudyFiles.isComparison(check.condition, .greater, "elec_bill", 50_000))
        #expect(check.message["hu"] == "Ellenőrizze: {elec_bill} Ft/hó?")
        #expect(check.message["en"] == "Check: {elec_bill} HUF/month?")
    }

    @Test("pv_barrier allows at most 3 codes and ectrust_kk is asked only in blocks of flats")
    func energyRouting() throws {
        let d = try Study("energy")
        guard case .multipleChoice(_, _, let max) = try #require(d.question("pv_barrier")).kind else {
            Issue.record("pv_barrier is not a multiple choice")
            return
        }
        #expect(max == 3)
        #expect(d.question("ectrust_kk")?.condition?.referencedVariables == ["dwell"])
        #expect(d.question("contact")?.condition?.referencedVariables == ["recontact", "focus_ok"])
    }
}

/// A compiled study with look-ups.
private struct Study {
    let definition: SurveyDefinition
    let index: SurveyIndex

    init(_ study: String) throws {
        definition = try StudyFiles.compiled(study).definition
        index = SurveyIndex(definition)
    }

    /// Every question, note, calculation and follow-up, in document order.
    var allQuestions: [Question] { index.questionsInOrder.compactMap { index[$0]?.question } }

    func question(_ name: VariableName) -> Question? { index[name]?.question }
    func group(_ id: GroupID) -> Group? { index.groups[id] }
    func answerSet(_ id: AnswerSetID) -> AnswerSet? { index.answerSets[id] }

    /// The end rules in document order.
    var ends: [EndRule] {
        func walk(_ nodes: [Node]) -> [EndRule] {
            nodes.flatMap { node -> [EndRule] in
                switch node {
                case .end(let e): [e]
                case .group(let g): walk(g.children)
                case .question: []
                }
            }
        }
        return walk(definition.items)
    }

    /// Every user-visible text with where it is, for the language checks.
    var allTexts: [(String, LocalizedText)] {
        var out: [(String, LocalizedText)] = [("title", definition.title)]
        for set in definition.answerSets {
            out += set.options.map { ("\(set.id) \($0.code)", $0.label) }
        }
        for q in allQuestions {
            if case .calculated = q.kind {} else { out.append(("\(q.name) text", q.text)) }
            if let hint = q.hint { out.append(("\(q.name) hint", hint)) }
            out += q.checks.map { ("\($0.id)", $0.message) }
        }
        for g in index.groups.values {
            if let t = g.title { out.append(("\(g.id) title", t)) }
            if let t = g.text { out.append(("\(g.id) text", t)) }
            if case .roster(let spec) = g.kind, let label = spec.rowLabel { out.append(("\(g.id) rowlabel", label)) }
            out += g.checks.map { ("\($0.id)", $0.message) }
        }
        out += ends.compactMap { e in e.message.map { ("end \(e.outcome)", $0) } }
        return out
    }
}

/// Locating, compiling and comparing the study files.
enum StudyFiles {
    /// The repository root, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func compile(_ study: String) throws -> CompileResult {
        let loader = FileSystemLoader()
        let file = try loader.load(root.appendingPathComponent("questionnaires/\(study).survey").path)
        return SurveyCompiler.compile(file, loader: loader)
    }

    /// Each study compiled once for the whole suite (nil when its file cannot be read).
    static let results: [String: CompileResult] = {
        var out: [String: CompileResult] = [:]
        for study in QuestionnaireTests.studies { out[study] = try? compile(study) }
        return out
    }()

    static func compiled(_ study: String, fresh: Bool = false) throws -> CompiledSurvey {
        let result = try fresh ? compile(study) : #require(results[study], "cannot read \(study).survey")
        return try #require(result.compiled, "\(study): \(DiagnosticRenderer().render(result.diagnostics))")
    }

    static func duplicates(_ names: [String]) -> [String] {
        Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    }

    /// The code of an integer or choice literal.
    static func literalCode(_ e: Expr) -> Int? {
        switch e {
        case .literal(.integer(let n)), .literal(.choice(let n)): n
        default: nil
        }
    }

    /// Whether `e` is `variable OP code`.
    static func isComparison(_ e: Expr, _ op: BinaryOperator, _ variable: VariableName, _ code: Int) -> Bool {
        guard case .binary(op, .variable(variable), let rhs) = e else { return false }
        return literalCode(rhs) == code
    }

    /// Whether `e` is `row == n`.
    static func isRowComparison(_ e: Expr, _ n: Int) -> Bool {
        guard case .binary(.equal, .currentRow, let rhs) = e else { return false }
        return literalCode(rhs) == n
    }

    /// Every sub-expression, depth first.
    static func walk(_ e: Expr) -> [Expr] {
        switch e {
        case .literal, .variable, .currentRow, .option: [e]
        case .rowVariable(_, let r): [e] + walk(r)
        case .unary(_, let a): [e] + walk(a)
        case .binary(_, let a, let b): [e] + walk(a) + walk(b)
        case .call(_, let args), .list(let args): [e] + args.flatMap(walk)
        case .aggregate(_, _, let body): [e] + (body.map(walk) ?? [])
        }
    }

    static func mentionsOption(_ e: Expr) -> Bool { walk(e).contains(.option) }

    static func mentions(_ e: Expr, literal code: Int) -> Bool { walk(e).contains { literalCode($0) == code } }

    /// The sections named in `complete(…)` calls, in order.
    static func completedSections(_ e: Expr) -> [String] {
        walk(e).compactMap { sub -> String? in
            guard case .call(.complete, let args) = sub, case .literal(.text(let id))? = args.first else { return nil }
            return id
        }
    }

    /// Constructs docs/language.md shows only as illustrations (nested and open rosters, group
    /// checks, `other NAME`, `fixed`, `randomize`, raw pipes, aggregates, date functions).
    static let referenceExamples = #"""
        survey ex {
          title hu "Példa" en "Example"
          version "1"
          languages hu en
          outcome outcome complete 11
          specials dk rf
        }
        answers OUT { 11 hu "Teljes" en "Complete" 21 hu "Visszautasítás" en "Refusal" }
        answers PARTY {
          1  hu "A párt" en "Party A"
          2  hu "B párt" en "Party B"
          95 hu "Nem szavazna" en "Would not vote" fixed
        }
        answers ECON { 1 hu "Alkalmazott" en "Employee" 96 hu "Egyéb" en "Other" other }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        question hh_size integer 1..15 { nodk text hu "Hányan?" en "How many?" }
        question district single ECON { preload text hu "Kerület" en "District" hint hu "Kód: {district:code}" en "Code: {district:code}" }
        question party single PARTY { randomize text hu "Párt?" en "Party?" }
        question econ single ECON {
          other econ_other maxlength 100 text hu "Milyen más?" en "Which other?"
          text hu "Tevékenység?" en "Activity?"
        }
        question birth_date date ..today() { text hu "Születési dátum" en "Date of birth" }
        question start_t time { text hu "Kezdés" en "Start" optional }
        calculate age2 = years_between(birth_date, today())
        question x integer 0.. { text hu "X" en "X" }
        question x_why text { when is_refused(x) text hu "Miért?" en "Why?" }
        section hh {
          title hu "Háztartás" en "Household"
          question adults integer 1..15 { text hu "Felnőttek" en "Adults" }
          question kids integer 0..14 { text hu "Gyerekek" en "Children" }
          error if adults + kids > 15 hu "Legfeljebb 15 fő." en "At most 15 people."
        }
        roster mem count hh_size max 15 {
          title hu "Tagok" en "Members"
          rowlabel hu "{m_name}" en "{m_name}"
          question m_name text { maxlength 20 pii text hu "Név" en "Name" }
          question m_age integer 0..110 { text hu "{m_name} kora" en "{m_name}'s age" }
          question m_job_n integer 0..5 { nodk when m_age >= 15 text hu "Munkák" en "Jobs" }
          roster job count m_job_n max 5 {
            question job_hours integer 1..80 { text hu "{m_name}: heti óraszám?" en "{m_name}: hours a week?" }
          }
          question m_older yesno { when row > 1 and m_age > m_age[1] text hu "Idősebb?" en "Older?" }
        }
        roster trip max 30 {
          question trip_dest text { text hu "Hová?" en "Where?" }
        }
        calculate hours_total = sum(mem, sum(job, job_hours))
        calculate oldest = max(mem, m_age)
        calculate any65 = any(mem, answered(m_age) and m_age >= 65)
        calculate d1 = round(2.55, 1) + abs(-1) + min(1, 2) + length("abc") + day(date(2025, 1, 1))
        calculate t = now_time()
        question cut multiple PARTY { min 1 text hu "V" en "V" when any65 and oldest > 60 and hours_total > 0 and d1 > 0 and answered(t) }
        end outcome 21 if x == 0 { text hu "Viszlát" en "Bye" }
        """#
}
