#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The signal that asked the program to stop, or 0; written only by the signal handler.
nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

/// The process's standard input and output: a real terminal or pipes, with the same semantics.
///
/// Lines are read with `read(2)` so that Ctrl-C, SIGTERM and SIGHUP interrupt a waiting read
/// (the handlers are installed without `SA_RESTART`) and come back as
/// ``TerminalInput/interrupted(_:)`` instead of killing the process: everything confirmed is
/// already committed, so the caller only has to say how to resume. A signal that arrives while
/// an answer is being committed is seen at the next read, after the commit finished.
public final class StandardTerminal: Terminal {
    private var buffer: [UInt8] = []
    private var closed = false
    private let environment: [String: String]

    /// Creates the terminal; call ``installSignalHandlers()`` once to get clean interrupts.
    ///
    /// - Parameter environment: the process environment (`NO_COLOR`, `TERM`, `COLUMNS`).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Routes SIGINT, SIGTERM and SIGHUP to ``readLine()`` and ignores SIGPIPE.
    ///
    /// The signals are also unblocked: a parent (a test runner, a CI agent) may have started
    /// this process with them blocked, and a blocked SIGTERM would never interrupt a read.
    public static func installSignalHandlers() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, sig) }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { receivedSignal = sig_atomic_t($0) }
            #else
                action.__sigaction_u.__sa_handler = { receivedSignal = sig_atomic_t($0) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        signal(SIGPIPE, SIG_IGN)
    }

    /// A crash writes `text` to standard error before the runtime's report (``CrashNotice``);
    /// nil puts the handlers that were there before back.
    public func sayOnCrash(_ text: String?) {
        guard let text else { return CrashNotice.uninstall() }
        CrashNotice.install(writingTo: STDERR_FILENO)
        CrashNotice.setNotice(text)
    }

    /// The signal received so far, if any (for callers that poll between long operations).
    public static var pendingSignal: Int32? {
        receivedSignal == 0 ? nil : Int32(receivedSignal)
    }

    /// Forgets a Ctrl-C (SIGINT) only: a SIGTERM or SIGHUP still stops the session.
    public func takeInterrupt() {
        if receivedSignal == SIGINT { receivedSignal = 0 }
    }

    public var interactive: Bool { isatty(STDIN_FILENO) == 1 }

    public var colour: Bool {
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    public var width: Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    /// Reads a line; when input is piped, the line is echoed so the transcript reads like a session.
    public func readLine() -> TerminalInput {
        let input = readRawLine()
        switch input {
        case .line(let line) where !interactive: write(line + "\n")
        case .endOfInput: write("\n")
        default: break
        }
        return input
    }

    private func readRawLine() -> TerminalInput {
        while true {
            if let signal = StandardTerminal.pendingSignal { return .interrupted(signal) }
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == 0x0D { line.removeLast() }
                return .line(String(decoding: line, as: UTF8.self))
            }
            if closed {
                guard !buffer.isEmpty else { return .endOfInput }
                defer { buffer.removeAll() }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count == 0 || errno != EINTR {
                closed = true
            }
        }
    }

    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { writeToStandardOutput($0) }
            if written > 0 {
                bytes = bytes.dropFirst(written)
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return  // output closed (hang-up, broken pipe): nothing more to show
            }
        }
    }
}

/// `write(2)` to standard output (a free function, so the method name does not shadow it).
private func writeToStandardOutput(_ bytes: UnsafeRawBufferPointer) -> Int {
    write(STDOUT_FILENO, bytes.baseAddress, bytes.count)
}
