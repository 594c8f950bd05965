import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("Piping, defaults, calculations and the clock")
struct PipingTests {
    static let form = Build.survey(
        [
            Build.single("district", "DIST"),
            Build.integer("years", 0, 100, text: "How many years in {district} ({district:code})?"),
            Build.question("birth", .date(min: nil, max: nil)),
            Build.calc("age", call(.yearsBetween, v("birth"), call(.today))),
            Build.calc("late", call(.elapsedMinutes) > 30, .boolean),
            Build.question("visits", .integer(min: nil, max: nil), defaultValue: DefaultRule(value: v("years") + lit(1))),
        ],
        answerSets: [
            AnswerSet(
                id: "DIST",
                options: [
                    Option(code: 1, label: LocalizedText(["hu": "Belváros", "en": "City centre"])),
                    Option(code: 2, label: LocalizedText(["hu": "Diósgyőr", "en": "Diosgyor"])),
                ])
        ])

    @Test func pipesLabelsInTheLanguageAndRawCodes() {
        var s = Scenario(Self.form)
        s.answer("district", 2)
        let text = LocalizedText(["en": "How many years in {district} ({district:code})?", "hu": "Hány éve lakik itt: {district}?"])
        #expect(s.interview.render(text, language: "en") == "How many years in Diosgyor (2)?")
        #expect(s.interview.render(text, language: "hu") == "Hány éve lakik itt: Diósgyőr?")
        #expect(s.interview.render(LocalizedText(["en": "{years} years"]), language: "en") == " years")
        #expect(s.interview.render(LocalizedText(["en": "({years}) years"]), language: "en", missing: "…") == "(…) years")
    }

    @Test func dateFunctionsUseTheContextNotTheClock() {
        var s = Scenario(Self.form)
        s.answer("birth", .date(LocalDate(year: 1980, month: 5, day: 5)))
        #expect(s.value("age") == .integer(45))
        s.context.today = LocalDate(year: 2026, month: 5, day: 5)
        s.apply(.shown(Address("age")))
        #expect(s.value("age") == .integer(46))
        #expect(s.value("late") == .boolean(false))
        s.context.elapsedMinutes = 31
        s.apply(.shown(Address("age")))
        #expect(s.value("late") == .boolean(true))
    }

    @Test func defaultIsProposedFromOtherAnswers() {
        var s = Scenario(Self.form)
        #expect(s.interview.defaultValue(at: Address("visits")) == nil)
        s.answer("years", 4)
        #expect(s.interview.defaultValue(at: Address("visits")) == .integer(5))
    }

    @Test func calculationsChainInDependencyOrder() {
        let form = Build.survey([
            Build.integer("a", 0, 10),
            Build.calc("c", v("b2") + lit(1)),
            Build.calc("b2", v("a") + v("a")),
        ])
        var s = Scenario(form)
        s.answer("a", 3)
        #expect(s.value("b2") == .integer(6))
        #expect(s.value("c") == .integer(7))
    }
}
