import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("Built-in functions and operators")
struct FunctionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var expr: Expr
        var type: ValueType
        var expected: Value?
        var testDescription: String { name }
    }

    static func d(_ y: Int, _ m: Int, _ day: Int) -> Expr { .literal(.date(LocalDate(year: y, month: m, day: day))) }
    static let x = v("x"), t = v("t")

    static let cases: [Case] = [
        Case(name: "weekday", expr: call(.weekday, d(2026, 5, 4)), type: .integer, expected: .integer(1)),
        Case(name: "days_between", expr: call(.daysBetween, d(2026, 1, 1), d(2026, 3, 1)), type: .integer, expected: .integer(59)),
        Case(
            name: "years_between before birthday", expr: call(.yearsBetween, d(2000, 6, 1), d(2026, 5, 31)), type: .integer,
            expected: .integer(25)),
        Case(
            name: "date()", expr: call(.makeDate, lit(2024), lit(2), lit(29)), type: .date,
            expected: .date(LocalDate(year: 2024, month: 2, day: 29))),
        Case(name: "impossible date is missing", expr: call(.makeDate, lit(2023), lit(2), lit(29)), type: .date, expected: nil),
        Case(
            name: "date + days", expr: .binary(.add, d(2026, 12, 31), lit(1)), type: .date,
            expected: .date(LocalDate(year: 2027, month: 1, day: 1))),
        Case(name: "date - date", expr: .binary(.subtract, d(2026, 3, 1), d(2026, 2, 1)), type: .integer, expected: .integer(28)),
        Case(
            name: "year/month/day", expr: call(.year, d(2026, 5, 4)) + call(.month, d(2026, 5, 4)) + call(.day, d(2026, 5, 4)),
            type: .integer, expected: .integer(2035)),
        Case(name: "round to places", expr: .call(.round, [.literal(.decimal(2.345)), lit(1)]), type: .decimal, expected: .decimal(2.3)),
        Case(name: "division gives decimal", expr: .binary(.divide, lit(7), lit(2)), type: .decimal, expected: .decimal(3.5)),
        Case(name: "division by zero is missing", expr: .binary(.divide, lit(7), lit(0)), type: .decimal, expected: nil),
        Case(name: "modulo", expr: .binary(.modulo, lit(7), lit(3)), type: .integer, expected: .integer(1)),
        Case(name: "min of values", expr: .call(.min, [lit(4), x, lit(9)]), type: .integer, expected: .integer(3)),
        Case(name: "max with decimal widens", expr: .call(.max, [x, .literal(.decimal(2.5))]), type: .decimal, expected: .decimal(3)),
        Case(name: "abs", expr: .call(.abs, [.unary(.negate, x)]), type: .integer, expected: .integer(3)),
        Case(name: "length counts characters", expr: call(.length, t), type: .integer, expected: .integer(5)),
        Case(name: "in list", expr: .binary(.in, x, .list([lit(1), lit(3)])), type: .boolean, expected: .boolean(true)),
        Case(name: "not in list", expr: .binary(.in, x, .list([lit(1), lit(2)])), type: .boolean, expected: .boolean(false)),
        Case(name: "missing in list is missing", expr: .binary(.in, v("u"), .list([lit(1)])), type: .boolean, expected: nil),
        Case(name: "is_refused", expr: call(.isRefused, v("u")), type: .boolean, expected: .boolean(true)),
        Case(name: "is_special", expr: call(.isSpecial, v("u")), type: .boolean, expected: .boolean(true)),
        Case(name: "missing plus value is missing", expr: v("u") + lit(1), type: .integer, expected: nil),
        Case(name: "missing or true", expr: .binary(.or, v("u") > 1, x > 1), type: .boolean, expected: .boolean(true)),
        Case(name: "text comparison", expr: .binary(.equal, t, lit("Győri")), type: .boolean, expected: .boolean(true)),
        Case(
            name: "now_time", expr: .binary(.greater, .call(.nowTime, []), .literal(.time(TimeOfDay(hour: 9, minute: 59)))), type: .boolean,
            expected: .boolean(true)),
    ]

    @Test(arguments: cases)
    func functionGivesExpectedValue(_ c: Case) {
        let form = Build.survey([
            Build.integer("x", 0, 10),
            Build.question("t", .text(maxLength: 20, pattern: nil)),
            Build.integer("u", 0, 10),
            Build.calc("r", c.expr, c.type),
        ])
        var s = Scenario(form)
        s.answer("x", 3)
        s.answer("t", "Győri")
        s.refuse("u")
        #expect(s.value("r") == c.expected)
    }

    @Test(arguments: [
        "^(\\+36|06)[0-9]{8,9}$",
        "^((\\+36|06)[0-9]{8,9}|[^@ ]+@[^@ ]+\\.[^@ ]+)$",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?",
    ])
    func simulatorWritesTextMatchingTheStudyPatterns(pattern: String) {
        let form = Build.survey([Build.question("contact", .text(maxLength: 60, pattern: pattern), specials: [])])
        for seed in UInt64(0)..<30 {
            var rng = SplitMix64(seed: seed)
            var sim = InterviewSimulator(definition: form)
            sim.dontKnowRate = 0
            sim.refusedRate = 0
            let run = sim.run(seed: seed, context: Scenario.defaultContext, using: &rng)
            guard case .value(let value)? = run.interview.answer(at: Address("contact")) else {
                Issue.record("seed \(seed): no text generated for \(pattern)")
                continue
            }
            #expect(run.interview.validate(.value(value), at: Address("contact")).isAcceptable)
        }
    }
}
