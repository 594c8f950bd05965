import Fieldwork
import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

struct UIStringsTests {
    static let problems: [AnswerProblem] = [
        .notAnInteger, .notANumber, .tooManyDecimals(places: 1), .notAnOption("7"), .notADate, .noSuchDate("2025-02-30"), .notATime,
        .integerOutOfRange(min: 0, max: 15), .integerOutOfRange(min: 1, max: nil), .integerOutOfRange(min: nil, max: 9),
        .decimalOutOfRange(min: 10, max: 500), .dateOutOfRange(min: LocalDate(year: 2020, month: 1, day: 1), max: nil),
        .tooLong(max: 20, actual: 25), .patternMismatch, .tooFewChoices(min: 2), .tooManyChoices(max: 3),
        .exclusiveCombined(code: 97), .duplicateChoice(1), .required, .specialNotAllowed(.dontKnow), .notAnswerable,
        .check("x"),
    ]

    @Test(arguments: problems)
    func everyProblemHasItsOwnHungarianAndEnglishMessage(_ problem: AnswerProblem) {
        let hu = UIStrings(.hu).problem(problem), en = UIStrings(.en).problem(problem)
        #expect(!hu.isEmpty && !en.isEmpty)
        #expect(hu != en)
    }

    @Test func rangeMessageReadsNaturallyInHungarian() {
        #expect(
            UIStrings(.hu).problem(.integerOutOfRange(min: 0, max: 15))
                == "Érvénytelen válasz: 0 és 15 közötti egész számot adjon meg.")
        #expect(
            UIStrings(.en).problem(.integerOutOfRange(min: 0, max: 15))
                == "Invalid answer: enter a whole number from 0 to 15.")
    }

    /// A date's open bound is the earliest or latest day, a number's the least or most (the
    /// hint said "legkorábban / legalább 2020-01-01" for a date).
    @Test func anOpenBoundSaysWhatKindOfBoundItIs() {
        let from = LocalDate(year: 2020, month: 1, day: 1)
        #expect(UIStrings(.hu).dateRange(min: from, max: nil) == "Dátum ÉÉÉÉ-HH-NN alakban, legkorábban 2020-01-01")
        #expect(UIStrings(.hu).dateRange(min: nil, max: from) == "Dátum ÉÉÉÉ-HH-NN alakban, legkésőbb 2020-01-01")
        #expect(UIStrings(.en).dateRange(min: from, max: nil) == "Date as YYYY-MM-DD, not before 2020-01-01")
        #expect(UIStrings(.hu).decimalRange(min: 0.5, max: nil, places: 1) == "Szám, legfeljebb 1 tizedesjegy, legalább 0,5")
        #expect(UIStrings(.en).decimalRange(min: nil, max: 9, places: 0) == "Number, at most 0 decimal places, at most 9")
    }

    @Test func hungarianNumbersUseADecimalComma() {
        #expect(UIStrings(.hu).number(12.5, places: 1) == "12,5")
        #expect(UIStrings(.en).number(12.5, places: 1) == "12.5")
        #expect(UIStrings(.hu).number(45.7, places: 0) == "46")
    }

    @Test func rosterRowShowsPositionAndLabel() {
        #expect(UIStrings(.hu).rosterRow(2, of: 4, label: "Anna") == "2/4 — Anna")
        #expect(UIStrings(.hu).rosterRow(3, of: nil, label: nil) == "3. sor")
    }

    @Test(arguments: UILanguage.allCases)
    func helpListsEveryCommandOnce(_ language: UILanguage) {
        let keys = UIStrings(language).commands.map(\.0)
        #expect(Set(keys).count == keys.count)
        #expect(keys.count == 15)
    }
}

/// Engine refusals reach the fieldworker in the UI language.
struct EngineMessageTests {
    @Test(arguments: [
        (EngineError.interviewEnded, UILanguage.hu, "Nem rögzíthető: az interjú már lezárult"),
        (EngineError.interviewEnded, UILanguage.en, "Not recorded: the interview has ended"),
        (EngineError.offRoute(Address("q9")), UILanguage.hu, "q9 a korábbi válaszok miatt most nem kérdezendő."),
        (EngineError.rosterFull("mem", maxRows: 3), UILanguage.en, "mem already has its maximum of 3 rows."),
    ])
    func refusalsAreLocalised(_ error: EngineError, _ language: UILanguage, _ expected: String) {
        #expect(UIStrings(language).engineRefused(error).contains(expected))
    }
}
