#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SurveyModel

/// Where a session's events go: durably, before the next question is shown.
///
/// The executable implements it with the device store; tests use an in-memory log and one
/// that fails like a full disk. `record` returns only once the event is committed.
public protocol InterviewRecorder: AnyObject {
    /// Appends one event of the session's interview; throws when it could not be made durable.
    func record(_ kind: InterviewEventKind, timestamp: Int64) throws(RecordingError)
}

/// Why an event could not be saved (disk full, read-only database…), as a readable message.
public struct RecordingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure it was, so the fieldworker is told what to do in the UI language.
    public enum Cause: Hashable, Sendable {
        /// The disk (or the database's size limit) is full.
        case diskFull
        /// The database or its folder cannot be written.
        case readOnly
        /// Writing to the disk failed (an I/O error: a full or failing medium, a file size limit).
        case writeFailed
        /// Anything else (a locked or damaged database…).
        case other
    }

    public var cause: Cause
    /// The technical detail (for the coordinator), in English.
    public var message: String

    public init(_ message: String, cause: Cause = .other) {
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}

/// The source of the current time, injected so tests and replays are deterministic.
public struct InterviewClock: Sendable {
    public var now: @Sendable () -> Moment

    public init(now: @escaping @Sendable () -> Moment) { self.now = now }

    /// The system clock in the local time zone.
    public static let system = InterviewClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return LocalClock.moment(at: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec / 1_000_000))
    }

    /// A clock that starts at `start` and advances one second per reading (tests).
    public static func stepping(from start: Moment) -> InterviewClock {
        let counter = Counter()
        return InterviewClock {
            let n = counter.next()
            return Moment(timestamp: start.timestamp + n * 1000, date: start.date, time: start.time)
        }
    }
}

/// A thread-safe counter for ``InterviewClock/stepping(from:)``.
private final class Counter: @unchecked Sendable {
    private var value: Int64 = 0
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    func next() -> Int64 {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value - 1
    }
}
