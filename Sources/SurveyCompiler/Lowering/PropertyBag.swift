import SurveyDiagnostics
import SurveyModel

/// The properties of one body, sorted out by keyword, with duplicates and misplaced ones reported.
struct PropertyBag {
    var text: TextAST?, hint: TextAST?, label: TextAST?, title: TextAST?, rowLabel: TextAST?
    var when: ExprAST?
    var optional = false, nodk = false, interviewer = false, preload = false, randomize = false
    var pii = PersonalData.notPersonal
    var specials: [Ident]?
    var defaultValue: (value: ExprAST, condition: ExprAST?)?
    var min: Int?, max: Int?, maxLength: Int?
    var pattern: (String, SourceRange)?
    var filter: ExprAST?
    var other: OtherAST?
    var checks: [CheckAST] = []
    /// Where each property was given (for ranges in later messages).
    var ranges: [String: SourceRange] = [:]
}

extension Analyzer {
    /// Sorts properties into a bag; reports those not in `allowed` and those given twice.
    mutating func bag(_ properties: [Property], allowed: Set<String>, on what: String) -> PropertyBag {
        var bag = PropertyBag()
        for p in properties {
            let key = p.kind.keyword
            guard allowed.contains(key) else {
                report(Messages.propertyNotAllowed(key == "check" ? "error/warn" : key, on: what, at: p.range))
                continue
            }
            if key != "check", let first = bag.ranges[key] {
                report(Messages.propertyTwice(key, at: p.range, first: first))
                continue
            }
            bag.ranges[key] = p.range
            switch p.kind {
            case .text(let t): bag.text = t
            case .hint(let t): bag.hint = t
            case .label(let t): bag.label = t
            case .title(let t): bag.title = t
            case .rowLabel(let t): bag.rowLabel = t
            case .when(let e): bag.when = e
            case .optional: bag.optional = true
            case .nodk: bag.nodk = true
            case .pii(let kind): bag.pii = kind
            case .interviewer: bag.interviewer = true
            case .preload: bag.preload = true
            case .randomize: bag.randomize = true
            case .specials(let s): bag.specials = s
            case .defaultValue(let v, let c): bag.defaultValue = (v, c)
            case .min(let n): bag.min = n
            case .max(let n): bag.max = n
            case .maxLength(let n): bag.maxLength = n
            case .pattern(let s): bag.pattern = (s, p.range)
            case .filter(let e): bag.filter = e
            case .other(let o): bag.other = o
            case .check(let c): bag.checks.append(c)
            }
        }
        return bag
    }

    /// The property keywords a question of this type accepts.
    static func allowedProperties(for type: TypeAST) -> Set<String> {
        var allowed: Set<String> = [
            "text", "hint", "label", "when", "optional", "nodk", "specials", "pii", "interviewer", "preload", "default",
            "check",
        ]
        switch type {
        case .single: allowed.formUnion(["filter", "randomize", "other"])
        case .multiple: allowed.formUnion(["filter", "randomize", "other", "min", "max"])
        case .text: allowed.formUnion(["maxlength", "pattern"])
        default: break
        }
        return allowed
    }

    /// The special answers allowed: `nodk` → none, `specials …` → those, else the survey default.
    mutating func specials(_ bag: PropertyBag) -> [SpecialAnswer] {
        if bag.nodk { return [] }
        guard let list = bag.specials else { return defaultSpecials }
        return parseSpecials(list)
    }

    mutating func parseSpecials(_ list: [Ident]) -> [SpecialAnswer] {
        var out: [SpecialAnswer] = []
        for s in list {
            switch s.text {
            case "dk": if !out.contains(.dontKnow) { out.append(.dontKnow) }
            case "rf": if !out.contains(.refused) { out.append(.refused) }
            default: report(Messages.badValue("'\(s.text)' is not a special answer; use dk (don't know) or rf (refused)", at: s.range))
            }
        }
        return out
    }
}
