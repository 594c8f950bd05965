import Foundation
import SurveyModel

/// Writes one table as a Stata format-118 dataset (`.dta`, UTF-8), streaming the observations.
///
/// Special answers become extended missing values with labels: `.a` not applicable, `.b`
/// don't know, `.c` refused (see ``StataMissing``). Dates are `%td`, timestamps `%tc`. The
/// observation count and the section map are patched by ``finish()``.
public struct DtaWriter<Sink: ByteSink>: ExportWriter {
    public private(set) var sink: Sink
    private let table: ExportTable
    private let schema: ExportSchema
    private let columns: [DtaColumn]
    private var observations = 0
    private var finished = false
    private var offsets = [Int](repeating: 0, count: 14)
    private var countOffset = 0
    private var mapOffset = 0
    private var row = ByteWriter()
    private var buffer: [UInt8] = []
    /// strL texts wait in a temporary file until the data section is complete.
    private var strls: StrLSpill?

    /// The longest fixed string Stata stores; wider text variables are written as strL.
    public static var maxStringWidth: Int { 2045 }

    public init(table: ExportTable, schema: ExportSchema, sink: Sink, createdAt: Date = Date()) throws(ExportError) {
        self.sink = sink
        self.table = table
        self.schema = schema
        self.columns = table.variables.map(DtaColumn.init)
        if columns.contains(where: { if case .strL = $0.storage { true } else { false } }) { strls = try StrLSpill() }
        try writeHeader(createdAt: createdAt)
    }

    public mutating func write(_ cells: ExportRow) throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "Stata") }
        guard cells.count == columns.count else {
            throw .rowShape(table: table.name, expected: columns.count, got: cells.count)
        }
        for i in 0..<cells.count {
            if case .strL = columns[i].storage {
                try writeStrL(cells[i], variable: i + 1, observation: observations + 1)
            } else {
                try columns[i].encode(cells[i], codes: schema.specialCodes, into: &row)
            }
        }
        buffer += row.bytes
        row.bytes.removeAll(keepingCapacity: true)
        observations += 1
        if buffer.count >= 1 << 16 {
            try sink.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    public mutating func finish() throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "Stata") }
        finished = true
        try sink.write(buffer)
        try tag("</data>")
        offsets[10] = sink.position
        try tag("<strls>")
        if var spill = strls { try spill.copy(into: &sink) }
        try tag("</strls>")
        offsets[11] = sink.position
        try writeValueLabels()
        offsets[12] = sink.position
        try tag("</stata_dta>")
        offsets[13] = sink.position
        var n = ByteWriter()
        n.uint64(UInt64(observations))
        try sink.patch(at: countOffset, n.bytes)
        var map = ByteWriter()
        for o in offsets { map.uint64(UInt64(o)) }
        try sink.patch(at: mapOffset, map.bytes)
        try sink.close()
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

    private mutating func writeHeader(createdAt: Date) throws(ExportError) {
        var h = ByteWriter()
        h.ascii("<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>")
        h.uint16(UInt16(columns.count))
        h.ascii("</K><N>")
        countOffset = h.bytes.count
        h.uint64(0)
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
        mapOffset = sink.position + m.bytes.count
        for _ in 0..<14 { m.uint64(0) }
        m.ascii("</map>")
        try sink.write(m.bytes)
        try writeDescriptors()
    }

    private mutating func writeDescriptors() throws(ExportError) {
        let columns = self.columns
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
        try section(8, "characteristics") { _ in }
        offsets[9] = sink.position
        try tag("<data>")
    }

    /// Every label set a numeric column uses, as `<lbl>` tables with the extended missing values.
    private mutating func writeValueLabels() throws(ExportError) {
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

/// A temporary file holding strL records until they can follow the data section.
struct StrLSpill {
    private let path: String
    private var file: FileSink

    init() throws(ExportError) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("terep-strl-\(UUID().uuidString)").path
        file = try FileSink(path: path)
    }

    mutating func append(_ bytes: [UInt8]) throws(ExportError) { try file.write(bytes) }

    /// Copies the spilled records into `sink` in 1 MiB chunks and deletes the file.
    mutating func copy<Sink: ByteSink>(into sink: inout Sink) throws(ExportError) {
        try file.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io(path: path, message: "cannot reopen the strL spill file") }
        defer { try? handle.close() }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw .io(path: path, message: "\(error)")
            }
            if chunk.isEmpty { break }
            try sink.write([UInt8](chunk))
        }
    }
}
