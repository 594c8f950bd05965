#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SurveyModel

/// Local wall-clock time in the machine's time zone: the one conversion the cleaner's engine
/// context, the report's days and hours and `terep report`'s clock all use.
public enum LocalClock {
    /// The local date and time of a timestamp in milliseconds since 1970-01-01T00:00:00Z.
    public static func local(_ milliseconds: Int64) -> (date: LocalDate, time: TimeOfDay) {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return (
            LocalDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)),
            TimeOfDay(hour: Int(parts.tm_hour), minute: Int(parts.tm_min))
        )
    }

    /// `YYYY-MM-DDTHH:MM`.
    public static func text(_ milliseconds: Int64) -> String {
        let (date, time) = local(milliseconds)
        return "\(date)T\(time)"
    }
}
