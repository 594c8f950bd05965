import SurveyModel

/// A streaming writer of one table: rows go out as they come, nothing is kept per row.
///
/// Two methods, as in CSPro's export writers: ``write(_:)`` for each row, ``finish()`` once
/// at the end (it patches header fields such as the case count and closes the sink).
public protocol ExportWriter {
    /// Writes one row; its cells follow the table's variables.
    mutating func write(_ row: ExportRow) throws(ExportError)
    /// Completes the file; no rows may follow.
    mutating func finish() throws(ExportError)
}

/// Little-endian encoding into a byte array, shared by the binary writers.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func int8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    mutating func uint8(_ v: UInt8) { bytes.append(v) }
    mutating func int16(_ v: Int16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func uint16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int32(_ v: Int) { int32(Int32(truncatingIfNeeded: v)) }
    mutating func uint64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ v: Double) { uint64(v.bitPattern) }
    mutating func ascii(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Text in exactly `size` bytes: cut (on a character boundary) or padded with `pad`.
    mutating func fixed(_ s: String, size: Int, pad: UInt8 = 0) {
        let cut = NameRules.cut(s, maxBytes: size)
        bytes.append(contentsOf: cut.utf8)
        bytes.append(contentsOf: repeatElement(pad, count: size - cut.utf8.count))
    }
}

/// Calendar conversions shared by the writers.
enum Calendar1970 {
    /// `YYYY-MM-DDTHH:MM:SSZ` for milliseconds since the epoch.
    /// `YYYY-MM-DDThh:mm:ss` and the zone designator (`Z` for UTC, empty for local time).
    static func isoDateTime(milliseconds ms: Int64, zone: String = "Z") -> String {
        let days = Int((Double(ms) / 86_400_000).rounded(.down))
        let secs = Int(ms / 1000 - Int64(days) * 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(LocalDate(daysSinceEpoch: days))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))\(zone)"
    }
}
