/// What the device gave when asked for input.
public enum DeviceInput: Hashable, Sendable {
    case key(KeyEvent)
    /// Nothing within the wait (the session checks for signals and asks again).
    case idle
    /// Input is gone (the terminal closed, a test's keys ran out).
    case closed
}

/// Where the full screen paints its cells and reads its keys: ncurses on a terminal
/// (``CursesScreen``), or memory in tests and benchmarks (``MemoryScreen``).
public protocol ScreenDevice: AnyObject {
    /// The screen's size in columns and rows (read again after a resize).
    var size: (width: Int, height: Int) { get }
    /// Whether colours may be used.
    var colour: Bool { get }
    /// The next key; with `waiting`, waits a little (so signals are noticed), else returns
    /// ``DeviceInput/idle`` at once when no key is ready (keys typed or pasted together are
    /// handled before the screen is drawn again).
    func read(waiting: Bool) -> DeviceInput
    /// Shows the grid (only what changed since the last one reaches the terminal).
    func paint(_ grid: CellGrid)
    /// Paints everything again on the next ``paint(_:)`` (Ctrl-L).
    func invalidate()
    /// Gives the terminal back as it was; safe to call more than once.
    func close()
    /// What to say on the normal screen, after the terminal is given back, if the process
    /// crashes while this screen is up (in the session's language: the runtime's own report that
    /// follows is in English); nil says nothing.
    func sayOnCrash(_ text: String?)
}

extension ScreenDevice {
    /// Nothing to say (a screen that is not a terminal).
    public func sayOnCrash(_ text: String?) {}
}

/// A screen in memory: keys from a script, the painted grids kept for inspection.
public final class MemoryScreen: ScreenDevice {
    public var size: (width: Int, height: Int)
    public let colour: Bool
    private var keys: [KeyEvent]
    public private(set) var painted: CellGrid?
    public private(set) var paints = 0
    public private(set) var closed = false
    /// What a crash would say (``sayOnCrash(_:)``).
    public private(set) var crashNotice: String?
    /// Called before each key is handed out (a benchmark starts its clock here).
    public var onRead: ((KeyEvent) -> Void)?

    public init(width: Int = 80, height: Int = 24, colour: Bool = false, keys: [KeyEvent] = []) {
        size = (width, height)
        self.colour = colour
        self.keys = keys
    }

    /// Adds keys to the end of the script.
    public func type(_ more: [KeyEvent]) { keys += more }

    public func read(waiting: Bool) -> DeviceInput {
        guard !keys.isEmpty else { return waiting ? .closed : .idle }
        let key = keys.removeFirst()
        onRead?(key)
        return .key(key)
    }

    public func paint(_ grid: CellGrid) {
        painted = grid
        paints += 1
    }

    public func invalidate() {}

    public func close() { closed = true }

    public func sayOnCrash(_ text: String?) { crashNotice = text }

    /// The last painted screen as text, one line per row.
    public var text: String { painted?.lines.joined(separator: "\n") ?? "" }
}

extension KeyEvent {
    /// Keys for typing a line and pressing Enter (tests and scripts).
    public static func line(_ text: String) -> [KeyEvent] {
        (text.isEmpty ? [] : [.text(text)]) + [.enter]
    }
}
