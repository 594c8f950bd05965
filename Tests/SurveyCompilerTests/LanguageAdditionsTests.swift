import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import Testing

/// The constructs added for the December 2026 questionnaires: `datetime`, phrases, article
/// pipes, targets limited by `where`, multiple-choice breakdowns and roster-count checks.
struct LanguageAdditionsTests {
    // MARK: datetime

    @Test func aDateTimeQuestionLowersWithItsBounds() throws {
        let d = try #require(
            compileClean(
                """
                question visit_ts datetime @2026-10-01T08:00..now() { text hu "Mikor?" en "When?" }
                calculate visit_day = date(visit_ts)
                calculate visit_hour = hour(visit_ts)
                """))
        let index = SurveyIndex(d)
        let q = try #require(index["visit_ts"]?.question)
        let start = try #require(LocalDateTime(iso: "2026-10-01T08:00"))
        #expect(q.kind == .datetime(min: .literal(.datetime(start)), max: .call(.now, [])))
        guard case .calculated(_, let type)? = index["visit_day"]?.question.kind else {
            Issue.record("visit_day is not calculated")
            return
        }
        #expect(type == .date)
    }

    @Test func dateTimeLiteralsReadIsoLocalTime() {
        #expect(LocalDateTime(iso: "2026-11-26T14:05")?.description == "2026-11-26T14:05:00")
        #expect(LocalDateTime(iso: "2026-11-26 14:05:09")?.description == "2026-11-26T14:05:09")
        #expect(LocalDateTime(iso: "1969-12-31T23:59:59")?.date == LocalDate(year: 1969, month: 12, day: 31))
        for bad in ["2026-11-26", "2026-02-30T10:00", "2026-11-26T24:00", "2026-11-26T10:00:60", "2026-11-26T10:00Z"] {
            #expect(LocalDateTime(iso: bad) == nil, "\(bad)")
        }
    }

    @Test(arguments: [
        ("question t datetime 1️⃣@2026-10-02T00:00..@2026-10-01T00:00 { text hu \"T\" en \"T\" }", "E0204"),
        ("question t datetime 1️⃣@2026-10-02..now() { text hu \"T\" en \"T\" }", "E0203"),
        ("question t datetime { text hu \"T\" en \"T\" }\ncalculate bad = 1️⃣t > today()", "E0203"),
        ("question t datetime { text hu \"T\" en \"T\" }\ncalculate bad = 1️⃣minutes_between(t)", "E0201"),
        ("question t date { text hu \"T\" en \"T\" }\ncalculate bad = hour(1️⃣t)", "E0203"),
        ("calculate bad = 1️⃣@2026-10-01T25:00", "E0006"),
    ])
    func dateTimeMistakesAreDiagnosed(source: String, code: String) {
        assertDiagnostics(source, [DiagnosticSpec(code)])
    }

    // MARK: phrases

    @Test func aPhraseStandsForItsTextWhereverATextIsExpected() throws {
        let d = try #require(
            compileClean(
                """
                phrase CARD hu "Mutassa a kártyát ({x})." en "Show the card ({x})."
                phrase AGREE hu "„Egyetértek ({x}).”" en "“I agree ({x}).”"
                phrase WRONG hu "Hibás." en "Wrong."
                question x integer 0..9 { text hu "X" en "X" hint CARD error if x == 9 WRONG }
                grid g integer 0..5 {
                  text hu "Állítások" en "Statements"
                  hint CARD
                  item g_agree AGREE { label hu "Egyetértés" en "Agreement" }
                }
                """))
        let index = SurveyIndex(d)
        #expect(index["x"]?.question.hint?["hu"] == "Mutassa a kártyát ({x}).")
        #expect(index["x"]?.question.checks.first?.message["en"] == "Wrong.")
        #expect(index["g_agree"]?.question.text["hu"] == "„Egyetértek ({x}).”")
        #expect(index["g_agree"]?.question.hint?["en"] == "Show the card ({x}).")
    }

    @Test func phraseMistakesAreDiagnosed() {
        assertDiagnostics(
            """
            phrase CARD hu "Kártya" en "Card"
            phrase 1️⃣CARD hu "Másik" en "Other"
            phrase 2️⃣SPARE hu "Tartalék" en "Spare"
            question x integer 0..9 { text hu "X" en "X" hint 3️⃣CRAD }
            question y integer 0..9 { text hu "Y" en "Y" hint CARD }
            """,
            [
                DiagnosticSpec("E0403", at: "1️⃣"), DiagnosticSpec("W0504", at: "2️⃣"),
                DiagnosticSpec("E0401", at: "3️⃣", message: "phrase 'CRAD'"),
            ])
    }

    // MARK: article pipes

    @Test func articlePipesParseAndMalformedOnesAreDiagnosed() {
        #expect(
            TextTemplate.parse("{a:district} és {A:district}").template.segments == [
                .article("district", capitalized: false), .literal(" és "), .article("district", capitalized: true),
            ])
        assertDiagnostics(
            """
            question d integer 0..9 { text hu "D" en "D" }
            question x integer 0..9 { text hu 1️⃣"Hol: {a:}?" en "Where: {d}?" }
            question y integer 0..9 { text hu 2️⃣"Hol: {a:dd}?" en "Where: {d}?" }
            """, [DiagnosticSpec("E0108", at: "1️⃣"), DiagnosticSpec("E0402", at: "2️⃣")])
    }

    // MARK: targets where

    static let targetsBase = """
        survey t {
          title hu "Teszt" en "Test"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT { 11 hu "Teljes" en "Complete" 21 hu "Elutasítás" en "Refusal" }
        answers SRC { 1 hu "Címminta" en "Address sample" 2 hu "Rendezvény" en "Event" }
        answers AREA { 1 hu "Bulgárföld" en "Bulgárföld" 2 hu "Kilián" en "Kilián" }
        question sample_source single SRC { preload interviewer nodk text hu "Forrás" en "Source" }
        question area multiple AREA { text hu "Hol?" en "Where?" }
        question age integer 16..99 { text hu "Kor" en "Age" }
        roster mem count 2 max 2 { question m_age integer 0..99 { text hu "Kor" en "Age" } }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }

        """

    @Test func whereLimitsTheBlockAndAQuotaAndNamesWhatItLeavesOut() throws {
        let d = try #require(
            compileClean(
                Self.targetsBase + """
                    targets {
                      where sample_source == 1 else hu "Rendezvényminta" en "Event booster"
                      total 10
                      outcomes { complete 11 refusal 21 }
                      quota sample_source where age >= 18 { 1 = 10 }
                      monitor area
                      monitor age
                    }
                    """, header: false))
        let t = try #require(d.targets)
        #expect(t.scope?.text == "sample_source == 1")
        #expect(t.scope?.condition == .binary(.equal, .variable("sample_source"), .literal(.integer(1))))
        #expect(t.scope?.leftOut?["en"] == "Event booster")
        #expect(t.quotas[0].scope?.text == "age >= 18" && t.quotas[0].scope?.leftOut == nil)
        #expect(t.quotas.map(\.name) == ["sample_source", "area", "age"])
        #expect(t.quotas[1].scope == nil && t.quotas[2].scope == nil)
    }

    @Test func aWhereOnTheLineAfterAMonitorIsTheBlocks() throws {
        let d = try #require(
            compileClean(
                Self.targetsBase + """
                    targets {
                      monitor area
                      where sample_source == 2
                    }
                    """, header: false))
        #expect(d.targets?.scope?.text == "sample_source == 2")
        #expect(d.targets?.quotas.first?.scope == nil)
    }

    @Test(arguments: [
        ("where 1️⃣m_age[1] > 18", "E1007"),
        ("where 1️⃣count(mem) > 1", "E1007"),
        ("where 1️⃣visits() > 2", "E1007"),
        ("where 1️⃣complete(mem)", "E1007"),
        ("where 1️⃣age + 1", "E0203"),
        ("quota 1️⃣area { 1 = 5 }", "E0203"),
        ("monitor 1️⃣area, age", "E0203"),
    ])
    func targetsConditionMistakesAreDiagnosed(line: String, code: String) {
        assertDiagnostics(Self.targetsBase + "targets {\n  \(line)\n}\n", [DiagnosticSpec(code)], header: false)
    }

    // MARK: roster counts

    @Test func aBoundedCountWithoutSpecialAnswersIsQuiet() {
        _ = compileClean(
            """
            question n integer 0..4 { nodk text hu "Hány?" en "How many?" }
            roster r count n max 4 { question r_x integer 0..9 { text hu "X" en "X" } }
            question s scale 1..5 { specials dk text hu "Hány?" en "How many?" }
            roster q count s max 5 { question q_x integer 0..9 { text hu "X" en "X" } }
            """)
        assertDiagnostics(
            """
            question n integer 0..4 { nodk text hu "Hány?" en "How many?" }
            roster r count n max 4 { question r_x integer 0..9 { text hu "X" en "X" } }
            question s scale 1..5 { specials dk text hu "Hány?" en "How many?" }
            roster q count 1️⃣s max 5 { question q_x integer 0..9 { text hu "X" en "X" } }
            question k integer 0..20 { nodk text hu "Hány?" en "How many?" }
            roster p count k 2️⃣max 10 { question p_x integer 0..9 { text hu "X" en "X" } }
            question j integer 1..250 { nodk text hu "Hány?" en "How many?" }
            roster 3️⃣o count j { question o_x integer 0..9 { text hu "X" en "X" } }
            """,
            [
                DiagnosticSpec("W0208", at: "1️⃣", message: "don't know"),
                DiagnosticSpec("E0209", at: "2️⃣", message: "at most 10 rows"),
                DiagnosticSpec("E0209", at: "3️⃣", message: "at most 200 rows"),
            ])
    }
}
