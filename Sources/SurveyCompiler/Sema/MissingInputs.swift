import SurveyDiagnostics
import SurveyModel

/// Where a calculation still turns a missing input into a value (W0210).
///
/// Under the three-valued rule (docs/language.md §8.4) comparisons, logic and `if` give missing
/// for a missing input, so a value computed from a missing answer can only come from a
/// construct that leaves missing inputs out: `count(R, cond)`, `any(R, cond)` and `all(R, cond)`
/// treat a row whose condition is missing as not matching, making a count or a yes/no out of
/// unknown rows (`sum`, `min` and `max` are defined over the rows that have a value, and say so
/// by their name). That is reported unless the row condition says what a missing input means:
/// it tests the variable with `answered`, `is_dk`, `is_refused` or `is_special`, or uses `if`'s
/// fourth argument.
enum MissingInputs {
    /// The variables an aggregate in `e` reads in its row expression without saying what a
    /// missing value of them means, with the aggregate they are read in (first occurrence each).
    static func silentlySkipped(in e: Expr) -> [(variable: VariableName, aggregate: Aggregate, roster: GroupID)] {
        var out: [(VariableName, Aggregate, GroupID)] = []
        visit(e) { node in
            guard case .aggregate(let agg, let roster, let body?) = node, agg == .count || agg == .any || agg == .all else {
                return
            }
            let handled = explicit(in: body)
            for name in reads(body) where !handled.contains(name) && !out.contains(where: { $0.0 == name }) {
                out.append((name, agg, roster))
            }
        }
        return out
    }

    /// Variables read by value (not only tested with `answered`/`is_*`, nor `preloaded`).
    static func reads(_ e: Expr) -> [VariableName] {
        var names: [VariableName] = []
        func walk(_ e: Expr) {
            switch e {
            case .variable(let n): if !names.contains(n) { names.append(n) }
            case .rowVariable(let n, let row):
                if !names.contains(n) { names.append(n) }
                walk(row)
            case .call(let fn, let args):
                guard !testsAnswer(fn), fn != .preloaded, fn != .complete else { return }
                args.forEach(walk)
            case .unary(_, let a): walk(a)
            case .binary(_, let a, let b):
                walk(a)
                walk(b)
            case .aggregate(_, _, let body): if let body { walk(body) }
            case .list(let items): items.forEach(walk)
            case .literal, .currentRow, .option: break
            }
        }
        walk(e)
        return names
    }

    /// Variables whose missing value the expression handles explicitly: tested with
    /// `answered`/`is_*`, or read in the condition of an `if` with a fourth argument.
    static func explicit(in e: Expr) -> Set<VariableName> {
        var names = Set<VariableName>()
        visit(e) { node in
            guard case .call(let fn, let args) = node else { return }
            if testsAnswer(fn) {
                for case .variable(let n) in args { names.insert(n) }
                for case .rowVariable(let n, _) in args { names.insert(n) }
            } else if fn == .if, args.count == 4 {
                names.formUnion(reads(args[0]))
            }
        }
        return names
    }

    private static func testsAnswer(_ fn: Function) -> Bool {
        fn == .answered || fn == .isDontKnow || fn == .isRefused || fn == .isSpecial
    }

    /// Calls `body` with every node of the tree, parents first.
    private static func visit(_ e: Expr, _ body: (Expr) -> Void) {
        body(e)
        switch e {
        case .unary(_, let a): visit(a, body)
        case .binary(_, let a, let b):
            visit(a, body)
            visit(b, body)
        case .call(_, let args): for a in args { visit(a, body) }
        case .aggregate(_, _, let inner): if let inner { visit(inner, body) }
        case .rowVariable(_, let row): visit(row, body)
        case .list(let items): for i in items { visit(i, body) }
        case .literal, .variable, .currentRow, .option: break
        }
    }
}

extension Analyzer {
    /// W0210 for a calculation whose value an aggregate computes while leaving missing inputs out.
    mutating func reportSilentlySkippedInputs(_ e: Expr, calculation: String, at range: SourceRange) {
        for (name, agg, roster) in MissingInputs.silentlySkipped(in: e) {
            report(
                Messages.missingMadeValue(calculation, variable: name.rawValue, aggregate: agg.rawValue, roster: roster.rawValue, at: range)
            )
        }
    }
}
