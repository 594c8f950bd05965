import Foundation
import SurveyModel

/// Writes one table as an SPSS system file (`.sav`), streaming the cases.
///
/// The dictionary carries variable labels, value labels (with the special answers),
/// user-missing values (the three special codes, discrete), measurement levels (record 7.11),
/// long names (7.13), very long strings (7.14) and the UTF-8 encoding (7.20). Cases are
/// bytecode-compressed unless `compressed` is false. The case count in the header is patched
/// by ``finish()``.
public struct SavWriter<Sink: ByteSink>: ExportWriter {
    public private(set) var sink: Sink
    private let table: ExportTable
    private let layout: SavLayout
    private let codes: SpecialCodes
    private let compressed: Bool
    private var cases = 0
    private var finished = false
    private var compressor = SavCompressor()
    private var raw: [UInt8] = []

    static var sysmis: Double { -Double.greatestFiniteMagnitude }
    static var caseCountOffset: Int { 80 }

    public init(
        table: ExportTable, schema: ExportSchema, sink: Sink, compressed: Bool = true, createdAt: Date = Date()
    ) throws(ExportError) {
        self.sink = sink
        self.table = table
        self.layout = SavLayout(table: table)
        self.codes = schema.specialCodes
        self.compressed = compressed
        var dictionary = SavDictionary(layout: layout, schema: schema, table: table)
        let header = dictionary.encode(compressed: compressed, createdAt: createdAt)
        try self.sink.write(header)
    }

    public mutating func write(_ row: ExportRow) throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "SPSS") }
        guard row.count == layout.variables.count else {
            throw .rowShape(table: table.name, expected: layout.variables.count, got: row.count)
        }
        for (i, v) in layout.variables.enumerated() {
            if v.width == 0 {
                try writeNumber(row[i], v.variable)
            } else {
                try writeString(row[i], v)
            }
        }
        cases += 1
        if compressed {
            if compressor.output.count >= 1 << 16 { try flushCompressed() }
        } else if raw.count >= 1 << 16 {
            try sink.write(raw)
            raw.removeAll(keepingCapacity: true)
        }
    }

    public mutating func finish() throws(ExportError) {
        guard !finished else { throw .alreadyFinished(format: "SPSS") }
        finished = true
        if compressed {
            compressor.end()
            try flushCompressed()
        } else {
            try sink.write(raw)
        }
        var count = ByteWriter()
        count.int32(cases)
        try sink.patch(at: SavWriter.caseCountOffset, count.bytes)
        try sink.close()
    }

    private mutating func flushCompressed() throws(ExportError) {
        let ready = compressor.takeCompleteBlocks()
        if !ready.isEmpty { try sink.write(ready) }
    }

    private mutating func writeNumber(_ cell: Cell, _ v: ExportVariable) throws(ExportError) {
        let value: Double
        switch cell {
        case .empty: value = SavWriter.sysmis
        case .special(let s): value = SavLayout.specialValue(s, codes: codes, type: v.type)
        case .number(let d):
            switch v.type {
            case .date: value = SavLayout.spssSeconds(days: d)
            case .datetime, .localDatetime: value = SavLayout.spssSeconds(milliseconds: d)
            default: value = d
            }
        case .text(let t):
            guard let d = Double(t) else {
                throw .valueOutOfRange(variable: v.name, value: .nan, storage: "numeric (got text '\(t)')")
            }
            value = d
        }
        if compressed {
            compressor.number(value)
        } else {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { raw.append(contentsOf: $0) }
        }
    }

    private mutating func writeString(_ cell: Cell, _ v: SavLayout.Variable) throws(ExportError) {
        let text: String
        switch cell {
        case .empty: text = ""
        case .special(let s): text = String(codes.code(for: s))
        case .text(let t): text = t
        case .number(let d): text = NumberText.decimal(d)
        }
        let bytes = Array(text.utf8)
        guard bytes.count <= v.width else {
            throw .valueTooWide(variable: v.variable.name, bytes: bytes.count, width: v.width)
        }
        var offset = 0
        for segment in v.segments {
            let take = Swift.min(Swift.max(0, bytes.count - offset), segment.width)
            let chunk = bytes[offset..<(offset + take)]
            offset += take
            let padded = segment.slots * 8
            if compressed {
                compressor.string(chunk, paddedTo: padded)
            } else {
                raw.append(contentsOf: chunk)
                raw.append(contentsOf: repeatElement(0x20, count: padded - take))
            }
        }
    }
}

/// SPSS bytecode compression: blocks of eight command bytes, each followed by the 8-byte
/// values its `253` commands announce.
struct SavCompressor {
    private(set) var output: [UInt8] = []
    private var commands: [UInt8] = []
    private var data: [UInt8] = []
    private static let bias = 100.0

    mutating func number(_ value: Double) {
        if value == -Double.greatestFiniteMagnitude {
            command(255)
        } else if value == value.rounded(), value >= 1 - SavCompressor.bias, value <= 251 - SavCompressor.bias {
            command(UInt8(value + SavCompressor.bias))
        } else {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            command(253)
        }
    }

    /// Appends string bytes padded with spaces to `padded` bytes, 8 at a time.
    mutating func string(_ bytes: ArraySlice<UInt8>, paddedTo padded: Int) {
        var i = bytes.startIndex
        var written = 0
        while written < padded {
            let k = Swift.min(8, bytes.endIndex - i)
            if k <= 0 {
                command(254)
            } else {
                data.append(contentsOf: bytes[i..<(i + k)])
                data.append(contentsOf: repeatElement(0x20, count: 8 - k))
                i += k
                command(253)
            }
            written += 8
        }
    }

    /// Pads the last block with zero (no-op) commands.
    mutating func end() {
        guard !commands.isEmpty else { return }
        while commands.count < 8 { commands.append(0) }
        flushBlock()
    }

    mutating func takeCompleteBlocks() -> [UInt8] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }

    private mutating func command(_ c: UInt8) {
        commands.append(c)
        if commands.count == 8 { flushBlock() }
    }

    private mutating func flushBlock() {
        output.append(contentsOf: commands)
        output.append(contentsOf: data)
        commands.removeAll(keepingCapacity: true)
        data.removeAll(keepingCapacity: true)
    }
}
