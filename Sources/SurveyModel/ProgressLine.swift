/// A progress line for long work — merging, cleaning after a merge, exporting, simulating,
/// importing a sample: one line on standard error, rewritten in place at most every
/// `interval`, and cleared when the work ends.
///
/// Whether there is a line at all is decided once, by whoever makes it: the executable gives a
/// writer only when standard error is a terminal and the command's output is not JSON
/// (`--format json`), so redirected or machine-read output never holds a progress line.
/// Everything else takes a ``ProgressLine`` and calls ``update(_:)`` freely; ``silent`` costs
/// a comparison per call.
public final class ProgressLine {
    /// A line that shows nothing.
    public static var silent: ProgressLine { ProgressLine(write: nil) }

    private let write: ((String) -> Void)?
    private let interval: Duration
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant?
    private var drawn = false

    /// `write` gets the raw terminal text (a carriage return, the line, and "erase to the end of
    /// the line"); nil shows nothing.
    public init(write: ((String) -> Void)?, interval: Duration = .milliseconds(200)) {
        self.write = write
        self.interval = interval
    }

    /// Whether anything is shown (for callers that would compute a costly line).
    public var isShown: Bool { write != nil }

    /// Shows `text` unless the previous line was drawn less than the interval ago. The text is
    /// made only when it is drawn; it must be safe to show (escape names from files).
    public func update(_ text: @autoclosure () -> String) {
        guard let write else { return }
        let now = clock.now
        if let last, last.duration(to: now) < interval { return }
        last = now
        drawn = true
        write("\r" + text() + "\u{1B}[K")
    }

    /// Shows "`task`: `done`/`total` `unit` (`percent` %)", or "`task`: `done` `unit`" when the
    /// total is unknown.
    public func update(_ task: String, done: Int, of total: Int?, _ unit: String) {
        update(Self.text(task, done: done, of: total, unit))
    }

    /// The text of ``update(_:done:of:_:)``.
    public static func text(_ task: String, done: Int, of total: Int?, _ unit: String) -> String {
        guard let total, total > 0 else { return "\(task): \(done) \(unit)" }
        let percent = min(100, done * 100 / total)
        return "\(task): \(done)/\(total) \(unit) (\(percent) %)"
    }

    /// Clears the line if one was drawn, so what follows starts on a clean line.
    public func finish() {
        guard drawn, let write else { return }
        drawn = false
        last = nil
        write("\r\u{1B}[K")
    }
}
