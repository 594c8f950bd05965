import CNcursesw

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real terminal through ncursesw: the alternate screen, raw keys (so Ctrl-C is a key the
/// session asks about, not a signal), wide characters, colours when the terminal has them and
/// `NO_COLOR` is not set. ncurses sends only what changed; resizes arrive as a key.
///
/// The terminal is given back by ``close()`` on every way out of the session; if the process
/// crashes, a signal handler restores the saved terminal modes and leaves the alternate screen.
/// Only `kill -9` leaves it as it was (then `reset` restores it).
public final class CursesScreen: ScreenDevice {
    private let screen: OpaquePointer
    private var closed = false
    private var last: CellGrid?
    public let colour: Bool

    /// Opens the full screen on standard input and output; nil when the terminal cannot do it
    /// (an unknown `TERM`, no terminal), and the caller falls back to the line view.
    public init?(environment: [String: String]) {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else { return nil }
        TerminalGuard.saveModes()
        // The terminal's own size (TIOCGWINSZ), before COLUMNS/LINES from the environment, so the
        // first screen fills the window and a resize is seen. (use_env(false) would take the
        // terminfo entry's 80×24 whatever the window's size.)
        use_tioctl(true)
        guard let screen = terep_newterm() else { return nil }
        self.screen = screen
        set_term(screen)
        raw()
        noecho()
        nonl()
        keypad(terep_stdscr(), true)
        meta(terep_stdscr(), true)
        // Home and End as terminals send them whatever TERM says (xterm, screen/tmux, rxvt, the console).
        for (sequence, key) in [
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
            ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
        ] {
            define_key(sequence, key)
        }
        intrflush(terep_stdscr(), false)
        set_escdelay(25)
        wtimeout(terep_stdscr(), 200)
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
        colour = !noColour && has_colors()
        if colour {
            start_color()
            use_default_colors()
            for (pair, fg) in [(1, COLOR_RED), (2, COLOR_GREEN), (3, COLOR_YELLOW), (4, COLOR_BLUE), (5, COLOR_CYAN)] {
                init_pair(Int16(pair), Int16(fg), -1)
            }
        }
        TerminalGuard.install()
        TerminalGuard.watchResizes()
    }

    deinit { close() }

    public func sayOnCrash(_ text: String?) { TerminalGuard.setNotice(text) }

    public var size: (width: Int, height: Int) { (Int(terep_cols()), Int(terep_lines())) }

    /// Reads bytes (function keys come decoded by ncurses' keypad) and decodes UTF-8 itself, so
    /// that bytes that are not UTF-8 are reported (``KeyEvent/unreadable``), not lost or replaced.
    public func read(waiting: Bool) -> DeviceInput {
        guard let window = terep_stdscr() else { return .closed }
        if let resized = TerminalGuard.takeResize() { return resized }
        wtimeout(window, waiting ? 200 : 0)
        let code = wgetch(window)
        if code == ERR { return TerminalGuard.takeResize() ?? .idle }
        if code >= KEY_MIN { return .key(Self.functionKey(code)) }
        let lead = UInt8(truncatingIfNeeded: code)
        guard lead >= 0x80 else { return .key(Self.characterKey(UInt32(lead))) }
        let length =
            switch lead {
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 0
            }
        guard length > 0 else { return .key(.unreadable) }
        var bytes = [lead]
        wtimeout(window, 50)  // the rest of a character arrives with it
        while bytes.count < length {
            let next = wgetch(window)
            guard next != ERR, next < KEY_MIN, UInt8(truncatingIfNeeded: next) & 0xC0 == 0x80 else {
                if next != ERR { ungetch(next) }
                return .key(.unreadable)
            }
            bytes.append(UInt8(truncatingIfNeeded: next))
        }
        guard let text = String(validating: bytes, as: UTF8.self), let scalar = text.unicodeScalars.first else {
            return .key(.unreadable)
        }
        return .key(Self.characterKey(scalar.value))
    }

    /// A function key's code (`KEY_LEFT`…) as a key.
    static func functionKey(_ code: Int32) -> KeyEvent {
        switch code {
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_IC: .insert
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case terep_key_resize(): .resize
        case (KEY_F0 + 1)...(KEY_F0 + 12): .function(Int(code - KEY_F0))
        default: .unreadable
        }
    }

    /// A character read in raw mode as a key: control characters are keys, the rest is text.
    static func characterKey(_ value: UInt32) -> KeyEvent {
        switch value {
        case 3: return .interrupt
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let scalar = Unicode.Scalar(value), TypedText.isAllowed(scalar) else { return .unreadable }
            return .text(String(scalar))
        }
    }

    public func paint(_ grid: CellGrid) {
        guard let window = terep_stdscr() else { return }
        let full = last.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(window) }
        for row in 0..<grid.height where full || !Self.sameRow(row, last, grid) {
            paintRow(row, of: grid, in: window)
        }
        if let cursor = grid.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(window)
        last = grid
    }

    private static func sameRow(_ row: Int, _ a: CellGrid?, _ b: CellGrid) -> Bool {
        guard let a else { return false }
        for x in 0..<b.width where a[row, x] != b[row, x] { return false }
        return true
    }

    /// Paints a row in runs of one style.
    private func paintRow(_ row: Int, of grid: CellGrid, in window: UnsafeMutablePointer<WINDOW>) {
        var x = 0
        while x < grid.width {
            let style = grid[row, x].style
            var scalars: [wchar_t] = []
            let start = x
            while x < grid.width, grid[row, x].style == style {
                scalars += grid[row, x].text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                x += 1
            }
            wattr_set(window, attributes(style), pair(style), nil)
            scalars.withUnsafeBufferPointer { buffer in
                _ = mvwaddnwstr(window, Int32(row), Int32(start), buffer.baseAddress, Int32(buffer.count))
            }
        }
        wattr_set(window, terep_a_normal(), 0, nil)
    }

    private func attributes(_ style: CellStyle) -> attr_t {
        var a = terep_a_normal()
        if style.attributes.contains(.bold) { a |= terep_a_bold() }
        if style.attributes.contains(.dim) { a |= terep_a_dim() }
        if style.attributes.contains(.reverse) { a |= terep_a_reverse() }
        if style.attributes.contains(.underline) { a |= terep_a_underline() }
        if style.attributes.contains(.italic) { a |= terep_a_italic() }
        return a
    }

    private func pair(_ style: CellStyle) -> Int16 {
        guard colour else { return 0 }
        switch style.colour {
        case .plain: return 0
        case .red: return 1
        case .green: return 2
        case .yellow: return 3
        case .blue: return 4
        case .cyan: return 5
        }
    }

    public func invalidate() {
        last = nil
        clearok(terep_stdscr(), true)
    }

    public func close() {
        guard !closed else { return }
        closed = true
        endwin()
        delscreen(screen)
        TerminalGuard.uninstall()
    }
}

/// Restores the terminal if the process dies while the full screen is up (a crash, an abort):
/// the saved terminal modes, the normal screen and a visible cursor, then the notice
/// (``CrashNotice``); then the handler that was there before (Swift's backtrace) runs on the
/// restored terminal, and the process ends by the signal.
enum TerminalGuard {
    /// Leave the alternate screen, show the cursor, reset attributes.
    private static let restore = Array("\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n".utf8)

    /// Set by SIGWINCH; the session's next read resizes ncurses to the terminal.
    nonisolated(unsafe) private static var resized: sig_atomic_t = 0

    /// Routes SIGWINCH to a flag (ncurses' own handler is not relied on: it is installed only
    /// when nothing else handles the signal).
    static func watchResizes() {
        var action = sigaction()
        #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { _ in TerminalGuard.resized = 1 }
        #else
            action.__sigaction_u.__sa_handler = { _ in TerminalGuard.resized = 1 }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGWINCH, &action, nil)
        // A parent may have started terep with it blocked; then no resize would ever be seen.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGWINCH)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// After a SIGWINCH: ncurses takes the terminal's new size, and the session hears of it.
    static func takeResize() -> DeviceInput? {
        guard resized != 0 else { return nil }
        resized = 0
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        return .key(.resize)
    }

    static func setNotice(_ text: String?) { CrashNotice.setNotice(text) }

    static func saveModes() { CrashNotice.saveModes() }

    static func install() { CrashNotice.install(writingTo: STDOUT_FILENO, prelude: restore) }

    static func uninstall() {
        CrashNotice.uninstall()
        signal(SIGWINCH, SIG_DFL)
    }
}
