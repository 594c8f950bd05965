import SurveyModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
