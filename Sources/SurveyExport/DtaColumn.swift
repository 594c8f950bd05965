import SurveyModel

/// A Stata storage type chosen for a variable, and how its cells are encoded.
struct DtaColumn {
    enum Storage {
        case byte, int, long, double
        case str(Int)
        /// Texts longer than 2045 bytes: an 8-byte reference in the data, the text in `<strls>`.
        case strL
    }

    let variable: ExportVariable
    let storage: Storage

    private init(variable: ExportVariable, storage: Storage) {
        self.variable = variable
        self.storage = storage
    }

    /// A fixed-width text column stored `width` bytes wide (at least 1) instead of its declared width.
    func narrowed(to width: Int) -> DtaColumn {
        DtaColumn(variable: variable, storage: .str(Swift.max(1, width)))
    }

    /// The bytes one cell takes in a row.
    var byteSize: Int {
        switch storage {
        case .byte: 1
        case .int: 2
        case .long: 4
        case .double, .strL: 8
        case .str(let n): n
        }
    }

    init(_ variable: ExportVariable) {
        self.variable = variable
        switch variable.type {
        case .integer(let r):
            if r.lowerBound >= -127, r.upperBound <= 100 {
                storage = .byte
            } else if r.lowerBound >= -32_767, r.upperBound <= 32_740 {
                storage = .int
            } else if r.lowerBound >= -2_147_483_647, r.upperBound <= 2_147_483_620 {
                storage = .long
            } else {
                storage = .double
            }
        case .date: storage = .long
        case .decimal, .datetime, .localDatetime: storage = .double
        case .string(let w): storage = w > 2045 ? .strL : .str(Swift.max(1, w))
        }
    }

    var isString: Bool {
        switch storage {
        case .str, .strL: return true
        default: return false
        }
    }

    var typeCode: UInt16 {
        switch storage {
        case .byte: 65530
        case .int: 65529
        case .long: 65528
        case .double: 65526
        case .str(let n): UInt16(n)
        case .strL: 32768
        }
    }

    var format: String {
        switch (variable.type, storage) {
        case (.date, _): "%td"
        case (.datetime, _), (.localDatetime, _): "%tc"
        case (.decimal(let p), _): p > 0 ? "%10.\(p)f" : "%12.0g"
        case (_, .str(let n)): "%-\(n)s"
        case (_, .strL): "%-9s"
        default: "%8.0g"
        }
    }

    /// Seconds between 1960-01-01 and 1970-01-01 times 1000, and days between them.
    static let msFrom1960 = 315_619_200_000.0
    static let daysFrom1960 = 3653.0

    /// The int32 a value label uses: the code, or the `long` encoding of `.a`–`.c`.
    static func labelValue(_ v: LabelledValue) -> Int32 {
        switch v {
        case .code(let c): Int32(truncatingIfNeeded: c)
        case .special(let s): Int32(2_147_483_621 + StataMissing.index(s))
        }
    }

    /// Encodes a cell; returns the bytes of a text's value (0 for numbers).
    @discardableResult
    func encode(_ cell: Cell, codes: SpecialCodes, into w: inout ByteWriter) throws(ExportError) -> Int {
        if case .str(let n) = storage { return try encodeString(cell, width: n, codes: codes, into: &w) }
        let missingIndex: Int?
        var value = 0.0
        switch cell {
        case .empty: missingIndex = 0
        case .special(let s): missingIndex = StataMissing.index(s)
        case .number(let d):
            missingIndex = nil
            switch variable.type {
            case .date: value = d + DtaColumn.daysFrom1960
            case .datetime, .localDatetime: value = d + DtaColumn.msFrom1960
            default: value = d
            }
        case .text(let t):
            guard let d = Double(t) else {
                throw .valueOutOfRange(variable: variable.name, value: .nan, storage: "numeric (got text '\(t)')")
            }
            missingIndex = nil
            value = d
        }
        switch storage {
        case .byte: w.int8(Int8(try integer(value, missingIndex, valid: -127...100, missingBase: 101)))
        case .int: w.int16(Int16(try integer(value, missingIndex, valid: -32_767...32_740, missingBase: 32_741)))
        case .long:
            w.int32(Int32(try integer(value, missingIndex, valid: -2_147_483_647...2_147_483_620, missingBase: 2_147_483_621)))
        case .double:
            if let m = missingIndex {
                w.uint64(0x7FE0_0000_0000_0000 + UInt64(m) << 40)
            } else {
                w.double(value)
            }
        case .str, .strL: break
        }
        return 0
    }

    private func integer(_ value: Double, _ missing: Int?, valid: ClosedRange<Int>, missingBase: Int) throws(ExportError) -> Int {
        if let m = missing { return missingBase + m }
        guard value == value.rounded(), value >= Double(valid.lowerBound), value <= Double(valid.upperBound) else {
            throw .valueOutOfRange(variable: variable.name, value: value, storage: "Stata \(storage)")
        }
        return Int(value)
    }

    /// The text a string cell holds: special answers as their codes.
    static func text(_ cell: Cell, codes: SpecialCodes) -> String {
        switch cell {
        case .empty: ""
        case .special(let s): String(codes.code(for: s))
        case .text(let t): t
        case .number(let d): NumberText.decimal(d)
        }
    }

    private func encodeString(_ cell: Cell, width: Int, codes: SpecialCodes, into w: inout ByteWriter) throws(ExportError) -> Int {
        let text = DtaColumn.text(cell, codes: codes)
        let count = text.utf8.count
        guard count <= width else { throw .valueTooWide(variable: variable.name, bytes: count, width: width) }
        w.bytes.append(contentsOf: text.utf8)
        w.bytes.append(contentsOf: repeatElement(0, count: width - count))
        return count
    }
}
