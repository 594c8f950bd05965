import Foundation
import SurveyModel

/// Writes one table as a Stata format-118 dataset (`.dta`, UTF-8), streaming the observations.
///
/// Special answers become extended missing values with labels: `.a` not applicable, `.b`
/// don't know, `.c` refused (see ``StataMissing``). Dates are `%td`, timestamps `%tc`.
///
/// Text variables are stored as wide as their longest value, not their worst case (`maxlength`
/// × 4 bytes): rows go to a temporary file at the declared widths while the longest value of
/// each text is measured, and ``finish()`` writes the header with those widths and copies the
/// rows, cutting each text field to its width. Memory holds one 64 KiB block at a time.
public struct DtaWriter<Sink: ByteSink>: ExportWriter {
    public private(set) var sink: Sink
    private let table: ExportTable
    private let schema: ExportSchema
    /// The columns at their declared widths (as the rows are spilled).
    private let columns: [DtaColumn]
    /// The longest value seen in each fixed-width text column, in bytes.
    private var longest: [Int]
    private let createdAt: Date
    private var observations = 0
    private var finished = false
    private var offsets = [Int](repeating: 0, count: 14)
    private var row = ByteWriter()
    private var buffer: [UInt8] = []
    /// The rows at the declared widths, until the widths are known.
    private var rows: Spill
    /// strL texts wait in a temporary file until the data section is complete.
    private var strls: Spill?

    /// The longest fixed string Stata stores; wider text variables are written as strL.
    public static var maxStringWidth: Int { 2045 }

    public init(table: ExportTable, schema: ExportSchema, sink: Sink, createdAt: Date = Date()) throws(ExportError) {
        self.sink = sink
        self.table = table
        self.schema = schema
        self.createdAt = createdAt
        self.columns = table.variables.map(DtaColumn.init)
        self.longest = Array(repeating: 0, count: columns.count)
        self.rows = try Spill(prefix: "terep-dta-rows")
        if columns.contains(where: { if case .strL = $0.storage { true } else { false } }) {
            strls = try Spill(prefix: "terep-strl")
        }
    }

    public mutating func write(_ cells: ExportRow) throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "Stata") }
        guard cells.count == columns.count else {
            throw .rowShape(table: table.name, expected: columns.count, got: cells.count)
        }
        for i in 0..<cells.count {
            switch columns[i].storage {
            case .strL: try writeStrL(cells[i], variable: i + 1, observation: observations + 1)
            case .str: longest[i] = Swift.max(longest[i], try columns[i].encode(cells[i], codes: schema.specialCodes, into: &row))
            default: _ = try columns[i].encode(cells[i], codes: schema.specialCodes, into: &row)
            }
        }
        buffer += row.bytes
        row.bytes.removeAll(keepingCapacity: true)
        observations += 1
        if buffer.count >= 1 << 16 {
            try rows.append(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    public mutating func finish() throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "Stata") }
        finished = true
        try rows.append(buffer)
        buffer = []
        let stored = columns.enumerated().map { i, c in
            if case .str = c.storage { return c.narrowed(to: longest[i]) }
            return c
        }
        let mapOffset = try writeHeader(stored)
        try copyRows(to: stored)
        try tag("</data>")
        offsets[10] = sink.position
        try tag("<strls>")
        if var spill = strls { try spill.copy { (chunk) throws(ExportError) in try sink.write(chunk) } }
        try tag("</strls>")
        offsets[11] = sink.position
        try writeValueLabels(stored)
        offsets[12] = sink.position
        try tag("</stata_dta>")
        offsets[13] = sink.position
        var map = ByteWriter()
        for o in offsets { map.uint64(UInt64(o)) }
        try sink.patch(at: mapOffset, map.bytes)
        try sink.close()
    }

    /// Copies the spilled rows, each text field cut from its declared width to its stored one.
    private mutating func copyRows(to stored: [DtaColumn]) throws(ExportError) {
        let declared = columns.map(\.byteSize)
        let kept = stored.map(\.byteSize)
        let rowSize = declared.reduce(0, +)
        var pending: [UInt8] = []
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        try rows.copy { (chunk) throws(ExportError) in
            pending += chunk
            var start = 0
            while pending.count - start >= rowSize, rowSize > 0 {
                var field = start
                for i in declared.indices {
                    out.append(contentsOf: pending[field..<(field + kept[i])])
                    field += declared[i]
                }
                start += rowSize
                if out.count >= 1 << 16 {
                    try sink.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            pending.removeFirst(start)
        }
        try sink.write(out)
    }

    /// Writes the (v, o) reference of a strL cell and spills its text as a GSO record.
    private mutating func writeStrL(_ cell: Cell, variable v: Int, observation o: Int) throws(ExportError) {
        let text = Array(DtaColumn.text(cell, codes: schema.specialCodes).utf8)
        guard !text.isEmpty else { return row.uint64(0) }
        row.uint16(UInt16(v))
        let obs = UInt64(o)
        for shift in stride(from: 0, to: 48, by: 8) { row.uint8(UInt8(truncatingIfNeeded: obs >> UInt64(shift))) }
        var gso = ByteWriter()
        gso.ascii("GSO")
        gso.int32(Int32(v))
        gso.uint64(obs)
        gso.uint8(130)
        gso.int32(text.count + 1)
        gso.bytes += text
        gso.uint8(0)
        try strls?.append(gso.bytes)
    }

    private mutating func tag(_ s: String) throws(ExportError) { try sink.write(Array(s.utf8)) }

    private mutating func section(_ index: Int, _ open: String, _ body: (inout ByteWriter) -> Void) throws(ExportError) {
        offsets[index] = sink.position
        var w = ByteWriter()
        w.ascii("<\(open)>")
        body(&w)
        w.ascii("</\(open)>")
        try sink.write(w.bytes)
    }

    /// Writes everything before the data; returns where the map's offsets go.
    private mutating func writeHeader(_ stored: [DtaColumn]) throws(ExportError) -> Int {
        var h = ByteWriter()
        h.ascii("<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>")
        h.uint16(UInt16(stored.count))
        h.ascii("</K><N>")
        h.uint64(UInt64(observations))
        h.ascii("</N><label>")
        let label = Array(NameRules.cut(table.label, maxBytes: 320, maxChars: 80).utf8)
        h.uint16(UInt16(label.count))
        h.bytes += label
        h.ascii("</label><timestamp>")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "dd MMM yyyy HH:mm"
        let stamp = f.string(from: createdAt)
        h.uint8(UInt8(stamp.utf8.count))
        h.ascii(stamp)
        h.ascii("</timestamp></header>")
        try sink.write(h.bytes)
        offsets[1] = sink.position
        var m = ByteWriter()
        m.ascii("<map>")
        let mapOffset = sink.position + m.bytes.count
        for _ in 0..<14 { m.uint64(0) }
        m.ascii("</map>")
        try sink.write(m.bytes)
        try writeDescriptors(stored)
        return mapOffset
    }

    private mutating func writeDescriptors(_ columns: [DtaColumn]) throws(ExportError) {
        let sets = schema.valueLabelSets
        try section(2, "variable_types") { w in for c in columns { w.uint16(c.typeCode) } }
        try section(3, "varnames") { w in for c in columns { w.fixed(c.variable.name, size: 129) } }
        try section(4, "sortlist") { w in for _ in 0...columns.count { w.uint16(0) } }
        try section(5, "formats") { w in for c in columns { w.fixed(c.format, size: 57) } }
        try section(6, "value_label_names") { w in
            for c in columns {
                let name = c.isString ? nil : c.variable.valueLabels.flatMap { sets[$0] != nil ? $0 : nil }
                w.fixed(name ?? "", size: 129)
            }
        }
        try section(7, "variable_labels") { w in
            for c in columns { w.fixed(NameRules.cut(c.variable.label, maxBytes: 320, maxChars: 80), size: 321) }
        }
        let characteristics = DtaCharacteristics.records(table: table, schema: schema)
        try section(8, "characteristics") { w in w.bytes += characteristics }
        offsets[9] = sink.position
        try tag("<data>")
    }

    /// Every label set a numeric column uses, as `<lbl>` tables with the extended missing values.
    private mutating func writeValueLabels(_ columns: [DtaColumn]) throws(ExportError) {
        var w = ByteWriter()
        w.ascii("<value_labels>")
        var done = Set<String>()
        for c in columns where !c.isString {
            guard let name = c.variable.valueLabels, let set = schema.valueLabelSets[name], done.insert(name).inserted
            else { continue }
            let entries = set.labels.map { (value: DtaColumn.labelValue($0.value), text: Array($0.label.utf8)) }
                .sorted { $0.value < $1.value }
            var texts: [UInt8] = []
            var offs: [Int] = []
            for e in entries {
                offs.append(texts.count)
                texts += NameRules.cut(String(decoding: e.text, as: UTF8.self), maxBytes: 32_000).utf8
                texts.append(0)
            }
            w.ascii("<lbl>")
            w.int32(8 + 8 * entries.count + texts.count)
            w.fixed(name, size: 129)
            w.fixed("", size: 3)
            w.int32(entries.count)
            w.int32(texts.count)
            for o in offs { w.int32(o) }
            for e in entries { w.int32(e.value) }
            w.bytes += texts
            w.ascii("</lbl>")
        }
        w.ascii("</value_labels>")
        try sink.write(w.bytes)
    }
}

/// A temporary file holding bytes until they can be copied into the file being written.
struct Spill {
    private let path: String
    private var file: FileSink

    init(prefix: String) throws(ExportError) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        file = try FileSink(path: path)
    }

    mutating func append(_ bytes: [UInt8]) throws(ExportError) { try file.write(bytes) }

    /// Hands the spilled bytes to `body` in 1 MiB chunks and deletes the file.
    mutating func copy(_ body: ([UInt8]) throws(ExportError) -> Void) throws(ExportError) {
        try file.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io(path: path, message: "cannot reopen the spill file") }
        defer { try? handle.close() }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw .io(path: path, message: "\(error)")
            }
            if chunk.isEmpty { break }
            try body([UInt8](chunk))
        }
    }
}
