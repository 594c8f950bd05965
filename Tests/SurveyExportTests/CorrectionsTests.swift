import SurveyModel
import Testing

@testable import SurveyExport

struct CorrectionsTests {
    static let first = InterviewID("0b7e4a52-5a55-4c4b-9a53-2f0f3c7d9e01")

    func parse(_ text: String) throws(CorrectionError) -> Corrections {
        try Corrections(text: text, file: "fixture.corrections", definition: Fixture.definition)
    }

    @Test func setLinesChangeTheExportedRecordAndReportThePreviousAnswer() throws {
        let c = try parse(
            """
            # corrections after call-backs
            set \(Self.first) m_age[2] = 45 : age confirmed by phone
            set \(Self.first) nb_prob = 2 1 : codes re-read from the paper notes
            set \(Self.first) start_t = 09:15 : clock was wrong
            set \(Self.first) life_sat = dk : respondent withdrew the answer
            """)
        var record = Fixture.records[0]
        let applied = try c.apply(to: &record)
        #expect(applied.count == 4)
        #expect(applied[0].previous == .special(.refused) && applied[0].entry.line == 2)
        #expect(record.answers[Address("m_age", rows: [2])] == .value(.integer(45)))
        #expect(record.answers[Address("nb_prob")] == .value(.choices([1, 2])))
        #expect(record.answers[Address("start_t")] == .value(.time(TimeOfDay(hour: 9, minute: 15))))
        #expect(record.answers[Address("life_sat")] == .special(.dontKnow))
        #expect(Fixture.records[0].answers[Address("m_age", rows: [2])] == .special(.refused), "the input is untouched")
    }

    @Test func aValueForAnOffRouteQuestionOrARowBeyondTheRosterIsAnErrorAtItsLine() throws {
        let second = Fixture.records[1].id
        for (text, message) in [
            ("set \(second) floor_m2 = 50 : measured", "floor_m2 is off route in interview \(second) (not applicable, -7)"),
            (
                "set \(second) m_age[2] = 30 : call-back",
                "m_age[2]: interview \(second) has 1 row(s) in roster 'mem', so row 2 does not exist; use a row from 1 to 1"
            ),
            (
                "set \(second) t_km[1,1] = 4 : call-back",
                "t_km[1,1]: interview \(second) has 0 row(s) in roster 'trip' under row(s) 1, so row 1 does not exist"
            ),
        ] {
            let c = try parse("# line 1\n" + text)
            var record = Fixture.records[1]
            #expect {
                _ = try c.apply(to: &record)
            } throws: { error in
                let e = error as? CorrectionError
                return e?.line == 2 && e?.file == "fixture.corrections" && e?.message.hasPrefix(message) == true
            }
        }
        var record = Fixture.records[1]
        _ = try parse("set \(second) floor_m2 = na : was never asked").apply(to: &record)
    }

    @Test func excludeLinesExcludeOnlyTheirInterview() throws {
        let c = try parse("exclude \(Self.first) : training interview\n")
        #expect(c.exclusion(of: Self.first)?.reason == "training interview")
        #expect(c.exclusion(of: Fixture.records[1].id) == nil)
    }

    @Test func unknownInterviewsAreReportedWithTheirLines() throws {
        let c = try parse("\n\nexclude nope : x\n")
        #expect(c.unknownInterviews(known: Set(Fixture.records.map(\.id))).map(\.line) == [3])
    }

    @Test(arguments: [
        ("set \(first) m_agex[1] = 3 : r", 1, "unknown variable 'm_agex'"),
        ("\nset \(first) m_age[1] = 130 : r", 2, "130 is above the maximum 120 of 'm_age'"),
        ("set \(first) m_age = 30 : r", 1, "'m_age' needs 1 row number(s), e.g. m_age[1]"),
        ("set \(first) rely_on = 5 : r", 1, "5 is not a code of 'rely_on' (codes: 0, 1)"),
        ("set \(first) m_age[1] = 30", 1, "add the reason after ' : ' (e.g. ' : confirmed by phone')"),
        ("set \(first) nb_prob = 1 7 : r", 1, "7 is not a code of 'nb_prob' (codes: 1, 2, 96)"),
        ("delete \(first) : r", 1, "unknown instruction 'delete'; expected 'set' or 'exclude'"),
        ("set \(first) visit_date = 2026-02-30 : r", 1, "'2026-02-30' is not a date YYYY-MM-DD"),
    ])
    func invalidLinesAreErrorsWithTheirLineNumber(text: String, line: Int, message: String) {
        #expect(throws: CorrectionError(file: "fixture.corrections", line: line, message: message)) { try parse(text) }
    }
}
