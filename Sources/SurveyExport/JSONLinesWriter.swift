import SurveyModel

/// Writes one interview per line as a JSON object, with roster rows nested as arrays.
///
/// Keys are the export variable names of the interview table; each roster appears under its
/// id as an array of row objects (`"mem": [{"mem_row": 1, …, "trip": [...]}]`). Special answers
/// are their codes (numbers, or strings such as `"-8"` in text columns, so every column keeps
/// one JSON type), system missing is `null`, dates are `"YYYY-MM-DD"` and timestamps
/// `"YYYY-MM-DDTHH:MM:SSZ"`.
public struct JSONLinesWriter<Sink: ByteSink> {
    public private(set) var sink: Sink
    private let schema: ExportSchema
    private let builder: RowBuilder
    /// For each table, the indices of the tables nested directly inside it.
    private let children: [[Int]]
    private var line: [UInt8] = []
    private var finished = false

    public init(schema: ExportSchema, sink: Sink) {
        self.sink = sink
        self.schema = schema
        self.builder = RowBuilder(schema: schema)
        children = schema.tables.map { parent in
            schema.tables.indices.filter { i in
                let path = schema.tables[i].rosterPath
                return path.count == parent.rosterPath.count + 1 && Array(path.dropLast()) == parent.rosterPath
            }
        }
    }

    /// Writes one interview as one line.
    public mutating func write(_ record: InterviewRecord) throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "JSON Lines") }
        try object(table: 0, record: record, rows: [])
        line.append(10)
        try sink.write(line)
        line.removeAll(keepingCapacity: true)
    }

    public mutating func finish() throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "JSON Lines") }
        finished = true
        try sink.close()
    }

    private mutating func object(table t: Int, record: InterviewRecord, rows: [Int]) throws(ExportError) {
        let table = schema.tables[t]
        let cells = try builder.row(table, record: record, rows: rows)
        line.append(UInt8(ascii: "{"))
        var first = true
        // Nested rows keep only their own row number of the key columns.
        let skip = t == 0 ? 0 : table.keyCount - 1
        for (i, v) in table.variables.enumerated() where i >= skip {
            if !first { line.append(UInt8(ascii: ",")) }
            first = false
            string(v.name)
            line.append(UInt8(ascii: ":"))
            value(cells[i], v.type)
        }
        for c in children[t] {
            guard let roster = schema.tables[c].roster else { continue }
            if !first { line.append(UInt8(ascii: ",")) }
            first = false
            string(roster.rawValue)
            line += Array(":[".utf8)
            let count = rowCount(schema.tables[c], record: record, parentRows: rows)
            for r in 0..<count {
                if r > 0 { line.append(UInt8(ascii: ",")) }
                try object(table: c, record: record, rows: rows + [r + 1])
            }
            line.append(UInt8(ascii: "]"))
        }
        line.append(UInt8(ascii: "}"))
    }

    private func rowCount(_ table: ExportTable, record: InterviewRecord, parentRows: [Int]) -> Int {
        guard let roster = table.roster else { return 0 }
        if let n = record.rosterRows[RosterInstance(roster, parentRows: parentRows)] { return n }
        var n = 0
        for a in record.answers.keys where a.rows.count == table.rosterPath.count && Array(a.rows.dropLast()) == parentRows {
            if table.variables.contains(where: { $0.source.question == a.variable && $0.holds(record.definition) }) {
                n = max(n, a.rows.last ?? 0)
            }
        }
        return n
    }

    private mutating func value(_ cell: Cell, _ type: ExportType) {
        switch cell {
        case .empty: line += Array("null".utf8)
        case .special(let s):
            // A text column stays text: its special answers are the code as a string ("-8").
            let code = String(schema.specialCodes.code(for: s))
            if type.isString { string(code) } else { line += Array(code.utf8) }
        case .text(let t): string(t)
        case .number(let d):
            switch type {
            case .date: string(LocalDate(daysSinceEpoch: Int(d)).description)
            case .datetime: string(Calendar1970.isoDateTime(milliseconds: Int64(d)))
            case .localDatetime: string(Calendar1970.isoDateTime(milliseconds: Int64(d), zone: ""))
            default: line += Array((d.isFinite ? NumberText.decimal(d) : "null").utf8)
            }
        }
    }

    private mutating func string(_ s: String) {
        line.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): line += [92, 34]
            case 92: line += [92, 92]
            case 10: line += [92, UInt8(ascii: "n")]
            case 13: line += [92, UInt8(ascii: "r")]
            case 9: line += [92, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                line += [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: line.append(b)
            }
        }
        line.append(UInt8(ascii: "\""))
    }
}
