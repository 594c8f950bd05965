/// A set of `Int64` sequence numbers kept as sorted, disjoint, non-adjacent closed ranges: the
/// one rule for a device's received ranges.
///
/// The central dataset keeps one per device: which of the device's event sequence numbers it
/// holds. A merge joins a bundle's numbers into it (``insert(_:)-(ClosedRange<Int64>)``: the
/// store keeps what this gives), ``gaps`` are the missing events `terep central status` and
/// the report show, in the text form `1-40,42,45-60` (``text(_:)``).
public struct SequenceRanges: Hashable, Sendable, CustomStringConvertible {
    /// The ranges, ascending; no two overlap or touch.
    public private(set) var ranges: [ClosedRange<Int64>] = []

    public init() {}

    public init<S: Sequence>(_ numbers: S) where S.Element == Int64 {
        for n in numbers { insert(n) }
    }

    /// The union of some ranges (in any order, overlapping or not).
    public init(ranges: some Sequence<ClosedRange<Int64>>) {
        for r in ranges { insert(r) }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// How many numbers the set holds.
    public var count: Int64 {
        ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound + 1) }
    }

    /// The largest number held, if any.
    public var max: Int64? { ranges.last?.upperBound }

    /// Whether `n` is in the set (binary search).
    public func contains(_ n: Int64) -> Bool {
        guard let i = indexOfFirstRange(endingAtOrAfter: n) else { return false }
        return ranges[i].contains(n)
    }

    /// Whether every number of `range` is in the set.
    public func contains(_ range: ClosedRange<Int64>) -> Bool {
        guard let i = indexOfFirstRange(endingAtOrAfter: range.lowerBound) else { return false }
        return ranges[i].lowerBound <= range.lowerBound && ranges[i].upperBound >= range.upperBound
    }

    public mutating func insert(_ n: Int64) { insert(n...n) }

    /// Adds every number of `range`, merging with overlapping or adjacent ranges.
    public mutating func insert(_ range: ClosedRange<Int64>) {
        var low = range.lowerBound
        var high = range.upperBound
        // First range that could touch: its upper bound ≥ low - 1.
        let start = indexOfFirstRange(endingAtOrAfter: low == .min ? low : low - 1) ?? ranges.count
        var end = start
        while end < ranges.count, high == .max || ranges[end].lowerBound <= high + 1 {
            low = Swift.min(low, ranges[end].lowerBound)
            high = Swift.max(high, ranges[end].upperBound)
            end += 1
        }
        ranges.replaceSubrange(start..<end, with: [low...high])
    }

    /// Adds every number of another set.
    public mutating func formUnion(_ other: SequenceRanges) {
        for r in other.ranges { insert(r) }
    }

    /// The ranges within `1...upTo` that the set does not hold, ascending.
    ///
    /// With `upTo` the highest sequence number seen from a device, these are the gaps: events
    /// the device wrote that the central dataset has not received.
    public func missing(upTo last: Int64) -> [ClosedRange<Int64>] {
        guard last >= 1 else { return [] }
        var gaps: [ClosedRange<Int64>] = []
        var next: Int64 = 1
        for r in ranges {
            if r.upperBound < next { continue }
            if r.lowerBound > last { break }
            if r.lowerBound > next { gaps.append(next...(r.lowerBound - 1)) }
            if r.upperBound >= last { return gaps }
            next = r.upperBound + 1
        }
        if next <= last { gaps.append(next...last) }
        return gaps
    }

    /// The gaps up to the largest number held.
    public var gaps: [ClosedRange<Int64>] { max.map { missing(upTo: $0) } ?? [] }

    /// `1-40,42,45-60`.
    public var description: String { SequenceRanges.text(ranges) }

    /// Formats ranges as `1-40,42,45-60`.
    public static func text(_ ranges: [ClosedRange<Int64>]) -> String {
        ranges.map(text).joined(separator: ",")
    }

    /// Formats one range as `1-40`, or `42` when it holds one number.
    public static func text(_ range: ClosedRange<Int64>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }

    /// Index of the first range whose upper bound is ≥ n, or nil.
    private func indexOfFirstRange(endingAtOrAfter n: Int64) -> Int? {
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < n { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count ? lo : nil
    }
}
