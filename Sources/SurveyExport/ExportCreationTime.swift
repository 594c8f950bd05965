import Foundation

/// When an export's `.sav` and `.dta` headers say the file was made: `SOURCE_DATE_EPOCH`
/// (whole seconds since 1970-01-01 UTC, the reproducible-builds convention) when it is set, so
/// the same data exported twice — by `terep export` here or on a server — give the same bytes;
/// otherwise the clock. The one owner of that rule (docs/exports.md).
public enum ExportCreationTime {
    public static let variable = "SOURCE_DATE_EPOCH"

    /// The time to write; a set but malformed variable is an error rather than silently the clock.
    public static func resolve(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()
    ) throws(ExportError) -> Date {
        guard let text = environment[variable] else { return now }
        guard let seconds = Int64(text), (0...253_402_300_799).contains(seconds) else {
            throw .invalidSourceDateEpoch(String(text.prefix(40)))
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
