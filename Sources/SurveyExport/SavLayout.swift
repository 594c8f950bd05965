import SurveyModel

/// How a table's variables map onto SPSS system-file variable records and 8-byte slots.
///
/// A numeric variable is one slot. A string of width w ≤ 255 is one record plus continuation
/// records for ⌈w/8⌉ slots. A very long string (w > 255) is split into segments of 255 bytes
/// (the last one w − 252·(n−1) wide), each its own record with a generated short name.
struct SavLayout {
    struct Segment {
        /// 0 for numeric, else the segment's string width in bytes.
        var width: Int
        var shortName: String
        /// 1-based dictionary index of its first record.
        var dictionaryIndex: Int
        var slots: Int { width == 0 ? 1 : (width + 7) / 8 }
    }

    struct Variable {
        var variable: ExportVariable
        var segments: [Segment]
        /// The full string width (0 for numeric).
        var width: Int
    }

    var variables: [Variable] = []
    var totalSlots = 0

    init(table: ExportTable) {
        var used = Set<String>()
        var next = 1
        for v in table.variables {
            var width = 0
            if case .string(let w) = v.type { width = Swift.max(1, Swift.min(w, 32_767)) }
            var widths = [width]
            if width > 255 {
                let n = (width + 251) / 252
                widths = Array(repeating: 255, count: n - 1) + [width - (n - 1) * 252]
            }
            let base = SavLayout.shortName(for: v.name, used: &used)
            var segments: [Segment] = []
            for (i, w) in widths.enumerated() {
                let name = i == 0 ? base : SavLayout.shortName(for: String(base.prefix(5)) + "\(i)", used: &used)
                let segment = Segment(width: w, shortName: name, dictionaryIndex: next)
                next += segment.slots
                segments.append(segment)
            }
            variables.append(Variable(variable: v, segments: segments, width: width))
        }
        totalSlots = next - 1
    }

    /// An upper-case name of at most 8 characters, unique among `used`.
    static func shortName(for long: String, used: inout Set<String>) -> String {
        let base = String(long.uppercased().prefix(8))
        var candidate = base
        var n = 1
        while used.contains(candidate) {
            let suffix = "_\(n)"
            candidate = String(base.prefix(8 - suffix.count)) + suffix
            n += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// The print/write format word: type << 16 | width << 8 | decimals.
    static func format(_ type: ExportType, segmentWidth: Int) -> Int32 {
        switch type {
        case .integer(let r):
            let digits = Swift.max(String(r.lowerBound).count, String(r.upperBound).count, 2)
            return Int32(5 << 16 | Swift.min(40, digits + 1) << 8)
        case .decimal(let places):
            let p = Swift.min(16, Swift.max(0, places))
            return Int32(5 << 16 | Swift.min(40, 10 + p) << 8 | p)
        case .date: return Int32(20 << 16 | 11 << 8)
        case .datetime, .localDatetime: return Int32(22 << 16 | 20 << 8)
        case .string: return Int32(1 << 16 | Swift.min(255, segmentWidth) << 8)
        }
    }

    /// The value a special answer is stored as in a numeric variable: its code, except in dates
    /// and date-times, where the code counts days before the SPSS calendar's start, 14 Oct 1582
    /// (-7 → 7 Oct 1582, -8 → 6 Oct, -9 → 5 Oct). A raw -8 in a date would be a few seconds before
    /// midnight, and readers that convert dates lose the difference between the codes (pyreadstat
    /// shows all three as 13 Oct 1582); whole days stay apart in every reader (docs/exports.md).
    static func specialValue(_ s: SpecialAnswer, codes: SpecialCodes, type: ExportType) -> Double {
        let code = Double(codes.code(for: s))
        return type.isCalendar ? code * 86_400 : code
    }

    /// The user-missing range of a date or date-time variable: from the lowest special day to
    /// 12 Oct 1582. The upper bound, -141,430, means 12 Oct 1582 both as SPSS seconds and as
    /// days since 1970 (the one value where the two nearly agree), so a reader that compares
    /// the range with dates converted to days (haven 2.5 with `user_na = TRUE`) flags the same
    /// special days as SPSS, PSPP and pyreadstat, and no real date.
    static func dateMissingRange(codes: SpecialCodes) -> (low: Double, high: Double) {
        let lowest = [SpecialAnswer.notApplicable, .dontKnow, .refused].map { specialValue($0, codes: codes, type: .date) }.min() ?? 0
        return (lowest, -141_430)
    }

    /// Days since 1970 to SPSS seconds since 1582-10-14.
    static func spssSeconds(days: Double) -> Double { (days + 141_428) * 86_400 }

    /// Milliseconds since 1970 to SPSS seconds since 1582-10-14.
    static func spssSeconds(milliseconds: Double) -> Double { milliseconds / 1000 + 12_219_379_200 }
}
