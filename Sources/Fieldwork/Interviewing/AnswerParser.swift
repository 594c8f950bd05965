import SurveyModel

/// Why typed text is not an answer to a question; rendered by ``UIStrings/problem(_:)``.
public enum AnswerProblem: Error, Hashable, Sendable {
    case notAnInteger
    case notANumber
    case tooManyDecimals(places: Int)
    /// A code that is not offered (not in the answer set, or filtered out).
    case notAnOption(String)
    case notADate
    /// A date in the right form that is not in the calendar (`2025-02-30`).
    case noSuchDate(String)
    case notATime
    case notADateTime
    case integerOutOfRange(min: Int?, max: Int?)
    case decimalOutOfRange(min: Double?, max: Double?)
    case dateOutOfRange(min: LocalDate?, max: LocalDate?)
    case tooLong(max: Int, actual: Int)
    case patternMismatch
    case tooFewChoices(min: Int)
    case tooManyChoices(max: Int)
    /// An exclusive code (e.g. 97 "none") ticked together with others.
    case exclusiveCombined(code: Int)
    case duplicateChoice(Int)
    /// A required question left empty.
    case required
    /// The special answer is not allowed for this question.
    case specialNotAllowed(SpecialAnswer)
    /// Notes and calculations take no answer.
    case notAnswerable
    /// A hard check of the questionnaire failed; the payload is its message in the interview language.
    case check(String)
}

/// Turns typed text into a ``Value`` of the question's type.
///
/// Only the form is checked here (a number, a date, a code that is offered); ranges, lengths
/// and checks are the engine's to decide, before anything is stored. Hungarian habits are
/// accepted: a decimal comma (`12,5`), dates as `2024.05.01.` and times as `8:30`.
public enum AnswerParser {
    /// Parses `text` for a question of `kind`; `offered` are the codes a choice question shows.
    public static func parse(_ text: String, kind: QuestionKind, offered: [Int]) -> Result<Value, AnswerProblem> {
        switch kind {
        case .singleChoice:
            guard let code = Int(text) else { return .failure(.notAnOption(text)) }
            return offered.contains(code) ? .success(.choice(code)) : .failure(.notAnOption(text))
        case .multipleChoice:
            return parseChoices(text, offered: offered)
        case .integer, .scale:
            return parseInteger(text).map { .integer($0) }
        case .decimal(_, _, let places):
            return parseDecimal(text, places: places)
        case .text:
            return .success(.text(text))
        case .date:
            if let date = parseDate(text) { return .success(.date(date)) }
            return isDateShaped(text) ? .failure(.noSuchDate(text)) : .failure(.notADate)
        case .time:
            return parseTime(text).map { .success(.time($0)) } ?? .failure(.notATime)
        case .datetime:
            return parseDateTime(text).map { .success(.datetime($0)) } ?? .failure(.notADateTime)
        case .note, .calculated:
            return .failure(.notAnswerable)
        }
    }

    /// Codes separated by spaces, commas or semicolons: `1 3 96`, `1,3`.
    static func parseChoices(_ text: String, offered: [Int]) -> Result<Value, AnswerProblem> {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" })
        var codes: [Int] = []
        for part in parts {
            guard let code = Int(part), offered.contains(code) else { return .failure(.notAnOption(String(part))) }
            guard !codes.contains(code) else { return .failure(.duplicateChoice(code)) }
            codes.append(code)
        }
        return .success(.choices(normalizing: codes))
    }

    static func parseInteger(_ text: String) -> Result<Int, AnswerProblem> {
        let cleaned = text.replacingSpacesInNumber
        return Int(cleaned).map { .success($0) } ?? .failure(.notAnInteger)
    }

    static func parseDecimal(_ text: String, places: Int) -> Result<Value, AnswerProblem> {
        let cleaned = text.replacingSpacesInNumber.map { $0 == "," ? "." : $0 }
        let normal = String(cleaned)
        guard normal.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
            let number = Double(normal), number.isFinite
        else { return .failure(.notANumber) }
        let decimals = normal.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
        guard decimals <= places else { return .failure(.tooManyDecimals(places: places)) }
        return .success(.decimal(number))
    }

    /// `2024-05-01`, or the Hungarian `2024.05.01.` / `2024. 05. 01.`.
    static func parseDate(_ text: String) -> LocalDate? {
        if let date = LocalDate(iso: text) { return date }
        let parts = text.split(separator: ".").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        guard parts.count == 3, parts[0].count == 4, let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        let iso = parts[0] + "-" + (m < 10 ? "0\(m)" : "\(m)") + "-" + (d < 10 ? "0\(d)" : "\(d)")
        return LocalDate(iso: iso)
    }

    /// Whether text has the form of a date (`2025-02-30`, `2025.02.30.`) with numbers a calendar
    /// might have (month 1–12, day 1–31), so that a day that does not exist is named as such.
    static func isDateShaped(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "." }).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        guard parts.count == 3, parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && Int($0) != nil }),
            let m = Int(parts[1]), let d = Int(parts[2])
        else { return false }
        return (1...12).contains(m) && (1...31).contains(d)
    }

    /// `2026-11-26T14:05`, `2026-11-26 14:05(:00)` or a Hungarian date and a time
    /// (`2026.11.26. 14:05`).
    static func parseDateTime(_ text: String) -> LocalDateTime? {
        if let t = LocalDateTime(iso: text) { return t }
        let trimmed = text.trimmingSpaces
        guard let split = trimmed.lastIndex(where: { $0 == " " || $0 == "T" }) else { return nil }
        guard let date = parseDate(String(trimmed[..<split]).trimmingSpaces),
            let time = parseTime(String(trimmed[trimmed.index(after: split)...]))
        else { return nil }
        return LocalDateTime(date: date, time: time)
    }

    /// `08:30` or `8:30` (also `8.30`).
    static func parseTime(_ text: String) -> TimeOfDay? {
        let normal = String(text.map { $0 == "." ? ":" : $0 })
        if let time = TimeOfDay(text: normal) { return time }
        return TimeOfDay(text: "0" + normal)
    }
}

extension String {
    /// Removes spaces used as thousands separators (`500 000`), including no-break spaces.
    fileprivate var replacingSpacesInNumber: String {
        String(filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" && $0 != "_" })
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    public var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
