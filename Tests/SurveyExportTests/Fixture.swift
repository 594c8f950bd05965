import Foundation
import SurveyModel

@testable import SurveyExport

/// A small fixed questionnaire and dataset covering every export feature: labels, special
/// answers, long Hungarian texts, dates, multiple choice, a nested roster and PII.
enum Fixture {
    static func t(_ hu: String, _ en: String) -> LocalizedText { LocalizedText(["hu": hu, "en": en]) }

    static let definition: SurveyDefinition = {
        let sets = [
            AnswerSet(id: "YESNO", options: [Option(code: 1, label: t("igen", "yes")), Option(code: 0, label: t("nem", "no"))]),
            AnswerSet(
                id: "SAT10",
                options: [
                    Option(code: 0, label: t("Egyáltalán nem elégedett", "Not at all satisfied")),
                    Option(code: 10, label: t("Teljes mértékben elégedett", "Completely satisfied"), best: true),
                ]),
            AnswerSet(
                id: "PROB",
                options: [
                    Option(code: 1, label: t("Zaj", "Noise")), Option(code: 2, label: t("Közlekedés", "Traffic")),
                    Option(code: 96, label: t("Egyéb", "Other"), other: true),
                ]),
            AnswerSet(
                id: "REL", options: [Option(code: 1, label: t("Házastárs", "Spouse")), Option(code: 2, label: t("Gyermek", "Child"))]),
            AnswerSet(
                id: "OUTCOME",
                options: [
                    Option(code: 11, label: t("Teljes interjú", "Complete")), Option(code: 21, label: t("Elutasítás", "Refusal")),
                ]),
        ]
        let warn = Check(
            id: "chk_tenure_yrs", severity: .warning,
            condition: .binary(.greater, .variable("tenure_yrs"), .literal(.integer(80))),
            message: t("Szokatlanul hosszú idő", "Unusually long time"))
        let section = Group(
            id: "a", kind: .section, title: t("Lakóhely", "Residence"),
            children: [
                .question(Question(name: "resp_name", kind: .text(maxLength: 40, pattern: nil), text: t("Neve?", "Your name?"), pii: true)),
                .question(Question(name: "phone", kind: .text(maxLength: 20, pattern: nil), text: t("Telefon", "Phone"), pii: true)),
                .question(
                    Question(
                        name: "addr_key", kind: .text(maxLength: 10, pattern: nil), text: t("Címkulcs", "Address key"),
                        pii: .pseudonym)),
                .question(
                    Question(
                        name: "life_sat", kind: .scale(min: 0, max: 10, labels: "SAT10"),
                        text: t("Mennyire elégedett az életével?", "How satisfied are you with your life?"),
                        label: t("Élettel való elégedettség", "Life satisfaction"))),
                .question(
                    Question(
                        name: "tenure_yrs", kind: .integer(min: .literal(.integer(0)), max: .literal(.integer(99))),
                        text: t("Hány éve lakik itt?", "Years lived here?"), checks: [warn])),
                .question(
                    Question(
                        name: "floor_m2", kind: .decimal(min: nil, max: nil, places: 1),
                        text: t("Lakás alapterülete (m²)", "Floor area (m²)"),
                        condition: .binary(.greater, .variable("tenure_yrs"), .literal(.integer(1))))),
                .question(
                    Question(
                        name: "nb_prob", kind: .multipleChoice(ChoiceSpec(answerSet: "PROB"), min: nil, max: nil),
                        text: t("Milyen problémák vannak a környéken?", "Which problems are there?"))),
                .question(
                    Question(
                        name: "nb_prob_oth", kind: .text(maxLength: 60, pattern: nil),
                        text: t("Egyéb, éspedig:", "Other, please specify:"), required: false, otherOf: "nb_prob")),
                .question(Question(name: "visit_date", kind: .date(min: nil, max: nil), text: t("Dátum", "Date"))),
                .question(Question(name: "start_t", kind: .time, text: t("Kezdés", "Start"))),
                .question(
                    Question(
                        name: "comment", kind: .text(maxLength: 300, pattern: nil),
                        text: t("Megjegyzés", "Comment"), required: false)),
                .question(
                    Question(
                        name: "rely_on", kind: .singleChoice(ChoiceSpec(answerSet: "YESNO")),
                        text: t("Számíthat a szomszédaira?", "Can you rely on your neighbours?"))),
            ])
        let trip = Group(
            id: "trip", kind: .roster(RosterSpec(count: nil, maxRows: 5)), title: t("Utak", "Trips"),
            children: [
                .question(Question(name: "t_km", kind: .decimal(min: nil, max: nil, places: 1), text: t("Távolság (km)", "Distance (km)")))
            ])
        let mem = Group(
            id: "mem", kind: .roster(RosterSpec(count: nil, maxRows: 15)), title: t("Háztartástagok", "Household members"),
            children: [
                .question(Question(name: "m_name", kind: .text(maxLength: 20, pattern: nil), text: t("Név", "Name"), pii: true)),
                .question(
                    Question(
                        name: "m_age", kind: .integer(min: .literal(.integer(0)), max: .literal(.integer(120))),
                        text: t("Életkor", "Age"))),
                .question(Question(name: "m_rel", kind: .singleChoice(ChoiceSpec(answerSet: "REL")), text: t("Kapcsolat", "Relation"))),
                .group(trip),
            ])
        let outcome = Question(
            name: "outcome", kind: .singleChoice(ChoiceSpec(answerSet: "OUTCOME")),
            text: t("Eredmény", "Outcome"), interviewerOnly: true)
        return SurveyDefinition(
            id: "fixture", version: "2026.1", title: t("Teszt felmérés", "Test survey"), languages: ["hu", "en"],
            outcome: OutcomeSpec(variable: "outcome", completeCode: 11), answerSets: sets,
            items: [.group(section), .group(mem), .question(outcome)])
    }()

    /// A comment of 300 characters with Hungarian accents (well over 255 bytes).
    static let longComment = String(repeating: "Árvíztűrő tükörfúrógép ", count: 13).trimmingCharacters(in: .whitespaces)

    static let records: [InterviewRecord] = {
        func a(_ v: String, _ rows: [Int] = []) -> Address { Address(VariableName(v), rows: rows) }
        let first = InterviewRecord(
            id: "0b7e4a52-5a55-4c4b-9a53-2f0f3c7d9e01", definition: "abc123", surveyVersion: "2026.1", device: "lap-01",
            interviewer: "int07", startedAt: 1_780_000_000_000, endedAt: 1_780_001_500_000, timeSpent: 1_500_000, outcome: 11,
            answers: [
                a("resp_name"): .value(.text("Kovács Éva")),
                a("phone"): .value(.text("+36 30 123 4567")),
                a("addr_key"): .value(.text("A-0042")),
                a("life_sat"): .value(.integer(7)),
                a("tenure_yrs"): .value(.integer(85)),
                a("floor_m2"): .value(.decimal(62.5)),
                a("nb_prob"): .value(.choices([1, 96])),
                a("nb_prob_oth"): .value(.text("  Kóbor kutyák, \"sok\"  ")),
                a("visit_date"): .value(.date(LocalDate(year: 2026, month: 5, day: 28))),
                a("start_t"): .value(.time(TimeOfDay(hour: 9, minute: 5))),
                a("comment"): .value(.text(longComment)),
                a("rely_on"): .value(.choice(1)),
                a("m_name", [1]): .value(.text("Kovács Éva")), a("m_age", [1]): .value(.integer(44)),
                a("m_rel", [1]): .special(.notApplicable),
                a("m_name", [2]): .value(.text("Kovács Ádám")), a("m_age", [2]): .special(.refused),
                a("m_rel", [2]): .value(.choice(2)),
                a("t_km", [1, 1]): .value(.decimal(12.5)), a("t_km", [1, 2]): .special(.dontKnow),
                a("t_km", [2, 1]): .value(.decimal(3)),
                a("outcome"): .value(.choice(11)),
            ],
            confirmedChecks: [ConfirmedCheck("chk_tenure_yrs")])
        let second = InterviewRecord(
            id: "0b7e4a52-5a55-4c4b-9a53-2f0f3c7d9e02", definition: "abc123", surveyVersion: "2026.1", device: "lap-02",
            interviewer: "int09", startedAt: 1_780_090_000_000, endedAt: nil, outcome: 11, hadConflict: true,
            answers: [
                a("resp_name"): .special(.refused),
                a("addr_key"): .special(.dontKnow),
                a("life_sat"): .special(.dontKnow),
                a("tenure_yrs"): .value(.integer(1)),
                a("floor_m2"): .special(.notApplicable),
                a("nb_prob"): .special(.refused),
                a("nb_prob_oth"): .special(.notApplicable),
                a("visit_date"): .special(.dontKnow),
                a("start_t"): .special(.refused),
                a("rely_on"): .value(.choice(0)),
                a("m_name", [1]): .value(.text("Nagy Ödön")), a("m_age", [1]): .value(.integer(71)),
                a("m_rel", [1]): .special(.notApplicable),
                a("outcome"): .value(.choice(11)),
            ],
            rosterRows: [RosterInstance("mem"): 1, RosterInstance("trip", parentRows: [1]): 0])
        return [first, second]
    }()

    /// A deterministic stand-in for the keyed hash (`p` and a 31-bit checksum of the text).
    static let pseudonyms = Pseudonyms(width: 11) { text in
        "p" + String(text.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) & 0x7FFF_FFFF })
    }

    /// Every table of the fixture written with `make`, collected in memory by table name.
    static func rows(_ schema: ExportSchema) throws -> [[ExportRow]] {
        let builder = RowBuilder(schema: schema)
        var out = [[ExportRow]](repeating: [], count: schema.tables.count)
        for r in records { try builder.rows(of: r) { t, row in out[t].append(row) } }
        return out
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("terep-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
