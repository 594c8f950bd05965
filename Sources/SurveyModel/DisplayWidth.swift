/// The one table of display widths: how many columns of a monospaced terminal a text takes.
///
/// Widths follow what terminals do (wcwidth): control characters, combining marks, format
/// characters and zero-width joiners take no column; East Asian wide and fullwidth characters
/// and emoji take two; everything else — including Hungarian ő and ű, precomposed or
/// decomposed — takes one. Widths are computed per grapheme cluster, so `o` + U+030B (combining
/// double acute) is one column, exactly like the precomposed `ő`. The interviewer's screens and
/// the terminal report both measure with it.
public enum DisplayWidth {
    /// The number of terminal columns a string occupies.
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The number of terminal columns a string occupies; an ASCII text without walking its
    /// grapheme clusters (each printable byte takes one column, a control character none, and
    /// CR LF — ASCII's one cluster of two scalars — none).
    public static func of(_ text: String) -> Int {
        var printable = 0
        for byte in text.utf8 {
            guard byte < 0x80 else { return text.reduce(0) { $0 + of($1) } }
            if byte >= 0x20 && byte != 0x7F { printable += 1 }
        }
        return printable
    }

    /// The number of terminal columns one grapheme cluster occupies (0, 1 or 2).
    public static func of(_ character: Character) -> Int {
        var widest = 0
        for scalar in character.unicodeScalars {
            widest = max(widest, of(scalar))
            if widest == 2 { break }
        }
        return widest
    }

    /// The number of columns of a single scalar, as `wcwidth` defines it (controls count 0).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }  // fast path: Latin, including á é í ó ö ő ú ü ű
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0x1160...0x11FF).contains(v) { return 0 }  // zero width space, jamo V/T
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15.
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
