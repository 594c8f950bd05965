import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("Choices: options, filters, randomisation, multiple choice")
struct ChoiceTests {
    static let sets = [
        Build.set("PROB", [1, 2, 3, 4, 5, 96, 97], exclusive: [97], other: [96]),
        Build.set("TEN", [1, 2, 3, 4]),
    ]
    static let form = Build.survey(
        [
            Build.question("prob", .multipleChoice(ChoiceSpec(answerSet: "PROB", randomize: true), min: 1, max: 3)),
            Build.single("worst", "PROB", filter: .binary(.in, .option, v("prob"))),
            Build.single("tenure", "TEN"),
        ], answerSets: sets)

    @Test func exclusiveOptionCannotBeCombined() {
        var s = Scenario(Self.form)
        #expect(s.validate("prob", .choices([1, 97])).errors == [.exclusiveCombined(97)])
        let accepted = s.tick("prob", 97)
        #expect(accepted)
    }

    @Test func multipleChoiceMinAndMax() {
        let s = Scenario(Self.form)
        #expect(s.validate("prob", .choices([1, 2, 3, 4])).errors == [.tooManyChoices(max: 3)])
        #expect(s.validate("prob", .choices([])).errors == [.tooFewChoices(min: 1)])
        #expect(s.validate("prob", .choices([7])).errors == [.notAnOption(7)])
    }

    @Test func filterOffersOnlyMatchingOptions() {
        var s = Scenario(Self.form)
        s.tick("prob", 2, 4)
        #expect(s.optionCodes("worst") == [2, 4])
        let accepted = s.answer("worst", 1)
        #expect(!accepted)
        let accepted2 = s.answer("worst", 4)
        #expect(accepted2)
    }

    @Test func randomisationIsSeededAndKeepsSpecialOptionsInPlace() {
        let a = Scenario(Self.form, seed: 7).optionCodes("prob")
        let b = Scenario(Self.form, seed: 7).optionCodes("prob")
        #expect(a == b)
        #expect(Array(a.suffix(2)) == [96, 97])
        #expect(Set(a) == Set([1, 2, 3, 4, 5, 96, 97]))
        let orders = Set((0..<20).map { Scenario(Self.form, seed: UInt64($0)).optionCodes("prob") })
        #expect(orders.count > 1)
        #expect(Scenario(Self.form, seed: 7).optionCodes("tenure") == [1, 2, 3, 4])
    }
}
