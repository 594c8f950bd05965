import SurveyModel

/// Small builders for definitions in engine tests, until (and beside) compiled sources.
public enum Build {
    public static func text(_ s: String) -> LocalizedText { LocalizedText(["en": s, "hu": s]) }

    public static func survey(
        _ items: [Node], answerSets: [AnswerSet] = [], outcome: OutcomeSpec? = nil
    ) -> SurveyDefinition {
        SurveyDefinition(
            id: "test", version: "1", title: text("Test"), languages: ["en", "hu"], outcome: outcome,
            answerSets: answerSets + [yesNo], items: items)
    }

    public static let yesNo = AnswerSet(
        id: "YESNO",
        options: [
            Option(code: 1, label: LocalizedText(["en": "yes", "hu": "igen"])),
            Option(code: 0, label: LocalizedText(["en": "no", "hu": "nem"])),
        ])

    public static func set(_ id: AnswerSetID, _ codes: [Int], exclusive: [Int] = [], fixed: [Int] = [], other: [Int] = []) -> AnswerSet {
        AnswerSet(
            id: id,
            options: codes.map {
                Option(
                    code: $0, label: LocalizedText(["en": "opt\($0)", "hu": "válasz\($0)"]), exclusive: exclusive.contains($0),
                    other: other.contains($0), fixed: fixed.contains($0))
            })
    }

    public static func integer(
        _ name: VariableName, _ lo: Int? = nil, _ hi: Int? = nil, when: Expr? = nil, required: Bool = true,
        checks: [Check] = [], text: String? = nil
    ) -> Node {
        question(
            name, .integer(min: lo.map { .literal(.integer($0)) }, max: hi.map { .literal(.integer($0)) }),
            when: when, required: required, checks: checks, text: text)
    }

    public static func question(
        _ name: VariableName, _ kind: QuestionKind, when: Expr? = nil, required: Bool = true,
        specials: [SpecialAnswer] = [.dontKnow, .refused], checks: [Check] = [], text: String? = nil,
        defaultValue: DefaultRule? = nil
    ) -> Node {
        .question(
            Question(
                name: name, kind: kind, text: Build.text(text ?? "Question \(name)?"), condition: when, required: required,
                specials: specials, defaultValue: defaultValue, checks: checks))
    }

    public static func single(_ name: VariableName, _ set: AnswerSetID, when: Expr? = nil, filter: Expr? = nil, randomize: Bool = false)
        -> Node
    {
        question(name, .singleChoice(ChoiceSpec(answerSet: set, filter: filter, randomize: randomize)), when: when)
    }

    public static func yesno(_ name: VariableName, when: Expr? = nil) -> Node { single(name, "YESNO", when: when) }

    public static func calc(_ name: VariableName, _ e: Expr, _ type: ValueType = .integer, when: Expr? = nil) -> Node {
        .question(Question(name: name, kind: .calculated(e, type), condition: when, required: false, specials: []))
    }

    public static func section(_ id: GroupID, when: Expr? = nil, checks: [Check] = [], _ children: [Node]) -> Node {
        .group(Group(id: id, kind: .section, condition: when, checks: checks, children: children))
    }

    public static func roster(_ id: GroupID, count: Expr?, max: Int = 200, when: Expr? = nil, rowLabel: String? = nil, _ children: [Node])
        -> Node
    {
        .group(
            Group(
                id: id, kind: .roster(RosterSpec(count: count, maxRows: max, rowLabel: rowLabel.map(text))),
                condition: when, children: children))
    }

    public static func error(_ id: CheckID, _ cond: Expr) -> Check {
        Check(id: id, severity: .error, condition: cond, message: text("error \(id)"))
    }

    public static func warn(_ id: CheckID, _ cond: Expr) -> Check {
        Check(id: id, severity: .warning, condition: cond, message: text("warning \(id)"))
    }
}

// Expression shorthands for tests: `v("x") > 3`, `v("a") == 1 && …`.
public func v(_ name: VariableName) -> Expr { .variable(name) }
public func lit(_ i: Int) -> Expr { .literal(.integer(i)) }
public func lit(_ s: String) -> Expr { .literal(.text(s)) }
public func call(_ f: Function, _ args: Expr...) -> Expr { .call(f, args) }
public func == (a: Expr, b: Int) -> Expr { .binary(.equal, a, lit(b)) }
public func != (a: Expr, b: Int) -> Expr { .binary(.notEqual, a, lit(b)) }
public func > (a: Expr, b: Int) -> Expr { .binary(.greater, a, lit(b)) }
public func < (a: Expr, b: Int) -> Expr { .binary(.less, a, lit(b)) }
public func >= (a: Expr, b: Int) -> Expr { .binary(.greaterOrEqual, a, lit(b)) }
public func < (a: Expr, b: Expr) -> Expr { .binary(.less, a, b) }
public func > (a: Expr, b: Expr) -> Expr { .binary(.greater, a, b) }
public func + (a: Expr, b: Expr) -> Expr { .binary(.add, a, b) }
public func && (a: Expr, b: Expr) -> Expr { .binary(.and, a, b) }
public func || (a: Expr, b: Expr) -> Expr { .binary(.or, a, b) }
public prefix func ! (a: Expr) -> Expr { .unary(.not, a) }
