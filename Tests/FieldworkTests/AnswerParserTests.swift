import SurveyModel
import Testing

@testable import Fieldwork

struct AnswerParserTests {
    static let choice = ChoiceSpec(answerSet: "NB_PROB")
    static let offered = [1, 2, 3, 96, 97]

    struct Case: Sendable, CustomTestStringConvertible {
        let typed: String
        let kind: QuestionKind
        let expected: Result<Value, AnswerProblem>
        var testDescription: String { "'\(typed)' as \(kind.valueType.map(\.rawValue) ?? "note")" }
    }

    static let cases: [Case] = [
        Case(typed: "3", kind: .singleChoice(choice), expected: .success(.choice(3))),
        Case(typed: "4", kind: .singleChoice(choice), expected: .failure(.notAnOption("4"))),
        Case(typed: "igen", kind: .singleChoice(choice), expected: .failure(.notAnOption("igen"))),
        Case(typed: "96 1 3", kind: .multipleChoice(choice, min: nil, max: 3), expected: .success(.choices([1, 3, 96]))),
        Case(typed: "1,2;3", kind: .multipleChoice(choice, min: nil, max: nil), expected: .success(.choices([1, 2, 3]))),
        Case(typed: "1 1", kind: .multipleChoice(choice, min: nil, max: nil), expected: .failure(.duplicateChoice(1))),
        Case(typed: "1 5", kind: .multipleChoice(choice, min: nil, max: nil), expected: .failure(.notAnOption("5"))),
        Case(typed: "15", kind: .integer(min: nil, max: nil), expected: .success(.integer(15))),
        Case(typed: "-8", kind: .integer(min: nil, max: nil), expected: .success(.integer(-8))),
        Case(typed: "500 000", kind: .integer(min: nil, max: nil), expected: .success(.integer(500_000))),
        Case(typed: "tizenöt", kind: .integer(min: nil, max: nil), expected: .failure(.notAnInteger)),
        Case(typed: "1.5", kind: .integer(min: nil, max: nil), expected: .failure(.notAnInteger)),
        Case(typed: "7", kind: .scale(min: 0, max: 10, labels: nil), expected: .success(.integer(7))),
        Case(typed: "12,5", kind: .decimal(min: nil, max: nil, places: 1), expected: .success(.decimal(12.5))),
        Case(typed: "12.5", kind: .decimal(min: nil, max: nil, places: 1), expected: .success(.decimal(12.5))),
        Case(typed: "12.55", kind: .decimal(min: nil, max: nil, places: 1), expected: .failure(.tooManyDecimals(places: 1))),
        Case(typed: "1e3", kind: .decimal(min: nil, max: nil, places: 1), expected: .failure(.notANumber)),
        Case(typed: "nan", kind: .decimal(min: nil, max: nil, places: 1), expected: .failure(.notANumber)),
        Case(
            typed: "2024-05-01", kind: .date(min: nil, max: nil),
            expected: .success(.date(LocalDate(year: 2024, month: 5, day: 1)))),
        Case(
            typed: "2024. 05. 01.", kind: .date(min: nil, max: nil),
            expected: .success(.date(LocalDate(year: 2024, month: 5, day: 1)))),
        Case(
            typed: "2024.5.1", kind: .date(min: nil, max: nil),
            expected: .success(.date(LocalDate(year: 2024, month: 5, day: 1)))),
        Case(typed: "2023-02-29", kind: .date(min: nil, max: nil), expected: .failure(.noSuchDate("2023-02-29"))),
        Case(typed: "2025.02.30.", kind: .date(min: nil, max: nil), expected: .failure(.noSuchDate("2025.02.30."))),
        Case(typed: "2025-13-01", kind: .date(min: nil, max: nil), expected: .failure(.notADate)),
        Case(typed: "május 1", kind: .date(min: nil, max: nil), expected: .failure(.notADate)),
        Case(typed: "8:30", kind: .time, expected: .success(.time(TimeOfDay(hour: 8, minute: 30)))),
        Case(typed: "08:30", kind: .time, expected: .success(.time(TimeOfDay(hour: 8, minute: 30)))),
        Case(typed: "24:00", kind: .time, expected: .failure(.notATime)),
        Case(typed: "Győri kapu", kind: .text(maxLength: 20, pattern: nil), expected: .success(.text("Győri kapu"))),
        Case(typed: "x", kind: .note, expected: .failure(.notAnswerable)),
    ]

    @Test(arguments: cases)
    func parsesTypedAnswer(_ c: Case) {
        #expect(AnswerParser.parse(c.typed, kind: c.kind, offered: Self.offered) == c.expected)
    }
}
