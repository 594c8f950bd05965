import Foundation
import SurveyModel

/// Renders a compiled expression back to questionnaire-language text for the codebook,
/// e.g. `tenure_yrs > 1 and not (x in (1, 2))`, with only the parentheses precedence needs.
public enum ExprText {
    public static func render(_ e: Expr) -> String { render(e, parent: 0) }

    /// Binding strength: higher binds tighter.
    private static func precedence(_ op: BinaryOperator) -> Int {
        switch op {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in: 4
        case .add, .subtract: 5
        case .multiply, .divide, .modulo: 6
        }
    }

    private static func render(_ e: Expr, parent: Int) -> String {
        switch e {
        case .literal(let v): return literal(v)
        case .variable(let n): return n.rawValue
        case .rowVariable(let n, let row): return "\(n)[\(render(row, parent: 0))]"
        case .currentRow: return "row"
        case .option: return "option"
        case .unary(.negate, let a): return "-" + render(a, parent: 7)
        case .unary(.not, let a):
            let text = "not " + render(a, parent: 3)
            return parent > 3 ? "(\(text))" : text
        case .binary(let op, let l, let r):
            let p = precedence(op)
            let text = "\(render(l, parent: p)) \(op.rawValue) \(render(r, parent: p + 1))"
            return p < parent ? "(\(text))" : text
        case .call(let f, let args):
            return "\(f.rawValue)(\(args.map { render($0, parent: 0) }.joined(separator: ", ")))"
        case .aggregate(let a, let roster, let body):
            return "\(a.rawValue)(\(roster)\(body.map { ", " + render($0, parent: 0) } ?? ""))"
        case .list(let items):
            return "(\(items.map { render($0, parent: 0) }.joined(separator: ", ")))"
        }
    }

    private static func literal(_ v: Value) -> String {
        switch v {
        case .text(let s): "\"\(s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        case .date(let d): "@\(d)"
        case .time(let t): "@\(t)"
        case .datetime(let t): "@\(t)"
        case .boolean(let b): b ? "true" : "false"
        case .choices(let codes): "(\(codes.map(String.init).joined(separator: ", ")))"
        case .integer(let i), .choice(let i): String(i)
        case .decimal(let d): "\(d)"
        }
    }
}
