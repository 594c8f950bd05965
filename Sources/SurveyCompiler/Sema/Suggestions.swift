/// "Did you mean …?" suggestions by edit distance.
enum Suggestions {
    /// The candidate closest to `name` within a small edit distance, if any (ties: alphabetical).
    static func closest<S: Sequence>(to name: String, in candidates: S) -> String? where S.Element == String {
        let target = Array(name.lowercased().utf8)
        let limit = max(1, min(3, target.count / 3))
        var best: (distance: Int, name: String)? = nil
        // One candidate's bytes and the distance's rows, their room kept from candidate to candidate.
        var c: [UInt8] = []
        var rows = Rows()
        for candidate in candidates {
            c.removeAll(keepingCapacity: true)
            c.append(contentsOf: candidate.lowercased().utf8)
            if abs(c.count - target.count) > limit { continue }
            let d = distance(target, c, limit: limit, rows: &rows)
            guard d <= limit else { continue }
            if let b = best, (b.distance, b.name) <= (d, candidate) { continue }
            best = (d, candidate)
        }
        return best?.name
    }

    /// The three rows of the distance's table in use.
    struct Rows {
        var beforePrevious: [Int] = []
        var previous: [Int] = []
        var current: [Int] = []
    }

    /// Edit distance counting an adjacent swap as one edit (optimal string alignment),
    /// stopping early once it exceeds `limit`; the table's rows are `rows`, their room reused.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int, rows: inout Rows) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        rows.beforePrevious.removeAll(keepingCapacity: true)
        rows.beforePrevious.append(contentsOf: repeatElement(0, count: b.count + 1))
        rows.previous.removeAll(keepingCapacity: true)
        rows.previous.append(contentsOf: 0...b.count)
        rows.current.removeAll(keepingCapacity: true)
        rows.current.append(contentsOf: repeatElement(0, count: b.count + 1))
        for i in 1...a.count {
            rows.current[0] = i
            var rowMin = rows.current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows.current[j] = min(rows.previous[j] + 1, rows.current[j - 1] + 1, rows.previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    rows.current[j] = min(rows.current[j], rows.beforePrevious[j - 2] + 1)
                }
                rowMin = min(rowMin, rows.current[j])
            }
            if rowMin > limit { return rowMin }
            (rows.beforePrevious, rows.previous, rows.current) = (rows.previous, rows.current, rows.beforePrevious)
        }
        return rows.previous[b.count]
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
