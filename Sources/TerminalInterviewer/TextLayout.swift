/// Display widths and word wrapping for a monospaced terminal.
///
/// Widths follow what terminals do (wcwidth): combining marks, format characters and
/// zero-width joiners take no column; East Asian wide and fullwidth characters and emoji take
/// two; everything else — including Hungarian ő and ű, precomposed or decomposed — takes one.
/// Widths are computed per grapheme cluster, so `o` + U+030B (combining double acute) is one
/// column, exactly like the precomposed `ő`.
public enum TextLayout {
    /// The number of terminal columns a string occupies.
    public static func width(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// The number of terminal columns one grapheme cluster occupies (0, 1 or 2).
    public static func width(of character: Character) -> Int {
        var widest = 0
        for scalar in character.unicodeScalars {
            widest = max(widest, width(of: scalar))
            if widest == 2 { break }
        }
        return widest
    }

    /// The number of columns of a single scalar, as `wcwidth` defines it (controls count 0).
    public static func width(of scalar: Unicode.Scalar) -> Int {
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

    /// Wraps text to a width, keeping explicit line breaks.
    ///
    /// Words are never split unless a single word is wider than the line; continuation lines
    /// start with `indent` (the first line with `firstIndent`, which defaults to `indent`).
    /// - Returns: the lines, without newline characters and without trailing spaces.
    public static func wrap(_ text: String, width: Int, indent: String = "", firstIndent: String? = nil) -> [String] {
        var lines: [String] = []
        var first = true
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let lead = first ? (firstIndent ?? indent) : indent
            lines += wrapParagraph(paragraph, width: width, lead: lead, indent: indent)
            first = false
        }
        return lines
    }

    private static func wrapParagraph(_ paragraph: Substring, width: Int, lead: String, indent: String) -> [String] {
        let limit = max(width, 1)
        var lines: [String] = []
        var line = lead
        var lineWidth = TextLayout.width(lead)
        var lineHasWord = false
        let indentWidth = TextLayout.width(indent)
        func newLine() {
            lines.append(line)
            line = indent
            lineWidth = indentWidth
            lineHasWord = false
        }
        for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let wordWidth = TextLayout.width(word)
            if lineHasWord && lineWidth + 1 + wordWidth > limit { newLine() }
            if lineHasWord {
                line += " "
                lineWidth += 1
            }
            if lineWidth + wordWidth <= limit {
                line += word
                lineWidth += wordWidth
                lineHasWord = true
                continue
            }
            // A word longer than the line: break it between grapheme clusters.
            for character in word {
                let w = TextLayout.width(of: character)
                if lineWidth + w > limit && lineWidth > indentWidth { newLine() }
                line.append(character)
                lineWidth += w
                lineHasWord = true
            }
        }
        lines.append(line)
        return lines.map { trimTrailingSpaces($0) }
    }

    private static func trimTrailingSpaces(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }

    /// The text cut to at most `columns` display columns, ending in `…` when it was cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard width(text) > columns else { return text }
        guard columns > 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = width(of: character)
            if used + w > columns - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// Pads a string with spaces on the right to a display width (never truncates).
    public static func pad(_ text: String, to columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - width(text)))
    }
}
