import Foundation
import SurveyCompiler
import SurveyModel
import Testing

/// What the December 2026 review asks of the compiled questionnaires (briefs 1-2 §9, brief 3):
/// the corrected and new texts as the briefs word them, an interviewer instruction on every
/// scale and multiple choice, the modules shared by the two energy studies, and the targets.
@Suite("Study questionnaires after the review")
struct QuestionnaireReviewTests {
    static func definition(_ study: String) throws -> SurveyDefinition { try StudyFiles.compiled(study).definition }

    static func question(_ study: String, _ name: VariableName) throws -> Question {
        try #require(SurveyIndex(try definition(study))[name]?.question, "\(study): no \(name)")
    }

    // MARK: - Texts

    /// The grid items whose texts the briefs give as a lettered list (a) …; b) …), which
    /// BriefConformanceTests cannot split: the rest of the briefs' texts are read from the briefs.
    static let briefTexts: [(study: String, variable: String, hu: String)] = [
        ("energy", "ectrust_civil", "helyi civilekben (pl. a Kilián-Észak Egyesületben)?"),
        ("stakeholders", "ectrust_muni", "az önkormányzatban?"),
        ("stakeholders", "ectrust_res", "a lakókban?"),
    ]

    @Test(arguments: briefTexts.map { "\($0.study).\($0.variable)" })
    func theTextIsTheBriefs(_ key: String) throws {
        let entry = try #require(Self.briefTexts.first { "\($0.study).\($0.variable)" == key })
        let q = try Self.question(entry.study, VariableName(entry.variable))
        #expect(q.text["hu"] == entry.hu)
        #expect(!(q.text["en"] ?? "").isEmpty)
    }

    @Test func theWellBeingProgrammesAndEligibilityWording() throws {
        let d = try Self.definition("wellbeing")
        let prog = try #require(SurveyIndex(d).answerSets["PROG"])
        #expect(prog.option(code: 2)?.label["hu"] == "Fogadj Örökbe Egy Közteret")
        #expect(prog.option(code: 8)?.label["hu"] == "Miskolci Ötletmaraton")
        #expect(prog.option(code: 9)?.label["hu"]?.contains("„Hogyan veszünk részt a közös ügyeink alakításában?”") == true)
        #expect(prog.option(code: 6)?.label["hu"] == "KÉK közösségi tér tervezése", "codes keep their meaning")
        let a1 = try Self.question("wellbeing", "hh_n16").text["hu"] ?? ""
        #expect(a1.contains("16 éves vagy idősebb") && a1.contains("háztartásban"))
        for name: VariableName in ["hh_size", "hh_u16"] {
            for check in try Self.question("wellbeing", name).checks {
                #expect(check.message["hu"]?.contains("16 éves vagy idősebb") == true, "\(check.id)")
            }
        }
    }

    @Test(arguments: QuestionnaireTests.studies)
    func noHungarianTextSaysOver16OrPipesAfterAnUnagreedArticle(study: String) throws {
        let index = SurveyIndex(try Self.definition(study))
        var texts: [(String, String)] = []
        for name in index.questionsInOrder {
            guard let q = index[name]?.question else { continue }
            texts += [q.text, q.hint, q.label].compactMap { $0?["hu"] }.map { ("\(name)", $0) }
            texts += q.checks.compactMap { $0.message["hu"] }.map { ("\(name)", $0) }
        }
        for set in index.definition.answerSets { texts += set.options.compactMap { $0.label["hu"] }.map { (set.id.rawValue, $0) } }
        for (place, text) in texts {
            #expect(!text.contains("16 év feletti") && !text.contains("16 év felettiek"), "\(place): \(text)")
            #expect(
                text.firstMatch(of: /\ba\(z\)\s*\{/) == nil && text.firstMatch(of: /\ba\s+\{district/) == nil,
                "\(place) pipes the district after an article: \(text)")
        }
    }

    // MARK: - Interviewer instructions

    /// Every 0-10 scale, every agreement (AGR5) question and every multiple choice carries an
    /// instruction saying which card to show or whether the options are read out.
    @Test(arguments: QuestionnaireTests.studies)
    func everyScaleAndMultipleChoiceSaysWhatToShowOrReadOut(study: String) throws {
        let index = SurveyIndex(try Self.definition(study))
        var checked = 0
        for name in index.questionsInOrder {
            guard let q = index[name]?.question else { continue }
            let needsHint: Bool =
                switch q.kind {
                case .scale(let lo, let hi, _): lo == 0 && hi == 10
                case .singleChoice(let spec): spec.answerSet == "AGR5"
                case .multipleChoice: true
                default: false
                }
            guard needsHint else { continue }
            checked += 1
            let hu = q.hint?["hu"] ?? "", en = q.hint?["en"] ?? ""
            #expect(hu.contains("kártyá") || hu.contains("olvassa fel") || hu.contains("Olvassa fel"), "\(study).\(name): \(hu)")
            #expect(en.contains("card") || en.contains("read out") || en.contains("Read out"), "\(study).\(name): \(en)")
            if study == "stakeholders", hu.contains("kártyá") {
                #expect(hu.contains("telefonon"), "\(name): an actor may be interviewed by phone: \(hu)")
            }
        }
        #expect(checked >= 8, "\(study): only \(checked) scales and multiple choices")
    }

    // MARK: - Shared modules

    /// The knowledge quiz, its score, the definition, ec_lead and the challenge labels are one
    /// declaration in questionnaires/common/ used by both energy studies, not copies.
    @Test func theEnergyStudiesShareTheirCommonPartsThroughModules() throws {
        let energy = SurveyIndex(try Self.definition("energy")), actors = SurveyIndex(try Self.definition("stakeholders"))
        for name: VariableName in [
            "ec_heard", "ec_quiz_a", "ec_quiz_b", "ec_quiz_c", "ec_quiz_d", "quiz_score", "ec_def", "ec_lead",
        ] {
            #expect(energy[name]?.question == actors[name]?.question, "\(name) differs between the studies")
        }
        for name: VariableName in ["bar_capacity", "bar_comm", "bar_decide", "bar_data"] {
            let e = try #require(energy[name]?.question), a = try #require(actors[name]?.question)
            #expect(e.label == a.label && e.kind == a.kind, "\(name): the same item")
            // Each study's wording (brief 3 C5 "worded for organisations"; only bar_comm reads the same).
            #expect((e.text == a.text) == (name == "bar_comm"), "\(name)")
        }
        for set: AnswerSetID in ["AGR5", "LIK5", "TRUST10", "TF", "ECHEARD", "ECLEAD"] {
            #expect(energy.answerSets[set] == actors.answerSets[set], "\(set)")
        }
        // Not copied: the shared wording lives only in the module.
        for study in ["energy", "stakeholders"] {
            let source = try String(contentsOf: StudyFiles.root.appendingPathComponent("questionnaires/\(study).survey"), encoding: .utf8)
            for shared in ["Energiaközösséget csak nagyvállalat alapíthat", "ki kezdeményezze", "answers TRUST10", "answers LIK5"] {
                #expect(!source.contains(shared), "\(study).survey copies '\(shared)'")
            }
            for module in ["ec_knowledge", "ec_lead", "ec_challenges", "ec_scales", "ec_definition"] {
                #expect(source.contains("include \"common/\(module).survey\""), "\(study).survey does not include \(module)")
            }
        }
    }

    // MARK: - Version notes

    /// The file's header comment lists the changes of every version, newest first: its first
    /// entry is the compiled version, so a new `version` without its notes fails. The brief is
    /// cited by name, not by one machine's path.
    @Test(arguments: QuestionnaireTests.studies)
    func theVersionNotesStartWithTheCurrentVersion(study: String) throws {
        let source = try String(contentsOf: StudyFiles.root.appendingPathComponent("questionnaires/\(study).survey"), encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let notes = try #require(lines.firstIndex(of: "# Version notes"), "\(study).survey has no '# Version notes' comment")
        let version = try Self.definition(study).version
        #expect(
            lines[notes + 1].hasPrefix("# \(version) ") || lines[notes + 1].hasPrefix("# \(version):"),
            "\(study).survey: the first version note is '\(lines[notes + 1])', the version is \(version)")
        if study != "stakeholders" {
            #expect(lines[(notes + 2)...].contains { $0.hasPrefix("# 2026.1") }, "\(study): the notes keep the earlier versions")
            #expect(lines[(notes + 2)...].prefix { !$0.hasPrefix("# 2026.1") }.count >= 5, "\(study): \(version)'s notes list its changes")
        }
        #expect(source.firstMatch(of: /\/work\/|\/home\/|\/Users\//) == nil, "\(study).survey cites an absolute path")
    }

    // MARK: - Targets

    @Test func theWellBeingTargetsCountTheAddressSampleAndNameTheBooster() throws {
        let targets = try #require(try Self.definition("wellbeing").targets)
        let scope = try #require(targets.scope)
        #expect(scope.text == "sample_source == 1")
        #expect(scope.leftOut?["hu"] == "Városi esték rendezvényminta")
        #expect(!targets.quotas.contains { $0.variables == ["sample_source"] }, "the booster is not a quota cell")
    }

    @Test func theActorsTargetsAreTheBriefs() throws {
        let targets = try #require(try Self.definition("stakeholders").targets)
        #expect(targets.total == 80)
        let quota = try #require(targets.quotas.first { $0.variables == ["org_grp"] })
        #expect(quota.cells.map(\.target) == [25, 20, 15, 10, 10])
        #expect(quota.cells.map(\.values) == (1...5).map { [QuotaValue.code($0)] })
        #expect(targets.quotas.contains { $0.variables == ["org_area"] && !$0.hasTargets })
        #expect(targets.disposition(of: 41) == .ineligible && targets.disposition(of: 11) == .complete)
    }
}
