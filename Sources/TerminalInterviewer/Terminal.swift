/// What a terminal can do for the interviewer: read a line, write text, report its width.
///
/// The interviewer is line based (one question, an answer, Enter), so the same code drives a
/// real TTY, piped standard input (scripted interviews for tests, training and demos) and the
/// in-memory ``ScriptedTerminal`` the unit tests use.
public protocol Terminal: AnyObject {
    /// Reads one line without its line ending.
    ///
    /// - Returns: ``TerminalInput/line(_:)``, ``TerminalInput/endOfInput`` when input is closed,
    ///   or ``TerminalInput/interrupted(_:)`` when a signal (Ctrl-C, SIGTERM, SIGHUP) arrived.
    func readLine() -> TerminalInput
    /// Writes text as is (the caller adds line endings).
    func write(_ text: String)
    /// The width in columns to wrap text to.
    var width: Int { get }
    /// Whether ANSI colour may be used: a real terminal and no `NO_COLOR`.
    var colour: Bool { get }
    /// Whether a person types at a terminal (prompts then stay on the input line).
    var interactive: Bool { get }
    /// What to say if the process crashes from now on (nil: nothing); see ``CrashNotice``.
    func sayOnCrash(_ text: String?)
    /// Forgets a Ctrl-C that was read as ``TerminalInput/interrupted(_:)`` and is being asked
    /// about, so that reading goes on (a second Ctrl-C is seen again).
    func takeInterrupt()
}

/// The result of reading one line from a ``Terminal``.
public enum TerminalInput: Hashable, Sendable {
    case line(String)
    /// Input was closed (Ctrl-D on a terminal, the end of a piped script).
    case endOfInput
    /// A signal asked the program to stop; the payload is the signal number.
    case interrupted(Int32)
}

extension Terminal {
    /// A terminal that is not the process's own (a test's) has nothing to say on a crash.
    public func sayOnCrash(_ text: String?) {}

    /// A terminal without signals of its own has none to forget.
    public func takeInterrupt() {}

    /// Writes a line followed by a newline.
    public func writeLine(_ text: String = "") { write(text + "\n") }
}

/// An in-memory terminal for tests: lines (or signals) are fed from a script and output is collected.
public final class ScriptedTerminal: Terminal {
    private var pending: [TerminalInput]
    /// What `readLine` returns once the script is used up.
    private let ending: TerminalInput
    /// Everything written so far, with the script's lines echoed where they were read.
    public private(set) var output = ""
    public let width: Int
    public let colour: Bool
    public let interactive: Bool

    /// Creates a terminal that answers `readLine` with `lines`, then with `ending`.
    public convenience init(
        lines: [String], width: Int = 80, colour: Bool = false, interactive: Bool = false,
        ending: TerminalInput = .endOfInput
    ) {
        self.init(inputs: lines.map(TerminalInput.line), width: width, colour: colour, interactive: interactive, ending: ending)
    }

    /// Creates a terminal that answers `readLine` with `inputs` (a Ctrl-C between lines is
    /// `.interrupted(2)`), then with `ending`.
    public init(
        inputs: [TerminalInput], width: Int = 80, colour: Bool = false, interactive: Bool = false,
        ending: TerminalInput = .endOfInput
    ) {
        self.pending = inputs
        self.width = width
        self.colour = colour
        self.interactive = interactive
        self.ending = ending
    }

    public func readLine() -> TerminalInput {
        guard !pending.isEmpty else { return ending }
        let input = pending.removeFirst()
        if case .line(let line) = input { output += line + "\n" }
        return input
    }

    public func write(_ text: String) { output += text }

    /// The lines of the script not read yet.
    public var unread: [String] { pending.compactMap { if case .line(let line) = $0 { line } else { nil } } }
}
