/// What may be typed into an answer, a note or a command: printable text only.
///
/// A terminal in line mode passes editing keys it does not handle through as escape sequences
/// (`abc` ← ← `X` arrives as `abc\u{1B}[D\u{1B}[DX`), and bytes that are not UTF-8 arrive as
/// U+FFFD: neither may reach the data, where they would travel on to the exports. Such a line
/// is refused with a message instead; the full screen's editor never produces one.
public enum TypedText {
    /// Why a typed line cannot be taken.
    public enum Problem: Hashable, Sendable {
        /// A control character (an arrow key's escape sequence, Ctrl-something, a tab…).
        case controlCharacter
        /// Bytes that are not UTF-8 text (shown as U+FFFD).
        case notUTF8
    }

    /// The first problem in a typed line, or nil when it is printable text.
    public static func problem(in line: String) -> Problem? {
        for scalar in line.unicodeScalars {
            if scalar == "\u{FFFD}" { return .notUTF8 }
            if !isAllowed(scalar) { return .controlCharacter }
        }
        return nil
    }

    /// Whether a scalar may be part of an answer: not a C0 or C1 control character or DEL, and
    /// not a line or paragraph separator.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0xFFFD: false
        default: true
        }
    }
}
