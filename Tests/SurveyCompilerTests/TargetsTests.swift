import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import Testing

/// The `targets` block of docs/language.md: what it lowers to, and what the compiler rejects.
struct TargetsTests {
    /// A small questionnaire with an outcome variable, a district, sex and an age group.
    static let base = """
        answers OUT {
          11 hu "Teljes" en "Complete"
          12 hu "Részleges" en "Partial"
          21 hu "Visszautasítás" en "Refusal"
          23 hu "Nincs otthon" en "Nobody home"
          41 hu "Üres" en "Vacant"
        }
        answers DIST {
          1 hu "Bulgárföld" en "Bulgárföld"
          2 hu "Kilián-Észak" en "Kilián North"
        }
        answers SEX {
          1 hu "férfi" en "male"
          2 hu "nő" en "female"
        }
        question int_id text { preload interviewer text hu "Kérdező" en "Interviewer" }
        question district single DIST { interviewer text hu "Városrész" en "District" }
        question sex single SEX { text hu "Neme" en "Sex" }
        question age integer 16..99 { text hu "Kor" en "Age" }
        question income decimal { text hu "Jövedelem" en "Income" }
        calculate age_grp = if(age < 45, 1, 2)
        roster mem count 3 max 3 {
          question m_age integer { text hu "Kor" en "Age" }
        }
        question outcome single OUT { interviewer optional text hu "Eredmény" en "Outcome" }

        """

    static let header = """
        survey t {
          title hu "Teszt" en "Test"
          version "1"
          languages hu en
          outcome outcome complete 11
        }

        """

    private func compileTargets(_ block: String) -> (CompileResult, MarkedSource) {
        compileMarked(Self.header + Self.base + block, header: false)
    }

    @Test func everyLineOfTheBlockLowersToTheDefinition() throws {
        let (result, _) = compileTargets(
            """
            targets {
              period @2026-10-01 .. @2026-12-15
              total 400
              speeder 8
              hours @08:00 .. @20:30
              outcomes {
                complete 11
                partial 12
                refusal 21
                noncontact 23
                ineligible 41
              }
              quota district { 1 = 200  2 = 200 }
              quota sex, age_grp {
                1 1 = 100 hu "férfi, fiatal" en "men, younger"
                each 90
              }
              quota int_id { each 40  "K07" = 10 }
              monitor age_grp
            }
            """)
        #expect(result.diagnostics.isEmpty, "\(DiagnosticRenderer().render(result.diagnostics))")
        let t = try #require(result.compiled?.definition.targets)
        #expect(t.period == DateRange(first: LocalDate(year: 2026, month: 10, day: 1), last: LocalDate(year: 2026, month: 12, day: 15)))
        #expect(t.total == 400)
        #expect(t.speederMinutes == 8)
        #expect(t.workingHours == TimeRange(from: TimeOfDay(hour: 8, minute: 0), to: TimeOfDay(hour: 20, minute: 30)))
        #expect(t.disposition(of: 21) == .refusal)
        #expect(t.disposition(of: 41) == .ineligible)
        #expect(t.quotas.map(\.name) == ["district", "sex × age_grp", "int_id", "age_grp"])
        #expect(t.quotas[0].cells.map(\.target) == [200, 200])
        #expect(t.quotas[1].target(of: [.code(1), .code(1)]) == 100)
        #expect(t.quotas[1].target(of: [.code(2), .code(2)]) == 90)
        #expect(t.quotas[1].cells[0].label?[LanguageCode("en")] == "men, younger")
        #expect(t.quotas[2].target(of: [.text("K07")]) == 10)
        #expect(t.quotas[2].target(of: [.text("K01")]) == 40)
        #expect(!t.quotas[3].hasTargets)
    }

    @Test func aSurveyWithoutTargetsHasNoTargetsKeySoOlderHashesStay() throws {
        let (result, _) = compileTargets("")
        let compiled = try #require(result.compiled)
        #expect(compiled.definition.targets == nil)
        let json = String(decoding: try compiled.definition.canonicalJSON(), as: UTF8.self)
        #expect(!json.contains("\"targets\""))
    }

    @Test func theFastCanonicalWriterMatchesTheEncoderWithTargets() throws {
        let (result, _) = compileTargets(
            """
            targets {
              total 10
              quota sex { 1 = 5 hu "férfi / \\"F\\"" en "men"  2 = 5 }
              outcomes { complete 11 refusal 21 noncontact 23 partial 12 ineligible 41 }
            }
            """)
        let definition = try #require(result.compiled?.definition)
        #expect(try definition.canonicalJSON() == SurveyDefinition.canonicalEncoder().encode(definition))
    }

    @Test(
        arguments: [
            ("quota 1️⃣distrcit { 1 = 5 }", "E0401", "did you mean"),
            ("quota 1️⃣m_age { each 5 }", "E0405", "roster 'mem'"),
            ("quota 1️⃣income { each 5 }", "E0203", "is decimal"),
            ("quota district { 1️⃣7 = 5 }", "E0207", "not a code of 'district'"),
            ("quota district { 1 = 1️⃣-5 }", "E0207", "0 or more"),
            ("quota int_id { 1️⃣7 = 5 }", "E0203", "in quotes"),
            ("quota sex { 1️⃣\"1\" = 5 }", "E0203", "without quotes"),
            ("1️⃣quota sex { 1 hu \"férfi\" en \"men\" }", "E0207", "no target"),
            ("monitor sex { 1 = 1️⃣5 }", "E0207", "'monitor'"),
            ("1️⃣period @2026-12-01 .. @2026-10-01", "E0204", "lower bound"),
            ("1️⃣hours @20:00 .. @08:00", "E0204", "lower bound"),
            ("total 1️⃣0", "E0207", "above 0"),
            ("total 5 1️⃣total 6", "E0106", "total"),
            ("outcomes { 1️⃣refused 21 }", "E0101", "AAPOR class"),
            ("quota sex, age_grp { 1 1 = 2  1️⃣1 1 = 3 }", "E1003", "cell 1 1"),
        ] as [(String, String, String)])
    func badTargetLinesGetTheirDiagnostic(_ line: String, _ code: String, _ message: String) {
        let (result, source) = compileTargets("targets {\n  \(line)\n}\n")
        let found = result.diagnostics.first { $0.code.rawValue == code }
        let rendered = DiagnosticRenderer().render(result.diagnostics)
        #expect(found != nil, "no \(code) in:\n\(rendered)")
        #expect(found?.range.start == source.markers["1️⃣"], "\(code) at the wrong place:\n\(rendered)")
        #expect(((found?.message ?? "") + " " + (found?.help ?? "")).contains(message), "\(rendered)")
        #expect(result.compiled == nil || code.hasPrefix("W"))
    }

    @Test func targetsInsideASectionAreRejected() {
        assertDiagnostics(
            """
            section s {
              question q integer { text hu "x" en "x" }
              1️⃣targets { total 5 }
            }
            """, [DiagnosticSpec("E0107", message: "targets")])
    }

    @Test func outcomeClassesNeedAnOutcomeVariable() {
        assertDiagnostics(
            """
            question q integer { text hu "x" en "x" }
            targets { 1️⃣outcomes { complete 11 } }
            """, [DiagnosticSpec("E1004", message: "visit-outcome variable")])
    }

    @Test func aTargetsBlockInAnIncludedModuleCounts() throws {
        let def = try #require(
            compileClean(
                """
                question q integer { text hu "x" en "x" }
                include "plan.survey"
                """, modules: ["plan.survey": "targets { total 12 }"]))
        #expect(def.targets?.total == 12)
    }

    /// The `targets` example of docs/language.md §10, taken from the document itself. The doc
    /// tests leave it alone (a ```sketch — …: it reads variables it does not declare); this test
    /// compiles it with the declarations it needs.
    static func languageReferenceExample() throws -> String {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/language.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        // The fence line is ```sketch followed by the reason it is not compiled by the doc tests.
        guard let section = text.range(of: "## 10. Fieldwork targets"),
            let open = text.range(
                of: #"```sketch[^\n]*\ntargets \{"#, options: .regularExpression, range: section.upperBound..<text.endIndex),
            let body = text.range(of: "\ntargets {", range: open),
            let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex)
        else { throw CocoaError(.fileReadCorruptFile) }
        return String(text[text.index(after: body.lowerBound)..<close.lowerBound])
    }

    @Test func theLanguageReferenceExampleCompilesAndMeansWhatItSays() throws {
        let base = """
            answers OUTCOME {
              11 hu "Teljes" en "Complete"
              12 hu "Részleges" en "Partial"
              21 hu "Visszautasítás" en "Refusal"
              22 hu "Megszakadt" en "Break-off"
              23 hu "Senki sincs otthon" en "Non-contact"
              24 hu "Egyéb" en "Other"
              31 hu "Nem jutott be" en "No access"
              41 hu "Üres" en "Vacant"
              42 hu "Nincs 16+" en "No one 16+"
            }
            answers DIST {
              1 hu "Belváros" en "Centre"
              96 hu "Egyéb" en "Other"
            }
            answers SEX {
              1 hu "férfi" en "male"
              2 hu "nő" en "female"
            }
            answers SRC {
              1 hu "Címminta" en "Address sample"
              2 hu "Rendezvény" en "Event"
            }
            question int_id text { preload interviewer text hu "Kérdező" en "Interviewer" }
            question sample_source single SRC { preload interviewer text hu "Minta" en "Sample" }
            question district single DIST { interviewer text hu "Városrész" en "District" }
            question sex single SEX { text hu "Neme" en "Sex" }
            question age integer 16..99 { text hu "Kor" en "Age" }
            calculate age_grp = if(age < 30, 1, if(age < 45, 2, if(age < 65, 3, 4)))
            question outcome single OUTCOME { interviewer optional text hu "Eredmény" en "Outcome" }

            """
        let (result, _) = compileMarked(Self.header + base + (try Self.languageReferenceExample()), header: false)
        #expect(result.diagnostics.isEmpty, "\(DiagnosticRenderer().render(result.diagnostics))")
        let t = try #require(result.compiled?.definition.targets)
        #expect(t.total == 800 && t.speederMinutes == 8 && t.dispositions.count == 9)
        #expect(t.quotas.map(\.name) == ["district", "sex × age_grp", "int_id", "sample_source"])
        #expect(t.quotas[0].target(of: [.code(1)]) == 73 && t.quotas[0].target(of: [.code(96)]) == 0)
        #expect(t.quotas[1].target(of: [.code(2), .code(1)]) == 67 && t.quotas[1].target(of: [.code(2), .code(4)]) == 80)
    }

    @Test("the study questionnaires declare their briefs' targets", arguments: [("wellbeing", 800), ("energy", 450)])
    func studiesDeclareTargets(_ study: String, _ total: Int) throws {
        let targets = try #require(try StudyFiles.compiled(study).definition.targets)
        #expect(targets.total == total)
        #expect(targets.period != nil)
        #expect(targets.disposition(of: 11) == .complete)
        #expect(targets.disposition(of: 21) == .refusal)
        #expect(targets.quotas.contains { $0.variables == ["district"] && $0.hasTargets })
    }
}
