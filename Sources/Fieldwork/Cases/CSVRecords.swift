import Foundation

/// The records of a CSV file (RFC 4180), each with the line it starts on, for messages that
/// name `FILE:LINE`.
///
/// Fields are separated by commas — or by semicolons when the header line has semicolons and
/// no comma, as spreadsheets in Hungarian settings save CSV. A field in double quotes may hold
/// separators, line breaks and doubled quotes (`""`). Lines end in LF or CRLF; a UTF-8 byte
/// order mark at the start is skipped; a last line without a line break is read. Written for
/// bytes rather than `String`s: a 100,000-row sample is read in a fraction of the time SQLite
/// takes to store it (docs/performance.md).
struct CSVRecords {
    /// One record: its fields, and the line (from 1) it starts on.
    struct Record {
        var fields: [String]
        var line: Int
    }

    /// Why the file cannot be read as CSV at all (reported with its line).
    enum Failure: Error, Equatable {
        /// A quoted field runs to the end of the file.
        case unterminatedQuote(line: Int)
        /// A quote inside a field that does not start with one, or text after a closing quote.
        case strayQuote(line: Int)
        /// The bytes are not UTF-8.
        case notUTF8(line: Int)
        /// A field longer than ``maxFieldBytes``.
        case fieldTooLong(line: Int)
    }

    /// A field may hold at most this many bytes (no preload comes near; a hostile file stops here).
    static let maxFieldBytes = 1 << 16

    private let bytes: [UInt8]
    private var position: Int
    private var line = 1
    let separator: UInt8

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        separator = CSVRecords.separator(in: bytes[position...])
    }

    /// `;` when the first line has semicolons and no comma (outside quotes), else `,`.
    private static func separator(in bytes: ArraySlice<UInt8>) -> UInt8 {
        var commas = 0, semicolons = 0, quoted = false
        for b in bytes {
            if b == 0x22 { quoted.toggle() }
            if quoted { continue }
            if b == 0x0A { break }
            if b == 0x2C { commas += 1 } else if b == 0x3B { semicolons += 1 }
        }
        return semicolons > 0 && commas == 0 ? 0x3B : 0x2C
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    mutating func next() throws(Failure) -> Record? {
        var fields: [String] = []
        return try next(into: &fields).map { Record(fields: fields, line: $0) }
    }

    /// The next record's fields in `fields` (what it held is removed, its storage kept: one
    /// array for every record) and the line it starts on, or nil at the end of the file.
    mutating func next(into fields: inout [String]) throws(Failure) -> Int? {
        while position < bytes.count, bytes[position] == 0x0A || bytes[position] == 0x0D {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }
        guard position < bytes.count else { return nil }
        let start = line
        fields.removeAll(keepingCapacity: true)
        while true {
            let (field, ended) = try nextField()
            fields.append(field)
            if ended { return start }
        }
    }

    /// One field; `ended` when the record ends after it.
    private mutating func nextField() throws(Failure) -> (String, ended: Bool) {
        if position < bytes.count, bytes[position] == 0x22 { return try quotedField() }
        let begin = position
        var high: UInt8 = 0  // every byte's bits: below 0x80 when the field is ASCII
        while position < bytes.count {
            let b = bytes[position]
            if b == separator || b == 0x0A { break }
            if b == 0x22 { throw .strayQuote(line: line) }
            high |= b
            position += 1
        }
        var end = position
        if end > begin, bytes[end - 1] == 0x0D { end -= 1 }
        guard end - begin <= Self.maxFieldBytes else { throw .fieldTooLong(line: line) }
        let text = try high < 0x80 ? ascii(begin..<end) : text(bytes[begin..<end])
        return (text, try finishField())
    }

    private mutating func quotedField() throws(Failure) -> (String, ended: Bool) {
        let opened = line
        position += 1
        var out: [UInt8] = []
        while true {
            guard position < bytes.count else { throw .unterminatedQuote(line: opened) }
            let b = bytes[position]
            position += 1
            if b == 0x22 {
                if position < bytes.count, bytes[position] == 0x22 {
                    out.append(0x22)
                    position += 1
                    continue
                }
                break
            }
            if b == 0x0A { line += 1 }
            out.append(b)
            guard out.count <= Self.maxFieldBytes else { throw .fieldTooLong(line: opened) }
        }
        if position < bytes.count, bytes[position] == 0x0D { position += 1 }
        guard position >= bytes.count || bytes[position] == separator || bytes[position] == 0x0A else {
            throw .strayQuote(line: line)
        }
        return (try text(out[...]), try finishField())
    }

    /// Steps over the separator or line break after a field; true at the end of a record.
    private mutating func finishField() throws(Failure) -> Bool {
        guard position < bytes.count else { return true }
        let b = bytes[position]
        position += 1
        if b == 0x0A {
            line += 1
            return true
        }
        return false
    }

    /// A field of ASCII bytes (found while scanning it): valid UTF-8, nothing to check.
    private func ascii(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private func text(_ slice: ArraySlice<UInt8>) throws(Failure) -> String {
        let text = String(decoding: slice, as: UTF8.self)
        if slice.withUnsafeBufferPointer({ $0.allSatisfy { $0 < 0x80 } }) { return text }
        // Decoding repairs invalid UTF-8 (each bad part becomes U+FFFD, never the same bytes),
        // so equal bytes mean valid. String(validating:as:) said the same but instantiated
        // generic metadata on every call: a seventh of the sample import.
        let same = slice.withUnsafeBufferPointer { a in
            text.utf8.withContiguousStorageIfAvailable { b in
                guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == b.count }
                return a.count == b.count && memcmp(x, y, a.count) == 0
            }
        }
        guard same ?? text.utf8.elementsEqual(slice) else { throw .notUTF8(line: line) }
        return text
    }
}
