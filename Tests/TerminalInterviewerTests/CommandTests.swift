import SurveyModel
import Testing

@testable import TerminalInterviewer

struct CommandTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let typed: String
        let expected: UserInput
        var testDescription: String { "'\(typed)'" }
    }

    static let cases: [Case] = [
        Case(typed: "?", expected: .command(.help)),
        Case(typed: " ? ", expected: .command(.help)),
        Case(typed: ".súgó", expected: .command(.help)),
        Case(typed: ".v", expected: .command(.back)),
        Case(typed: ".b", expected: .command(.back)),
        Case(typed: ".Vissza", expected: .command(.back)),
        Case(typed: ".e", expected: .command(.forward)),
        Case(typed: ".f", expected: .command(.forward)),
        Case(typed: ".u hh_size", expected: .command(.jump("hh_size"))),
        Case(typed: ".ugrás m_age[2]", expected: .command(.jump("m_age[2]"))),
        Case(typed: ".go life_sat", expected: .command(.jump("life_sat"))),
        Case(typed: ".a", expected: .command(.review)),
        Case(typed: ".á", expected: .command(.review)),
        Case(typed: ".a\u{301}ttekinte\u{301}s", expected: .command(.review)),
        Case(typed: ".r", expected: .command(.review)),
        Case(typed: ".hu", expected: .command(.language("hu"))),
        Case(typed: ".EN", expected: .command(.language("en"))),
        Case(typed: ".nyelv en", expected: .command(.language("en"))),
        Case(typed: ".nt", expected: .command(.special(.dontKnow))),
        Case(typed: ".dk", expected: .command(.special(.dontKnow))),
        Case(typed: ".nv", expected: .command(.special(.refused))),
        Case(typed: ".rf", expected: .command(.special(.refused))),
        Case(typed: ".m a válaszadó siet", expected: .command(.note("a válaszadó siet"))),
        Case(typed: ".n respondent in a hurry", expected: .command(.note("respondent in a hurry"))),
        Case(typed: ".z 21", expected: .command(.outcome(21))),
        Case(typed: ".o", expected: .command(.outcome(nil))),
        Case(typed: ".k", expected: .command(.quit)),
        Case(typed: ".q", expected: .command(.quit)),
        Case(typed: ".t", expected: .command(.clear)),
        Case(typed: ".u", expected: .missingArgument(.jump)),
        Case(typed: ".m  ", expected: .missingArgument(.note)),
        Case(typed: ".gyakorló", expected: .command(.training(true))),
        Case(typed: ".Gyakorlo be", expected: .command(.training(true))),
        Case(typed: ".gyakorló ki", expected: .command(.training(false))),
        Case(typed: ".training", expected: .command(.training(true))),
        Case(typed: ".training off", expected: .command(.training(false))),
        Case(typed: ".training maybe", expected: .unknownCommand(".training maybe")),
        Case(typed: ".xyz", expected: .unknownCommand(".xyz")),
        Case(typed: ".z huszonegy", expected: .unknownCommand(".z huszonegy")),
        Case(typed: "1 3 96", expected: .answer("1 3 96")),
        Case(typed: "  42 ", expected: .answer("42")),
        Case(typed: ".5", expected: .answer(".5")),
        Case(typed: "..vége", expected: .answer(".vége")),
        Case(typed: "", expected: .answer("")),
        Case(typed: "Anna", expected: .answer("Anna")),
    ]

    @Test(arguments: cases)
    func parsesTypedLine(_ c: Case) {
        #expect(DotCommand.parse(c.typed) == c.expected)
    }

    @Test(arguments: UILanguage.allCases)
    func everyListedCommandParsesAsACommand(_ language: UILanguage) {
        for (typed, _) in UIStrings(language).commands where typed.hasPrefix(".") {
            let first = typed.split(separator: " ")[0]
            let withArgument = typed.contains(" ") && !typed.contains(".hu") ? "\(first) 1" : String(first)
            let parsed = DotCommand.parse(withArgument)
            guard case .command = parsed else {
                Issue.record("help lists '\(typed)' but it parses as \(parsed)")
                continue
            }
        }
    }

    @Test(
        arguments: [
            ("i", YesNoReply.yes(reason: nil)), ("igen", .yes(reason: nil)), ("y fiatalnak tűnik", .yes(reason: "fiatalnak tűnik")),
            ("Yes", .yes(reason: nil)), ("n", .no), ("nem", .no), ("No", .no),
            // Anything but the keys is asked again: Enter alone, another letter, a "no" with more after it.
            ("", .unclear), ("x", .unclear), ("12", .unclear), ("n vagy i", .unclear),
        ] as [(String, YesNoReply)])
    func confirmationTakesOnlyItsKeys(_ reply: String, _ expected: YesNoReply) {
        #expect(UIStrings.confirmation(reply) == expected)
    }
}
