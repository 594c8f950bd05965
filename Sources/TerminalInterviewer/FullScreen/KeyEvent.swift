/// A key (or another event) the full screen reacts to, independent of the terminal library.
public enum KeyEvent: Hashable, Sendable {
    /// Printable text typed (one key, or several keys read at once).
    case text(String)
    case enter, backspace, delete, left, right, up, down, home, end, pageUp, pageDown, tab, backTab, escape, insert
    /// F1…F12.
    case function(Int)
    /// Ctrl and a letter (`u` for Ctrl-U); Ctrl-C is ``interrupt``.
    case control(Character)
    /// Ctrl-C: asks before leaving.
    case interrupt
    /// The terminal was resized.
    case resize
    /// Bytes that are not UTF-8 text, or a key the screen does not know.
    case unreadable
}
