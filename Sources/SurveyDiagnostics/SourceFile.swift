/// A source file as bytes, with a line table for turning byte offsets into lines and columns.
///
/// The bytes are kept exactly as read, so invalid UTF-8 is preserved; text shown to people is
/// decoded with replacement characters. Offsets everywhere are UTF-8 byte offsets.
public final class SourceFile: Sendable, Hashable, CustomStringConvertible {
    /// The path as given (used in rendered diagnostics).
    public let path: String
    public let bytes: [UInt8]
    /// The byte offset at which each line starts; line 1 starts at offset 0.
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        self.lineStarts = starts
    }

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    public var description: String { path }

    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    public func location(of offset: Int) -> LineColumn {
        let clamped = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        let column = SourceFile.scalarCount(bytes[lineStarts[lo]..<clamped]) + 1
        return LineColumn(line: lo + 1, column: column)
    }

    /// How many Unicode scalars the bytes decode to, as `String(decoding:as: UTF8.self)` decodes
    /// them: a well-formed sequence is one scalar, and so is each maximal ill-formed subpart (its
    /// U+FFFD). Counted without making the string.
    static func scalarCount(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let lead = bytes[i]
            count += 1
            i += 1
            if lead < 0x80 { continue }
            // The sequence's length and the range its second byte must fall in.
            let length: Int, second: ClosedRange<UInt8>
            switch lead {
            case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
            case 0xE0: (length, second) = (3, 0xA0...0xBF)
            case 0xED: (length, second) = (3, 0x80...0x9F)
            case 0xE1...0xEF: (length, second) = (3, 0x80...0xBF)
            case 0xF0: (length, second) = (4, 0x90...0xBF)
            case 0xF4: (length, second) = (4, 0x80...0x8F)
            case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
            default: continue  // a continuation byte or one that starts nothing: alone
            }
            // The longest well-formed prefix of the sequence makes one scalar (or one U+FFFD).
            guard i < bytes.endIndex, second.contains(bytes[i]) else { continue }
            i += 1
            for _ in 2..<length {
                guard i < bytes.endIndex, bytes[i] & 0xC0 == 0x80 else { break }
                i += 1
            }
        }
        return count
    }

    /// The text of a 1-based line without its line break (invalid UTF-8 replaced).
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The text of a byte range (invalid UTF-8 replaced).
    public func text(in range: Range<Int>) -> String {
        let lo = max(0, min(range.lowerBound, bytes.count)), hi = max(lo, min(range.upperBound, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    public static func == (a: SourceFile, b: SourceFile) -> Bool {
        a === b || (a.path == b.path && a.bytes == b.bytes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(bytes.count)
    }
}

/// A 1-based line and column.
public struct LineColumn: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A range of UTF-8 byte offsets in a source file.
public struct SourceRange: Hashable, Sendable {
    public var file: SourceFile
    public var start: Int
    public var end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The range from the start of `self` to the end of `other` (same file).
    public func to(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: start, end: max(end, other.end))
    }

    public var startLocation: LineColumn { file.location(of: start) }
    public var endLocation: LineColumn { file.location(of: end) }
}
