import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import TestSupportFixtures

/// Engine time per answer on a 1,000-question form with a 200-row roster, and the cost of
/// adding roster row 1,000 versus row 10, each beside a full (non-incremental) re-evaluation
/// of the same interview measured in the same run.
///
/// `swift run -c release TerepBench engine`
enum EngineBenchmark {
    static let context = EngineContext(
        today: LocalDate(year: 2026, month: 5, day: 4), now: TimeOfDay(hour: 10, minute: 0), interviewer: "bench")

    static func run() throws {
        let definition = SyntheticEngineForm.make(questions: 1_000, rosterRows: 200)
        print("form: \(SyntheticEngineForm.questionCount(definition)) questions, roster 'mem' 200 rows × 5, open roster 'trip'")
        try perAnswer(definition)
        try rowAdding(definition)
        // The shared generator's form (compiled): 1,000 questions, 500 calculations, 2,000
        // checks, a 15-row roster with aggregates.
        let shared = SyntheticSurvey(roster: true)
        let result = compile(SourceFile(path: "synthetic.survey", text: shared.source()), loader: InMemoryLoader())
        guard let compiled = result.compiled else {
            print("shared synthetic form did not compile")
            return
        }
        print("form: SyntheticSurvey.standard + roster, compiled (1,000 questions, 500 calculations, 2,000 checks)")
        try perAnswer(compiled.definition)
    }

    /// Replays a simulated full interview, timing every `.answered` event.
    static func perAnswer(_ definition: SurveyDefinition) throws {
        var rng = SplitMix64(seed: 7)
        var simulator = InterviewSimulator(definition: definition)
        simulator.maxOpenRows = 3
        simulator.recordsShown = false
        let run = simulator.run(seed: 7, context: context, preload: [:], using: &rng)
        // Three passes over the same log; each answer's figure is its fastest pass, which
        // removes preemption spikes from other processes on a shared machine.
        var interview = try Interview(definition: definition, started: run.events[0].kind, context: context)
        var times: [Double] = []
        var validations: [Double] = []
        var slowest: [(Double, String)] = []
        for pass in 0..<3 {
            interview = try Interview(definition: definition, started: run.events[0].kind, context: context)
            var i = 0
            for e in run.events.dropFirst() {
                var validation = Double.infinity
                if case .answered(let at, let answer) = e.kind {
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = interview.validate(answer, at: at)
                    validation = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000
                }
                let start = DispatchTime.now().uptimeNanoseconds
                try interview.apply(e.kind, context: e.context)
                let us = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000
                guard case .answered(let at, _) = e.kind else { continue }
                if pass == 0 {
                    times.append(us)
                    validations.append(validation)
                    slowest.append((us, at.description))
                } else {
                    times[i] = min(times[i], us)
                    validations[i] = min(validations[i], validation)
                    slowest[i].0 = times[i]
                }
                i += 1
            }
        }
        slowest.sort { $0.0 > $1.0 }
        var full: [Double] = []
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            interview.recomputeAll()
            full.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000)
        }
        times.sort()
        full.sort()
        validations.sort()
        let route = interview.route.count
        print("answers: \(times.count) (route \(route) items, status \(interview.status))")
        print(
            String(
                format: "engine per answer   p50 %8.1f µs  p95 %8.1f µs  p99 %8.1f µs  max %8.1f µs",
                pct(times, 0.50), pct(times, 0.95), pct(times, 0.99), times.last ?? 0))
        print(
            String(
                format: "validate (before)   p50 %8.1f µs  p95 %8.1f µs  p99 %8.1f µs  max %8.1f µs",
                pct(validations, 0.50), pct(validations, 0.95), pct(validations, 0.99), validations.last ?? 0))
        print("slowest answers: " + slowest.prefix(4).map { "\($0.1) \(Int($0.0)) µs" }.joined(separator: ", "))
        print(
            String(
                format: "baseline: full re-evaluation of the interview  median %8.1f µs (%.0f× p50)",
                pct(full, 0.5), pct(full, 0.5) / max(pct(times, 0.5), 0.001)))
    }

    /// Adds rows to the open roster: median cost of adding a row (and answering its three
    /// questions) around row 10 versus around row 1,000.
    static func rowAdding(_ definition: SurveyDefinition) throws {
        var at10: [Double] = []
        var at1000: [Double] = []
        var fullAt1000: [Double] = []
        for round in 0..<5 {
            var interview = try Interview(
                definition: definition,
                started: .started(definition: "bench", seed: UInt64(round), language: "en", preload: [:]),
                context: context)
            try interview.apply(.answered(Address("q0001"), .value(.integer(50))), context: context)
            for row in 1...1_010 {
                let start = DispatchTime.now().uptimeNanoseconds
                try interview.apply(.rowAdded("trip", parentRows: []), context: context)
                try interview.apply(.answered(Address("t_km", rows: [row]), .value(.integer(row % 400))), context: context)
                try interview.apply(.answered(Address("t_mode", rows: [row]), .value(.choice(2 + row % 4))), context: context)
                try interview.apply(.answered(Address("t_cost", rows: [row]), .value(.integer(row % 90))), context: context)
                let us = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000
                if (10..<20).contains(row) { at10.append(us) }
                if (1_000..<1_010).contains(row) { at1000.append(us) }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            interview.recomputeAll()
            fullAt1000.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000)
        }
        at10.sort()
        at1000.sort()
        fullAt1000.sort()
        let a = pct(at10, 0.5), b = pct(at1000, 0.5)
        print(String(format: "add row + 3 answers  at row 10: %7.1f µs  at row 1000: %7.1f µs  ratio %.2f×", a, b, b / max(a, 0.001)))
        print(String(format: "baseline: full re-evaluation at 1000 rows  median %8.1f µs", pct(fullAt1000, 0.5)))
    }

    static func pct(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
    }
}

/// The synthetic questionnaire of the engine benchmark, built as a definition directly:
/// 20 sections of 50 questions (integers, choices, yes/no, text) with conditions, checks and
/// calculations; a household roster counted by `n_mem`; an open trip roster with aggregates.
enum SyntheticEngineForm {
    static func text(_ s: String) -> LocalizedText { LocalizedText(["en": s, "hu": s]) }
    static func lit(_ i: Int) -> Expr { .literal(.integer(i)) }

    static func make(questions: Int, rosterRows: Int) -> SurveyDefinition {
        let sets = [
            AnswerSet(id: "C5", options: (1...5).map { Option(code: $0, label: text("option \($0)")) }),
            AnswerSet(id: "YESNO", options: [Option(code: 1, label: text("yes")), Option(code: 0, label: text("no"))]),
        ]
        var items: [Node] = []
        let perSection = 50
        var n = 0
        var sections: [Node] = []
        for s in 0..<questions / perSection {
            var children: [Node] = []
            for _ in 0..<perSection {
                n += 1
                children.append(.question(question(n)))
            }
            let name = VariableName(String(format: "sum%02d", s))
            let first = n - perSection + 1
            let sum = (first..<(first + 5)).map { Expr.variable(qname($0)) }.reduce(lit(0)) { .binary(.add, $0, $1) }
            children.append(.question(Question(name: name, kind: .calculated(sum, .integer), required: false, specials: [])))
            let cond: Expr? = s % 4 == 3 ? .binary(.greater, .variable("q0001"), lit(10)) : nil
            sections.append(
                .group(Group(id: GroupID("S\(s)"), kind: .section, title: text("Section \(s)"), condition: cond, children: children)))
        }
        items += sections.prefix(10)
        items.append(
            .question(
                Question(
                    name: "n_mem", kind: .integer(min: lit(rosterRows), max: lit(rosterRows)),
                    text: text("Members (fixed at the roster size)?"))))
        items.append(
            .group(
                Group(
                    id: "mem", kind: .roster(RosterSpec(count: .variable("n_mem"), maxRows: rosterRows)),
                    children: [
                        .question(
                            Question(
                                name: "m_age", kind: .integer(min: lit(0), max: lit(110)), text: text("Age of member?"),
                                checks: [
                                    Check(
                                        id: "chk_m_age", severity: .warning,
                                        condition: .binary(
                                            .and, .binary(.equal, .currentRow, lit(1)), .binary(.less, .variable("m_age"), lit(16))),
                                        message: text("Respondent under 16?"))
                                ])),
                        .question(Question(name: "m_sex", kind: .singleChoice(ChoiceSpec(answerSet: "YESNO")), text: text("Sex?"))),
                        .question(
                            Question(
                                name: "m_work", kind: .singleChoice(ChoiceSpec(answerSet: "C5")), text: text("Work?"),
                                condition: .binary(.greaterOrEqual, .variable("m_age"), lit(16)))),
                        .question(
                            Question(
                                name: "m_inc", kind: .integer(min: lit(0), max: lit(2_000_000)), text: text("Income?"),
                                condition: .binary(.greaterOrEqual, .variable("m_age"), lit(16)))),
                        .question(Question(name: "m_rel", kind: .singleChoice(ChoiceSpec(answerSet: "C5")), text: text("Relation?"))),
                    ])))
        items.append(
            .question(
                Question(
                    name: "n_adult",
                    kind: .calculated(
                        .aggregate(.count, roster: "mem", body: .binary(.greaterOrEqual, .variable("m_age"), lit(18))), .integer),
                    required: false, specials: [])))
        items += sections.dropFirst(10)
        items.append(
            .group(
                Group(
                    id: "trip", kind: .roster(RosterSpec(count: nil, maxRows: 2_000)),
                    children: [
                        .question(Question(name: "t_km", kind: .integer(min: lit(0), max: lit(1000)), text: text("Km?"))),
                        .question(Question(name: "t_mode", kind: .singleChoice(ChoiceSpec(answerSet: "C5")), text: text("Mode?"))),
                        .question(
                            Question(
                                name: "t_cost", kind: .integer(min: lit(0), max: lit(100)), text: text("Cost?"),
                                condition: .binary(.notEqual, .variable("t_mode"), lit(1)))),
                    ])))
        items.append(
            .question(
                Question(
                    name: "n_trip", kind: .calculated(.aggregate(.count, roster: "trip", body: nil), .integer), required: false,
                    specials: [])))
        return SurveyDefinition(
            id: "synthetic", version: "1", title: text("Synthetic"), languages: ["en"],
            answerSets: sets, items: items)
    }

    static func qname(_ i: Int) -> VariableName { VariableName(String(format: "q%04d", i)) }

    /// Question i: a mix of types; every 5th has a condition on the one before, every 10th a check.
    static func question(_ i: Int) -> Question {
        let kind: QuestionKind =
            switch i % 4 {
            case 0: .singleChoice(ChoiceSpec(answerSet: "C5"))
            case 1: .integer(min: lit(0), max: lit(100))
            case 2: .singleChoice(ChoiceSpec(answerSet: "YESNO"))
            default: .text(maxLength: 40, pattern: nil)
            }
        let condition: Expr? =
            i % 5 == 0 && i > 1 && (i - 1) % 4 == 1
            ? .binary(.greater, .variable(qname(i - 1)), lit(20)) : (i % 5 == 0 ? .call(.answered, [.variable(qname(i - 1))]) : nil)
        var checks: [Check] = []
        if i % 10 == 1 {
            checks.append(
                Check(
                    id: CheckID("chk_\(qname(i))"), severity: .warning,
                    condition: .binary(.greater, .variable(qname(i)), lit(95)), message: text("Really?")))
        }
        return Question(name: qname(i), kind: kind, text: text("Question \(i)?"), condition: condition, checks: checks)
    }

    static func questionCount(_ d: SurveyDefinition) -> Int {
        func count(_ nodes: [Node]) -> Int {
            nodes.reduce(0) { acc, node in
                switch node {
                case .question(let q): if case .calculated = q.kind { acc } else { acc + 1 }
                case .group(let g): acc + count(g.children)
                case .end: acc
                }
            }
        }
        return count(d.items)
    }
}
