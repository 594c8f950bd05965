import Foundation
import SurveyModel

/// Analysts' corrections and exclusions, kept in a text file beside the exports
/// (e.g. `exports/wellbeing.corrections`) and applied to each interview before it is exported.
///
/// ```
/// # one instruction per line; the reason after ' : ' (spaces around the colon) is required
/// set 0b7e4a52-… m_age[2] = 45 : age confirmed by phone
/// set 0b7e4a52-… nb_prob = 1 3 : codes separated by spaces
/// set 0b7e4a52-… life_sat = dk : special answers: dk, rf, na
/// exclude 0b7e4a52-… : training interview
/// ```
///
/// The raw data is never modified: corrections change the ``InterviewRecord`` handed to the
/// writers, and every applied one is reported for the export log.
public struct Corrections: Sendable {
    /// One parsed instruction.
    public struct Entry: Hashable, Sendable {
        public enum Action: Hashable, Sendable {
            case set(Address, Answer)
            case exclude
        }

        public var line: Int
        public var interview: InterviewID
        public var action: Action
        public var reason: String
        /// The rosters around a `set` line's variable, outermost first (for its row numbers).
        public var rosters: [GroupID] = []
    }

    public private(set) var entries: [Entry] = []
    /// The file name, for messages.
    public let file: String
    private var byInterview: [InterviewID: [Entry]] = [:]

    /// Parses and validates a corrections file against the definition; the first problem is
    /// an error naming its line.
    public init(text: String, file: String, definition: SurveyDefinition) throws(CorrectionError) {
        let index = SurveyIndex(definition)
        try self.init(text: text, file: file, index: { _ in index })
    }

    /// Parses and validates a corrections file, each `set` line against the definition of the
    /// interview it names (`index` gives it; interviews were made with several questionnaire
    /// versions); the first problem is an error naming its line.
    public init(text: String, file: String, index: (InterviewID) -> SurveyIndex) throws(CorrectionError) {
        self.file = file
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces()
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let entry = try Corrections.parse(line, number: n + 1, file: file, index: index)
            entries.append(entry)
            byInterview[entry.interview, default: []].append(entry)
        }
    }

    /// Lines naming interviews that are not in `known` (an error for the CLI to report).
    public func unknownInterviews(known: Set<InterviewID>) -> [Entry] {
        entries.filter { !known.contains($0.interview) }
    }

    /// Whether an interview is excluded, and the entry that excludes it.
    public func exclusion(of id: InterviewID) -> Entry? {
        byInterview[id]?.first { $0.action == .exclude }
    }

    /// The interviews that `set` lines name, in file order.
    public var correctedInterviews: [InterviewID] {
        var seen = Set<InterviewID>()
        return entries.compactMap { e in
            if case .set = e.action, seen.insert(e.interview).inserted { return e.interview }
            return nil
        }
    }

    /// The `set` lines of an interview.
    public func setLines(of id: InterviewID) -> [Entry] {
        (byInterview[id] ?? []).filter { if case .set = $0.action { true } else { false } }
    }

    /// Applies the `set` lines of one cleaned interview; returns what changed, for the log.
    ///
    /// A line that would put a value where the interview has none to correct is an error at its
    /// line: a row beyond the roster's row count in this interview, or a question off route in it
    /// (exported as not applicable; corrections do not re-run routing, so correct the answer that
    /// routes it instead).
    public func apply(to record: inout InterviewRecord) throws(CorrectionError) -> [AppliedCorrection] {
        guard let list = byInterview[record.id] else { return [] }
        var applied: [AppliedCorrection] = []
        for e in list {
            guard case .set(let address, let answer) = e.action else { continue }
            try check(e, address: address, answer: answer, in: record)
            applied.append(AppliedCorrection(entry: e, previous: record.answers[address]))
            record.answers[address] = answer
        }
        return applied
    }

    private func check(_ e: Entry, address: Address, answer: Answer, in record: InterviewRecord) throws(CorrectionError) {
        func fail(_ message: String) -> CorrectionError { CorrectionError(file: file, line: e.line, message: message) }
        for (depth, roster) in e.rosters.enumerated() where depth < address.rows.count {
            let parent = Array(address.rows[..<depth])
            // Cleaned records list every roster instance; otherwise the highest row answers use.
            let rows =
                record.rosterRows[RosterInstance(roster, parentRows: parent)]
                ?? record.answers.keys.filter { $0.rows.count > depth && Array($0.rows[..<depth]) == parent }.map { $0.rows[depth] }.max()
                ?? 0
            if address.rows[depth] > rows {
                let under = depth == 0 ? "" : " under row(s) \(address.rows[..<depth].map(String.init).joined(separator: ","))"
                throw fail(
                    "\(address): interview \(record.id) has \(rows) row(s) in roster '\(roster)'\(under), so row "
                        + "\(address.rows[depth]) does not exist; use a row from 1 to \(rows)")
            }
        }
        if record.answers[address] == .special(.notApplicable), answer != .special(.notApplicable) {
            throw fail(
                "\(address) is off route in interview \(record.id) (not applicable, -7): a value there would "
                    + "contradict the routing; corrections do not re-run routing, so correct the answer that routes it instead")
        }
    }

    // MARK: Parsing

    private static func parse(
        _ line: String, number: Int, file: String, index indexOf: (InterviewID) -> SurveyIndex
    ) throws(CorrectionError) -> Entry {
        func fail(_ message: String) -> CorrectionError { CorrectionError(file: file, line: number, message: message) }
        guard let colon = line.range(of: " : ")?.lowerBound else {
            throw fail("add the reason after ' : ' (e.g. ' : confirmed by phone')")
        }
        let reason = String(line[line.index(colon, offsetBy: 3)...]).trimmingSpaces()
        guard !reason.isEmpty else { throw fail("the reason after ':' is empty; say why the change is made") }
        let words = line[..<colon].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first else { throw fail("expected 'set' or 'exclude'") }
        switch verb {
        case "exclude":
            guard words.count == 2 else { throw fail("write 'exclude <interview id> : <reason>'") }
            return Entry(line: number, interview: InterviewID(words[1]), action: .exclude, reason: reason)
        case "set":
            guard words.count >= 5, words[3] == "=" else { throw fail("write 'set <interview id> <variable> = <value> : <reason>'") }
            guard let address = Address(parsing: words[2]) else { throw fail("'\(words[2])' is not a variable or variable[row]") }
            let index = indexOf(InterviewID(words[1]))
            guard let entry = index[address.variable] else { throw fail("unknown variable '\(address.variable)'") }
            guard entry.rosters.count == address.rows.count else {
                throw fail(
                    "'\(address.variable)' needs \(entry.rosters.count) row number(s), e.g. \(address.variable)"
                        + (entry.rosters.isEmpty ? "" : "[" + entry.rosters.map { _ in "1" }.joined(separator: ",") + "]"))
            }
            let answer = try value(words[4...].joined(separator: " "), for: entry.question, index: index, fail: fail)
            return Entry(
                line: number, interview: InterviewID(words[1]), action: .set(address, answer), reason: reason, rosters: entry.rosters)
        default:
            throw fail("unknown instruction '\(verb)'; expected 'set' or 'exclude'")
        }
    }

    private static func value(
        _ text: String, for q: Question, index: SurveyIndex, fail: (String) -> CorrectionError
    ) throws(CorrectionError) -> Answer {
        switch text {
        case "dk": return .special(.dontKnow)
        case "rf": return .special(.refused)
        case "na": return .special(.notApplicable)
        default: break
        }
        let codes = index.answerSet(of: q).map { Set($0.options.map(\.code)) }
        func code(_ s: Substring) throws(CorrectionError) -> Int {
            guard let c = Int(s) else { throw fail("'\(s)' is not a code") }
            if let codes, !codes.contains(c) {
                throw fail("\(c) is not a code of '\(q.name)' (codes: \(codes.sorted().map(String.init).joined(separator: ", ")))")
            }
            return c
        }
        func bounded(_ v: Double, _ min: Expr?, _ max: Expr?) throws(CorrectionError) {
            if let lo = literal(min), v < lo { throw fail("\(text) is below the minimum \(NumberText.decimal(lo)) of '\(q.name)'") }
            if let hi = literal(max), v > hi { throw fail("\(text) is above the maximum \(NumberText.decimal(hi)) of '\(q.name)'") }
        }
        switch q.kind {
        case .singleChoice: return .value(.choice(try code(Substring(text))))
        case .multipleChoice:
            var out: [Int] = []
            for part in text.split(separator: " ") { out.append(try code(part)) }
            return .value(.choices(normalizing: out))
        case .integer(let min, let max):
            guard let i = Int(text) else { throw fail("'\(text)' is not a whole number") }
            try bounded(Double(i), min, max)
            return .value(.integer(i))
        case .scale(let lo, let hi, _):
            guard let i = Int(text), (lo...hi).contains(i) else { throw fail("'\(text)' is not a rating from \(lo) to \(hi)") }
            return .value(.integer(i))
        case .decimal(let min, let max, _):
            guard let d = Double(text) else { throw fail("'\(text)' is not a number") }
            try bounded(d, min, max)
            return .value(.decimal(d))
        case .text(let maxLength, _):
            let unquoted = text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 ? String(text.dropFirst().dropLast()) : text
            guard unquoted.count <= maxLength else { throw fail("the text is longer than \(maxLength) characters") }
            return .value(.text(unquoted))
        case .date:
            guard let d = LocalDate(iso: text) else { throw fail("'\(text)' is not a date YYYY-MM-DD") }
            return .value(.date(d))
        case .time:
            guard let t = TimeOfDay(text: text) else { throw fail("'\(text)' is not a time HH:MM") }
            return .value(.time(t))
        case .datetime:
            guard let t = LocalDateTime(iso: text) else { throw fail("'\(text)' is not a date and time YYYY-MM-DDThh:mm[:ss]") }
            return .value(.datetime(t))
        case .note, .calculated:
            throw fail("'\(q.name)' is not an answer; notes and calculations cannot be corrected")
        }
    }

    private static func literal(_ e: Expr?) -> Double? {
        switch e {
        case .literal(.integer(let i))?: Double(i)
        case .literal(.decimal(let d))?: d
        default: nil
        }
    }
}

/// A correction applied to an interview, with the answer it replaced.
public struct AppliedCorrection: Hashable, Sendable {
    public var entry: Corrections.Entry
    public var previous: Answer?
}

/// A bad line in a corrections file.
public struct CorrectionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
