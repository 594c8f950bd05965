#if DEBUG
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// Debug builds only (what the tests run; never compiled into a release): with
    /// `TEREP_TEST_CRASH=1` in the environment, F12 makes the interviewer crash the way a bug
    /// would (an array index out of range: the Swift runtime traps), so an end-to-end test can
    /// check what a crash leaves: the terminal given back (`CursesScreen`'s `TerminalGuard`), the
    /// notice in the interview's language (``CrashNotice``), every confirmed answer kept.
    enum TestCrash {
        static let armed = getenv("TEREP_TEST_CRASH").map { String(cString: $0) == "1" } ?? false

        /// The full screen: the F12 key.
        static func check(_ key: KeyEvent) {
            guard armed, key == .function(12) else { return }
            crash()
        }

        /// The line view: a line holding F12's escape sequence, as a terminal sends it.
        static func check(line: String) {
            guard armed, line.contains("\u{1B}[24~") else { return }
            crash()
        }

        private static func crash() {
            let rows = [Int](repeating: 0, count: Int(getpid() % 2))
            _ = rows[rows.count]
        }
    }
#endif
