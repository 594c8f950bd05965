import SurveyModel

/// Counts for one variable: codes of labelled integer variables, special answers, system
/// missing, and the range and mean of valid numbers.
public struct VariableStats: Hashable, Sendable {
    /// Counts per code (only for integer variables with value labels).
    public var codes: [Int: Int] = [:]
    public var specials: [SpecialAnswer: Int] = [:]
    /// System missing (unanswered) cells.
    public var empty = 0
    /// Cells with a value (a number or a non-empty text).
    public var valid = 0
    public var min: Double?
    public var max: Double?
    public var sum = 0.0

    public init() {}

    public var mean: Double? { valid > 0 && min != nil ? sum / Double(valid) : nil }
}

/// Frequencies of every variable, by table name then variable name.
///
/// Either computed from the rows being exported (``add(_:of:)``, streaming: memory grows with
/// distinct codes, not with rows) or passed in by a caller that counted them elsewhere.
public struct Frequencies: Hashable, Sendable {
    public var tables: [String: [String: VariableStats]] = [:]
    /// Rows seen per table.
    public var rows: [String: Int] = [:]

    public init() {}

    /// Counts one row of a table.
    public mutating func add(_ row: ExportRow, of table: ExportTable) {
        rows[table.name, default: 0] += 1
        var stats = tables[table.name] ?? [:]
        defer { tables[table.name] = stats }
        for (i, v) in table.variables.enumerated() where i < row.count {
            if case .interviewID = v.source { continue }
            var s = stats[v.name] ?? VariableStats()
            switch row[i] {
            case .empty: s.empty += 1
            case .special(let sp): s.specials[sp, default: 0] += 1
            case .text(let t):
                if t.isEmpty { s.empty += 1 } else { s.valid += 1 }
            case .number(let d):
                s.valid += 1
                if case .integer = v.type, v.valueLabels != nil { s.codes[Int(d), default: 0] += 1 }
                s.min = Swift.min(s.min ?? d, d)
                s.max = Swift.max(s.max ?? d, d)
                s.sum += d
            }
            stats[v.name] = s
        }
    }

    /// The counts of one variable.
    public func stats(table: String, variable: String) -> VariableStats? { tables[table]?[variable] }
}
