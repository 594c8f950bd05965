#if DEBUG
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// Debug builds only (what the tests run; never compiled into a release): with
    /// `TEREP_TEST_CRASH=1` in the environment, F12 makes the full screen crash the way a bug
    /// would (an array index out of range: the Swift runtime traps), so an end-to-end test can
    /// check that the terminal is given back after a crash (`CursesScreen`'s `TerminalGuard`).
    enum TestCrash {
        static let armed = getenv("TEREP_TEST_CRASH").map { String(cString: $0) == "1" } ?? false

        static func check(_ key: KeyEvent) {
            guard armed, key == .function(12) else { return }
            let rows = [Int](repeating: 0, count: Int(getpid() % 2))
            _ = rows[rows.count]
        }
    }
#endif
