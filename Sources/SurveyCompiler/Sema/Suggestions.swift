/// "Did you mean …?" suggestions by edit distance.
enum Suggestions {
    /// The candidate closest to `name` within a small edit distance, if any (ties: alphabetical).
    static func closest<S: Sequence>(to name: String, in candidates: S) -> String? where S.Element == String {
        let target = Array(name.lowercased().utf8)
        let limit = max(1, min(3, target.count / 3))
        var best: (distance: Int, name: String)? = nil
        for candidate in candidates {
            let c = Array(candidate.lowercased().utf8)
            if abs(c.count - target.count) > limit { continue }
            let d = distance(target, c, limit: limit)
            guard d <= limit else { continue }
            if let b = best, (b.distance, b.name) <= (d, candidate) { continue }
            best = (d, candidate)
        }
        return best?.name
    }

    /// Edit distance counting an adjacent swap as one edit (optimal string alignment),
    /// stopping early once it exceeds `limit`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return rowMin }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}

extension Analyzer {
    /// At most this many suggestions are computed per compile, so a huge file full of unknown
    /// names cannot make the compiler quadratic.
    static let suggestionBudget = 200

    /// A "did you mean" candidate, while the budget lasts.
    mutating func suggest<S: Sequence>(to name: String, in candidates: S) -> String? where S.Element == String {
        guard silent == 0, suggestionsMade < Analyzer.suggestionBudget else { return nil }
        suggestionsMade += 1
        return Suggestions.closest(to: name, in: candidates)
    }
}
