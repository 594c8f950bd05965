/// A calendar date without a time zone (the interview's local date).
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; returns nil for anything else or an impossible date.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), d >= 1, d <= LocalDate.daysInMonth(year: y, month: m)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date a number of days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let d = daysSinceEpoch  // 1970-01-01 was a Thursday (4)
        return ((d % 7) + 7 + 3) % 7 + 1
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid date '\(text)'"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A time of day in minutes since midnight, written `HH:MM`.
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var minutes: Int

    public init(hour: Int, minute: Int) { minutes = hour * 60 + minute }

    /// Parses `HH:MM` (00:00–23:59).
    public init?(text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        self.init(hour: h, minute: m)
    }

    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = TimeOfDay(text: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid time '\(text)'"))
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A local date and time of day to the second, without a time zone: ISO 8601 local time,
/// written `YYYY-MM-DDThh:mm:ss` (the seconds may be left out when reading).
///
/// Stored as seconds since 1970-01-01T00:00:00 of the same local clock, so it orders and
/// subtracts like a number; the date and time parts are computed.
public struct LocalDateTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00 local time (negative before it).
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    public init(date: LocalDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        seconds = date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second
    }

    public init(date: LocalDate, time: TimeOfDay) {
        self.init(date: date, hour: time.minutes / 60, minute: time.minutes % 60)
    }

    /// Parses `YYYY-MM-DDThh:mm` or `YYYY-MM-DDThh:mm:ss` (a space may stand for the `T`); nil
    /// for anything else, an impossible date or a time outside 00:00:00–23:59:59.
    public init?(iso text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 16 || utf8.count == 19, utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: " "),
            let date = LocalDate(iso: String(decoding: utf8[0..<10], as: UTF8.self)),
            let time = TimeOfDay(text: String(decoding: utf8[11..<16], as: UTF8.self))
        else { return nil }
        var second = 0
        if utf8.count == 19 {
            let tail = utf8[16..<19]
            guard tail.first == UInt8(ascii: ":"), tail.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let s = Int(String(decoding: tail.dropFirst(), as: UTF8.self)), s < 60
            else { return nil }
            second = s
        }
        self.init(date: date, time: time)
        seconds += second
    }

    /// The calendar day.
    public var date: LocalDate {
        LocalDate(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : -((86_399 - seconds) / 86_400))
    }
    /// Seconds since midnight (0–86,399).
    public var secondOfDay: Int { seconds - date.daysSinceEpoch * 86_400 }
    /// The time of day to the minute.
    public var time: TimeOfDay { TimeOfDay(hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60) }
    public var hour: Int { secondOfDay / 3_600 }
    public var minute: Int { secondOfDay % 3_600 / 60 }
    public var second: Int { secondOfDay % 60 }

    public func adding(seconds n: Int) -> LocalDateTime { LocalDateTime(seconds: seconds + n) }

    /// `YYYY-MM-DDThh:mm:ss`.
    public var description: String {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date)T\(pad(hour)):\(pad(minute)):\(pad(second))"
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.seconds < b.seconds }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDateTime(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid date and time '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A substantive answer value.
///
/// Multiple-choice codes are kept sorted and unique. Decimal values are IEEE doubles; the
/// compiled definition fixes how many decimal places a question accepts.
public enum Value: Hashable, Sendable {
    case integer(Int)
    case decimal(Double)
    case text(String)
    case boolean(Bool)
    case date(LocalDate)
    case time(TimeOfDay)
    /// A local date and time (ISO 8601, no time zone).
    case datetime(LocalDateTime)
    /// A single-choice (or yes/no, or scale) code.
    case choice(Int)
    /// The codes ticked in a multiple-choice question, ascending.
    case choices([Int])

    /// The static type of this value.
    public var type: ValueType {
        switch self {
        case .integer: .integer
        case .decimal: .decimal
        case .text: .text
        case .boolean: .boolean
        case .date: .date
        case .time: .time
        case .datetime: .datetime
        case .choice: .choice
        case .choices: .choices
        }
    }

    /// Creates a multiple-choice value, sorting and de-duplicating the codes.
    public static func choices<S: Sequence>(normalizing codes: S) -> Value where S.Element == Int {
        .choices(Array(Set(codes)).sorted())
    }
}

/// The static types of the expression language and of answers.
public enum ValueType: String, Hashable, Sendable, Codable, CaseIterable {
    case integer, decimal, text, boolean, date, time, datetime
    /// A single code from an answer set.
    case choice
    /// A set of codes from an answer set.
    case choices
}

/// A special answer: don't know, refused, or not applicable (set by routing, never entered).
public enum SpecialAnswer: String, Hashable, Sendable, Codable, CaseIterable {
    case dontKnow = "dk"
    case refused = "rf"
    case notApplicable = "na"
}

/// What is recorded for one question: a value or a special answer.
public enum Answer: Hashable, Sendable {
    case value(Value)
    case special(SpecialAnswer)

    public var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }
}

/// The numeric codes special answers get in exports (the briefs use -7/-8/-9).
public struct SpecialCodes: Hashable, Sendable, Codable {
    public var notApplicable: Int
    public var dontKnow: Int
    public var refused: Int

    public init(notApplicable: Int = -7, dontKnow: Int = -8, refused: Int = -9) {
        self.notApplicable = notApplicable
        self.dontKnow = dontKnow
        self.refused = refused
    }

    public func code(for special: SpecialAnswer) -> Int {
        switch special {
        case .notApplicable: notApplicable
        case .dontKnow: dontKnow
        case .refused: refused
        }
    }
}
