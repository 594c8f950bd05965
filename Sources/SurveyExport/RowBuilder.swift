import Foundation
import SurveyModel

/// Flattens interviews into the rows of a schema's tables.
///
/// The CLI feeds one ``InterviewRecord`` at a time; nothing is kept between interviews, so
/// memory does not grow with the number of interviews.
public struct RowBuilder: Sendable {
    public let schema: ExportSchema
    /// Each question's enclosing rosters (one entry per table it is in), for inferring roster
    /// row counts from answers.
    private let rosterPaths: [VariableName: [(path: [GroupID], versions: Set<DefinitionHash>?)]]

    public init(schema: ExportSchema) {
        self.schema = schema
        var paths: [VariableName: [(path: [GroupID], versions: Set<DefinitionHash>?)]] = [:]
        for table in schema.tables {
            for v in table.variables {
                if let q = v.source.question { paths[q, default: []].append((table.rosterPath, v.versions)) }
            }
        }
        rosterPaths = paths
    }

    /// Calls `emit` with the table index and each row, table by table, rows in order.
    public func rows(
        of record: InterviewRecord, _ emit: (Int, ExportRow) throws(ExportError) -> Void
    ) throws(ExportError) {
        let counts = rowCounts(record)
        for (t, table) in schema.tables.enumerated() {
            var failure: ExportError?
            forEachRow(path: table.rosterPath, counts: counts, prefix: []) { rows in
                guard failure == nil else { return }
                do throws(ExportError) {
                    try emit(t, try row(table, record: record, rows: rows))
                } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// One row of a table for the given roster rows.
    public func row(_ table: ExportTable, record: InterviewRecord, rows: [Int]) throws(ExportError) -> ExportRow {
        var out: ExportRow = []
        out.reserveCapacity(table.variables.count)
        for v in table.variables { out.append(try cell(v, record: record, rows: rows)) }
        return out
    }

    private func forEachRow(path: [GroupID], counts: [RosterInstance: Int], prefix: [Int], _ body: ([Int]) -> Void) {
        guard prefix.count < path.count else { return body(prefix) }
        let n = counts[RosterInstance(path[prefix.count], parentRows: prefix)] ?? 0
        guard n > 0 else { return }
        for r in 1...n { forEachRow(path: path, counts: counts, prefix: prefix + [r], body) }
    }

    /// Given row counts, completed by the highest row number answers use.
    private func rowCounts(_ record: InterviewRecord) -> [RosterInstance: Int] {
        var counts = record.rosterRows
        for address in record.answers.keys where !address.rows.isEmpty {
            guard
                let path = rosterPaths[address.variable]?.first(where: { entry in
                    entry.path.count == address.rows.count && entry.versions?.contains(record.definition) ?? true
                })?.path
            else { continue }
            for d in 0..<path.count {
                let key = RosterInstance(path[d], parentRows: Array(address.rows[..<d]))
                if record.rosterRows[key] == nil { counts[key] = max(counts[key] ?? 0, address.rows[d]) }
            }
        }
        return counts
    }

    private func cell(_ v: ExportVariable, record: InterviewRecord, rows: [Int]) throws(ExportError) -> Cell {
        // A variable of other questionnaire versions: the question was not asked in this one.
        guard v.holds(record.definition) else { return .empty }
        return try cell(v, source: v.source, record: record, rows: rows)
    }

    private func cell(_ v: ExportVariable, source: VariableSource, record: InterviewRecord, rows: [Int]) throws(ExportError) -> Cell {
        switch source {
        case .wide(let inner, let row):
            return try cell(v, source: inner, record: record, rows: rows + [row])
        case .interviewID: return .text(record.id.rawValue)
        case .rowNumber(let depth): return .number(Double(rows[depth]))
        case .provenance(let f): return provenance(f, record)
        case .checkConfirmed(let id): return .number(record.confirmedChecks.contains(ConfirmedCheck(id, rows: rows)) ? 1 : 0)
        case .answer(let name):
            let address = Address(name, rows: rows)
            switch record.answers[address] {
            case nil: return .empty
            // A numeric calculation has no special codes (any number is a value): off route it is empty.
            case .special(let s)?: return v.declaresSpecials || v.type.isString ? .special(s) : .empty
            case .value(let value)?: return try convert(value, to: v.type, record: record, address: address)
            }
        case .indicator(let name, let code):
            switch record.answers[Address(name, rows: rows)] {
            case nil: return .empty
            case .special(let s)?: return .special(s)
            case .value(.choices(let codes))?: return .number(codes.contains(code) ? 1 : 0)
            case .value(let other)?:
                throw .typeMismatch(
                    interview: record.id.rawValue, address: Address(name, rows: rows).description,
                    expected: "multiple-choice", found: other.type.rawValue)
            }
        case .pseudonymised(let inner):
            let f = schema.pseudonymise ?? { _ in "" }
            switch try cell(v, source: inner, record: record, rows: rows) {
            case .text(let t): return .text(t.isEmpty ? "" : f(t))
            case .number(let d): return .text(f(NumberText.decimal(d)))
            case let other: return other
            }
        }
    }

    private func provenance(_ f: ProvenanceField, _ r: InterviewRecord) -> Cell {
        switch f {
        case .definitionHash: return .text(r.definition.rawValue)
        case .surveyVersion: return .text(r.surveyVersion)
        case .device: return .text(r.device.rawValue)
        case .interviewer: return .text(r.interviewer)
        case .startTime: return r.startedAt.map { .number(Double($0)) } ?? .empty
        case .endTime: return r.endedAt.map { .number(Double($0)) } ?? .empty
        case .durationMinutes: return r.durationMinutes.map(Cell.number) ?? .empty
        case .outcome: return r.outcome.map { .number(Double($0)) } ?? .empty
        case .conflict: return .number(r.hadConflict ? 1 : 0)
        case .visits: return .number(Double(r.visits.count))
        case .final: return r.isFinal.map { .number($0 ? 1 : 0) } ?? .empty
        case .review: return .number(Double(r.review.rawValue))
        }
    }

    private func convert(_ value: Value, to type: ExportType, record: InterviewRecord, address: Address) throws(ExportError) -> Cell {
        switch (type, value) {
        case (.string, _): return .text(RowBuilder.textForm(value))
        case (.integer, .integer(let i)), (.decimal, .integer(let i)), (.integer, .choice(let i)),
            (.decimal, .choice(let i)):
            return .number(Double(i))
        case (.decimal, .decimal(let d)), (.integer, .decimal(let d)): return .number(d)
        case (.integer, .boolean(let b)), (.decimal, .boolean(let b)): return .number(b ? 1 : 0)
        case (.date, .date(let d)): return .number(Double(d.daysSinceEpoch))
        case (.localDatetime, .datetime(let t)): return .number(Double(t.seconds) * 1000)
        default:
            throw .typeMismatch(
                interview: record.id.rawValue, address: address.description, expected: "\(type)",
                found: value.type.rawValue)
        }
    }

    /// The text form of a value: NFC-normalised and trimmed text, ISO dates, `HH:MM`, codes.
    public static func textForm(_ value: Value) -> String {
        switch value {
        case .text(let s): s.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        case .integer(let i), .choice(let i): String(i)
        case .decimal(let d): NumberText.decimal(d)
        case .boolean(let b): b ? "1" : "0"
        case .date(let d): d.description
        case .time(let t): t.description
        case .datetime(let t): t.description
        case .choices(let codes): codes.map(String.init).joined(separator: " ")
        }
    }
}

/// Number formatting shared by the text formats.
enum NumberText {
    /// Integral values without a decimal point; others in the shortest round-tripping form.
    static func decimal(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }
}
