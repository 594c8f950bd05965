import Foundation

import class SurveyModel.ProgressLine

#if canImport(Glibc)
    // stdio's `stdout` and `stderr` are globals the C library sets up once.
    @preconcurrency import SwiftGlibc
#endif

/// Standard output and standard error for every command, such that a failing output (a full
/// disk, `2>/dev/full`, a closed pipe) never crashes terep and never changes what the exit
/// status says about the work: a lost standard error is ignored, a lost standard output makes
/// an otherwise successful command exit 74 with a note on standard error.
enum Console {
    /// Called once at start: a closed pipe makes writes fail (EPIPE) instead of killing terep
    /// mid-merge with SIGPIPE.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `text` and a newline on standard error; never fails (stderr is unbuffered).
    static func error(_ text: String) {
        fputs(text + "\n", stderr)
    }

    /// Writes `text` as it is (no newline added) on standard error: rendered diagnostics, a
    /// progress line ending in `\r`.
    static func errorText(_ text: String) {
        fputs(text, stderr)
    }

    /// The progress line of long work (``ProgressLine``): drawn on standard error only when it is
    /// a terminal (and not `TERM=dumb`) and `shown` — false under `--format json` — else silent.
    static func progress(shown: Bool = true) -> ProgressLine {
        guard shown, isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return .silent }
        return ProgressLine(write: { errorText($0) })
    }

    /// Writes bytes on standard output through the same buffer as `print`.
    static func output(_ data: Data) {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            _ = fwrite(base, 1, raw.count, stdout)
        }
    }

    /// Flushes standard output; when anything written to it was lost, says so on standard
    /// error and returns 74 (EX_IOERR), else nil.
    static func finishOutput() -> Int32? {
        let flushed = fflush(stdout) == 0
        let why = String(cString: strerror(errno))
        guard !flushed || ferror(stdout) != 0 else { return nil }
        error("error: the output could not be written completely (standard output: \(flushed ? "write error" : why))")
        return ExitStatus.ioError
    }
}
