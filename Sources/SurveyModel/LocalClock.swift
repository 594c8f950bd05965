#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point in time as an interview sees it: the timestamp for the log, the local date and time
/// for `today()` and `now_time()`.
public struct Moment: Hashable, Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var timestamp: Int64
    /// The local calendar date.
    public var date: LocalDate
    /// The local time of day.
    public var time: TimeOfDay

    public init(timestamp: Int64, date: LocalDate, time: TimeOfDay) {
        self.timestamp = timestamp
        self.date = date
        self.time = time
    }

    /// The local date and time (to the minute) as one value.
    public var dateTime: LocalDateTime { LocalDateTime(date: date, time: time) }
}

/// Local wall-clock time in the machine's time zone: the one conversion from a timestamp that
/// the interviewer, the replay of a saved interview, the cleaner, the report and the
/// simulator all use.
public enum LocalClock {
    /// The local date and time of a timestamp in milliseconds since 1970-01-01T00:00:00Z.
    public static func moment(at milliseconds: Int64) -> Moment {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return Moment(
            timestamp: milliseconds,
            date: LocalDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)),
            time: TimeOfDay(hour: Int(parts.tm_hour), minute: Int(parts.tm_min)))
    }

    /// A timestamp (ms) whose local date and time is `local` (to the minute), for a moment that is
    /// written in local time (a simulated visit, a test's clock); in a daylight-saving gap, the
    /// moment an hour away.
    public static func timestamp(of local: LocalDateTime) -> Int64 {
        let wanted = local.seconds / 60 * 60
        var guess = Int64(wanted) * 1000
        for _ in 0..<2 {
            let offset = moment(at: guess).dateTime.seconds - wanted
            guess -= Int64(offset) * 1000
        }
        return guess
    }

    /// `YYYY-MM-DDTHH:MM`.
    public static func text(_ milliseconds: Int64) -> String {
        let moment = moment(at: milliseconds)
        return "\(moment.date)T\(moment.time)"
    }
}
