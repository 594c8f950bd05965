import SurveyModel

/// CSV dialects.
public enum CSVDialect: Sendable {
    /// RFC 4180: UTF-8, `,`, CRLF line ends, `.` decimal point.
    case rfc4180
    /// For Hungarian Excel: a UTF-8 byte-order mark, `;` between fields and `,` as decimal sign.
    case excel
}

/// Writes one table as CSV: a header of variable names, then one line per row.
///
/// Special answers are written as their codes (-7/-8/-9), system missing as an empty field,
/// dates as `YYYY-MM-DD` and timestamps as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
public struct CSVWriter<Sink: ByteSink>: ExportWriter {
    public private(set) var sink: Sink
    private let table: ExportTable
    private let codes: SpecialCodes
    private let separator: UInt8
    private let decimalComma: Bool
    private var line: [UInt8] = []
    private var finished = false

    public init(table: ExportTable, specialCodes: SpecialCodes, dialect: CSVDialect = .rfc4180, sink: Sink) throws(ExportError) {
        self.sink = sink
        self.table = table
        self.codes = specialCodes
        self.separator = dialect == .excel ? UInt8(ascii: ";") : UInt8(ascii: ",")
        self.decimalComma = dialect == .excel
        line.reserveCapacity(1024)
        if dialect == .excel { line += [0xEF, 0xBB, 0xBF] }
        for (i, v) in table.variables.enumerated() {
            if i > 0 { line.append(separator) }
            appendField(v.name)
        }
        try endLine()
    }

    public mutating func write(_ row: ExportRow) throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "CSV") }
        guard row.count == table.variables.count else {
            throw .rowShape(table: table.name, expected: table.variables.count, got: row.count)
        }
        for i in 0..<row.count {
            if i > 0 { line.append(separator) }
            switch row[i] {
            case .empty: break
            case .special(let s): appendInt(codes.code(for: s))
            case .text(let t): appendField(t)
            case .number(let d): appendNumber(d, type: table.variables[i].type)
            }
        }
        try endLine()
    }

    public mutating func finish() throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "CSV") }
        finished = true
        try sink.close()
    }

    private mutating func endLine() throws(ExportError) {
        line.append(13)
        line.append(10)
        try sink.write(line)
        line.removeAll(keepingCapacity: true)
    }

    private mutating func appendNumber(_ d: Double, type: ExportType) {
        switch type {
        case .date: line += Array(LocalDate(daysSinceEpoch: Int(d)).description.utf8)
        case .datetime: line += Array(Calendar1970.isoDateTime(milliseconds: Int64(d)).utf8)
        case .localDatetime: line += Array(Calendar1970.isoDateTime(milliseconds: Int64(d), zone: "").utf8)
        default:
            if d == d.rounded(), abs(d) < 1e15 {
                appendInt(Int(d))
            } else {
                var text = Array("\(d)".utf8)
                if decimalComma { text = text.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 } }
                line += text
            }
        }
    }

    private mutating func appendInt(_ value: Int) {
        if value < 0 { line.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        if v < 10 { return line.append(UInt8(ascii: "0") + UInt8(v)) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { line.append(buf[i]) }
        }
    }

    /// Appends a field, quoting it when it holds the separator, a quote, CR or LF.
    private mutating func appendField(_ text: String) {
        var needsQuotes = false
        for b in text.utf8 where b == separator || b == UInt8(ascii: "\"") || b == 10 || b == 13 {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return line.append(contentsOf: text.utf8) }
        line.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            if b == UInt8(ascii: "\"") { line.append(b) }
            line.append(b)
        }
        line.append(UInt8(ascii: "\""))
    }
}
