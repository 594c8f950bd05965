import SurveyModel

extension Interview {
    /// Checks an answer before it is committed: type, range, options, length, pattern, special
    /// answers, then the hard checks (errors) and soft checks (warnings) it would make fail.
    ///
    /// Nothing is stored; `apply(.answered…)` accepts exactly the answers without static errors
    /// (a failing hard check is reported here, and the front must not commit the answer).
    public func validate(_ answer: Answer, at address: Address) -> Validation {
        do throws(EngineError) {
            try checkAnswerable(address)
        } catch {
            return Validation(errors: [.unavailable(error)])
        }
        guard isOnRoute(address) else { return Validation(errors: [.unavailable(.offRoute(address))]) }
        let (normalized, issues) = staticIssues(answer, at: address)
        guard issues.isEmpty else { return Validation(errors: issues) }
        var trial = self
        var p = Propagation(plan)
        trial.answers[address] = normalized
        trial.variableChanged(address.variable, rows: address.rows, &p)
        trial.run(&p)
        var result = Validation()
        var seen = Set<RuleInstance>()
        for inst in p.touchedChecks where seen.insert(inst).inserted {
            guard trial.failing.contains(inst), trial.isCheckOnRoute(inst), let f = trial.checkFailure(inst) else {
                continue
            }
            if f.severity == .error {
                result.errors.append(.checkFailed(f))
            } else if f.confirmation == nil {
                result.warnings.append(f)
            }
        }
        return result
    }

    /// The answer normalised to the question's type, and the problems found without checks.
    func staticIssues(_ answer: Answer, at address: Address) -> (Answer, [ValidationIssue]) {
        guard let info = plan.variables[address.variable] else { return (answer, []) }
        switch answer {
        case .special(let s):
            return (answer, info.question.specials.contains(s) && s != .notApplicable ? [] : [.specialNotAllowed(s)])
        case .value(let raw):
            guard let expected = info.question.kind.valueType else { return (answer, []) }
            guard let v = Interview.normalize(raw, for: info.question.kind) else {
                return (answer, [.wrongType(expected: expected, got: raw.type)])
            }
            return (.value(v), valueIssues(v, info.question, EvalScope(rows: address.rows), address))
        }
    }

    func valueIssues(_ v: Value, _ q: Question, _ s: EvalScope, _ at: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func bound(_ e: Expr?) -> Value? {
            guard let e, case .value(let b) = evaluate(e, s) else { return nil }
            return b
        }
        func range(_ lo: Value?, _ hi: Value?) {
            let below = lo.flatMap { Interview.compare(v, $0) }.map { $0 < 0 } ?? false
            let above = hi.flatMap { Interview.compare(v, $0) }.map { $0 > 0 } ?? false
            if below || above { issues.append(.outOfRange(min: lo, max: hi)) }
        }
        switch (q.kind, v) {
        case (.singleChoice, .choice(let c)):
            if offeredOption(c, at: at) == nil { issues.append(.notAnOption(c)) }
        case (.multipleChoice(_, let lo, let hi), .choices(let codes)):
            let offered = codes.map { offeredOption($0, at: at) }
            for (c, o) in zip(codes, offered) where o == nil { issues.append(.notAnOption(c)) }
            if let lo, codes.count < lo { issues.append(.tooFewChoices(min: lo)) }
            if codes.isEmpty, lo == nil { issues.append(.tooFewChoices(min: 1)) }
            if let hi, codes.count > hi { issues.append(.tooManyChoices(max: hi)) }
            if codes.count > 1 {
                for (c, o) in zip(codes, offered) where o?.exclusive == true { issues.append(.exclusiveCombined(c)) }
            }
        case (.integer(let lo, let hi), _):
            range(bound(lo), bound(hi))
            if issues.isEmpty, let limit = plan.rowCountLimits[q.name], let n = Interview.integer(v), n > limit {
                issues.append(.outOfRange(min: bound(lo), max: .integer(limit)))
            }
        case (.date(let lo, let hi), _), (.datetime(let lo, let hi), _):
            range(bound(lo), bound(hi))
        case (.decimal(let lo, let hi, let places), .decimal(let d)):
            range(bound(lo), bound(hi))
            var scale = 1.0
            for _ in 0..<max(0, places) { scale *= 10 }
            let scaled = d * scale
            if Swift.abs(scaled - scaled.rounded()) > 1e-6 * max(1, Swift.abs(scaled)) {
                issues.append(.tooManyDecimals(places: places))
            }
        case (.scale(let lo, let hi, _), _):
            range(.integer(lo), .integer(hi))
        case (.text(let maxLength, let pattern), .text(let t)):
            if t.count > maxLength { issues.append(.tooLong(maxLength: maxLength)) }
            if let pattern, !(plan.patterns[pattern] ?? CompiledPattern(pattern)).matches(t) {
                issues.append(.patternMismatch(pattern: pattern))
            }
        default: break
        }
        return issues
    }

    /// Converts a value to the representation a question stores; nil for the wrong type.
    static func normalize(_ v: Value, for kind: QuestionKind) -> Value? {
        switch (kind, v) {
        case (.singleChoice, .choice), (.multipleChoice, .choices), (.integer, .integer), (.decimal, .decimal),
            (.text, .text), (.date, .date), (.time, .time), (.datetime, .datetime), (.scale, .integer):
            if case .choices(let c) = v { return .choices(normalizing: c) }
            return v
        case (.singleChoice, .integer(let c)): return .choice(c)
        case (.multipleChoice, .choice(let c)): return .choices([c])
        case (.decimal, .integer(let i)): return .decimal(Double(i))
        case (.scale, .choice(let c)): return .integer(c)
        default: return nil
        }
    }

    /// A value as shown to people: codes and numbers plainly, dates ISO, times `HH:MM`.
    public static func display(_ v: Value) -> String {
        switch v {
        case .integer(let i), .choice(let i): String(i)
        case .decimal(let d): d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .text(let t): t
        case .boolean(let b): b ? "1" : "0"
        case .date(let d): d.description
        case .time(let t): t.description
        case .datetime(let t): t.description
        case .choices(let c): c.map(String.init).joined(separator: ",")
        }
    }
}

/// A question's text pattern, compiled once per plan: compiling a `Regex` costs far more than
/// matching one short answer (it was 5 % of replaying an energy interview).
///
/// `Regex` is not declared `Sendable` because its output type may not be; this one's output is
/// `AnyRegexOutput` of substrings, the value is never mutated after `init`, and `init` runs one
/// match so that the regex's lazily lowered program exists before the plan is shared.
struct CompiledPattern: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>?

    init(_ pattern: String) {
        regex = try? Regex(pattern)
        _ = matches("")
    }

    /// True when the whole text matches (an invalid pattern matches nothing).
    func matches(_ text: String) -> Bool {
        guard let regex else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }
}
