#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a crash (a trap, an abort, a bad access) says before the Swift runtime's own report,
/// which is in English: a line in the interview's language saying that every confirmed answer is
/// saved and how to resume. The full screen (``TerminalGuard``) and the line view
/// (``StandardTerminal/sayOnCrash(_:)``) both use it.
///
/// The handler is async-signal-safe: it only calls `tcsetattr`, `write`, `sigaction`,
/// `sigprocmask` and `raise`, on buffers prepared beforehand. It writes the prelude (the full
/// screen's terminal restore) and the notice, then runs the handler that was there before (the
/// runtime's backtrace) with the signal unblocked, and the process ends by the signal whatever
/// that handler did (one that returns would leave the process running after a signal sent from
/// outside).
enum CrashNotice {
    private static let fatal: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
    private static let capacity = 2048
    private static let preludeCapacity = 64
    nonisolated(unsafe) private static let notice = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
    /// How many bytes of ``notice`` count (0 while it is being replaced).
    nonisolated(unsafe) private static var noticeLength: sig_atomic_t = 0
    nonisolated(unsafe) private static let prelude = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: preludeCapacity)
    nonisolated(unsafe) private static var preludeLength = 0
    nonisolated(unsafe) private static var output: Int32 = STDERR_FILENO
    nonisolated(unsafe) private static var modes = termios()
    nonisolated(unsafe) private static var haveModes = false
    nonisolated(unsafe) private static var installed = false
    /// The handlers installed before, by signal number (32 slots, prepared before any crash).
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let slots = UnsafeMutablePointer<sigaction>.allocate(capacity: 32)
        slots.initialize(repeating: sigaction(), count: 32)
        return slots
    }()

    /// Saves the terminal modes a crash restores (the full screen changes them).
    static func saveModes() {
        haveModes = tcgetattr(STDIN_FILENO, &modes) == 0
    }

    /// Installs the handler: a crash writes `prelude`, then the notice, to `descriptor`.
    static func install(writingTo descriptor: Int32, prelude bytes: [UInt8] = []) {
        preludeLength = 0
        preludeLength = prelude.initialize(from: bytes.prefix(preludeCapacity)).index
        output = descriptor
        guard !installed else { return }
        installed = true
        for sig in fatal {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { signal in CrashNotice.crashed(signal) }
            #else
                action.__sigaction_u.__sa_handler = { signal in CrashNotice.crashed(signal) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, previous + Int(sig))
        }
    }

    /// Puts the handlers that were there before back, and forgets the notice and the modes.
    static func uninstall() {
        noticeLength = 0
        haveModes = false
        guard installed else { return }
        installed = false
        for sig in fatal { sigaction(sig, previous + Int(sig), nil) }
    }

    /// Prepares the notice (outside the handler: it only writes the bytes), cut at a character
    /// so that it fits the buffer with its line ending; nil or empty says nothing.
    static func setNotice(_ text: String?) {
        noticeLength = 0
        guard let text, !text.isEmpty else { return }
        var bytes: [UInt8] = []
        for character in text where bytes.count + character.utf8.count <= capacity - 2 { bytes += character.utf8 }
        bytes += Array("\r\n".utf8)
        _ = notice.update(fromContentsOf: bytes)
        noticeLength = sig_atomic_t(bytes.count)
    }

    private static func crashed(_ signal: Int32) {
        if haveModes { tcsetattr(STDIN_FILENO, TCSANOW, &modes) }
        if preludeLength > 0 { _ = write(output, prelude.baseAddress, preludeLength) }
        let said = Int(noticeLength)
        if said > 0 { _ = write(output, notice.baseAddress, said) }
        sigaction(signal, previous + Int(signal), nil)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, signal)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        raise(signal)
        var fallback = sigaction()
        sigemptyset(&fallback.sa_mask)
        sigaction(signal, &fallback, nil)  // SIG_DFL: a zeroed action
        raise(signal)
    }
}
