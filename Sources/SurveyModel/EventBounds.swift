/// The ranges every number in an event must lie in before terep computes with it: what a
/// bundle (or any file) brings is checked against these once, where it is read, so later
/// arithmetic (sequence ranges, durations, exports, calculations) never overflows.
///
/// Each bound is far beyond what a device produces: sequence numbers up to 2^53 are 285,000
/// years of 1,000 events a second; timestamps span 1970 to the end of year 9999; numbers up to
/// ±2^53 are exact in the doubles SPSS, Stata and R store.
public enum EventBounds {
    /// Sequence numbers: from 1 to 2^53.
    public static let sequences: ClosedRange<Int64> = 1...(1 << 53)
    /// Timestamps: milliseconds from 1970-01-01 to 9999-12-31T23:59:59.999Z.
    public static let timestamps: ClosedRange<Int64> = 0...253_402_300_799_999
    /// Whole numbers (answers, codes, outcomes, preloads): ±2^53.
    public static let integers: ClosedRange<Int> = -(1 << 53)...(1 << 53)
    /// Decimal answers: within ±2^53, so rounding one to a whole number never overflows.
    public static let decimals: ClosedRange<Double> = -9_007_199_254_740_992...9_007_199_254_740_992
    /// Roster row numbers: from 1 to 2^31 − 1 (a roster's own limit is checked against its definition).
    public static let rows: ClosedRange<Int> = 1...Int(Int32.max)

    /// Why a number in the event is out of range (or a text the stores keep as SQL text holds a
    /// NUL character), or nil when every number is within bounds.
    public static func problem(with event: InterviewEvent) -> String? {
        guard sequences.contains(event.sequence) else {
            return "sequence number \(event.sequence) is out of range (\(sequences.lowerBound) to \(sequences.upperBound))"
        }
        // SQLite cuts a bound text at a NUL (so a merged event was stored changed, and the same
        // event sent again "differed" from it: found by FuzzMerge) and PostgreSQL refuses one.
        for (what, text) in [
            ("device", event.device.rawValue), ("interview", event.interview.rawValue), ("interviewer", event.interviewer),
        ]
        where text.utf8.contains(0) {
            return
                "event \(event.sequence) has a NUL character (U+0000) in its \(what), which no store keeps"
        }
        guard timestamps.contains(event.timestamp) else {
            return "event \(event.sequence) has timestamp \(event.timestamp), outside 1970–9999 "
                + "(\(timestamps.lowerBound) to \(timestamps.upperBound) ms)"
        }
        return problem(with: event.kind).map { "event \(event.sequence) \($0)" }
    }

    private static func problem(with kind: InterviewEventKind) -> String? {
        switch kind {
        case .started(_, _, _, let preload):
            for (name, value) in preload.sorted(by: { $0.key < $1.key }) {
                if let why = problem(with: value) { return "preloads \(name) with \(why)" }
            }
            return nil
        case .answered(let address, let answer):
            if let why = problem(with: address.rows) { return "answers \(address.variable) at \(why)" }
            guard case .value(let value) = answer, let why = problem(with: value) else { return nil }
            return "answers \(address) with \(why)"
        case .cleared(let address), .shown(let address):
            return problem(with: address.rows).map { "names \(address.variable) at \($0)" }
        case .note(let address, _):
            return address.flatMap { a in problem(with: a.rows).map { "names \(a.variable) at \($0)" } }
        case .rowAdded(let roster, let parents), .rowRemoved(let roster, let parents):
            return problem(with: parents).map { "names roster \(roster) under \($0)" }
        case .warningConfirmed(let check, let rows, _):
            return problem(with: rows).map { "confirms \(check) at \($0)" }
        case .ended(let outcome):
            return integers.contains(outcome) ? nil : "has outcome code \(outcome), out of range (±2^53)"
        case .assignedCase(let id):
            return CaseID.problem(with: id.rawValue).map { "names case '\(DisplayText.escaped(id.rawValue))': \($0)" }
        case .languageChanged, .reopened, .trainingMarked:
            return nil
        }
    }

    private static func problem(with rows: [Int]) -> String? {
        guard let bad = rows.first(where: { !Self.rows.contains($0) }) else { return nil }
        return "row \(bad), out of range (\(Self.rows.lowerBound) to \(Self.rows.upperBound))"
    }

    private static func problem(with value: Value) -> String? {
        switch value {
        case .integer(let n), .choice(let n):
            integers.contains(n) ? nil : "the number \(n), out of range (±2^53)"
        case .choices(let codes):
            codes.first { !integers.contains($0) }.map { "the code \($0), out of range (±2^53)" }
        case .decimal(let d):
            decimals.contains(d) ? nil : "the number \(d), out of range (±2^53)"
        case .datetime(let t):
            (1...9999).contains(t.date.year) ? nil : "the date and time \(t), out of range (years 1 to 9999)"
        case .text, .boolean, .date, .time:
            nil
        }
    }
}
