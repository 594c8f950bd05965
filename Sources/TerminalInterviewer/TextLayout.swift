import SurveyModel

/// Word wrapping and padding for a monospaced terminal, measured with ``DisplayWidth`` (the one
/// width table, shared with the terminal report).
public enum TextLayout {
    /// The number of terminal columns a string occupies.
    public static func width(_ text: some StringProtocol) -> Int { DisplayWidth.of(text) }

    /// The number of terminal columns one grapheme cluster occupies (0, 1 or 2).
    public static func width(of character: Character) -> Int { DisplayWidth.of(character) }

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

    /// Joins items (`12 kész, hátra kb. 40`, `.nt = nem tudja`) with `separator` into lines of
    /// `width`, breaking only between items, so that no item is split over two lines unless it is
    /// wider than a line by itself (then it is wrapped by words).
    public static func pack(
        _ items: [String], separator: String = " · ", width: Int, indent: String = "", firstIndent: String? = nil
    ) -> [String] {
        var lines: [String] = []
        var line = firstIndent ?? indent
        var empty = true
        for item in items where !item.isEmpty {
            if !empty, TextLayout.width(line) + TextLayout.width(separator) + TextLayout.width(item) <= width {
                line += separator + item
                continue
            }
            if !empty {
                lines.append(line)
                line = indent
            }
            if TextLayout.width(line) + TextLayout.width(item) <= width {
                line += item
            } else {
                let wrapped = wrap(item, width: width, indent: indent, firstIndent: line)
                lines += wrapped.dropLast()
                line = wrapped.last ?? indent
            }
            empty = false
        }
        if !empty { lines.append(line) }
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

    /// The text cut to at most `columns` display columns, ending in `…` when it was cut (a
    /// space the cut leaves before it is dropped: `hajlandóság…`, not `hajlandóság …`).
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
        while out.count > 1, out.last == " " { out.removeLast() }
        return out + "…"
    }

    /// Pads a string with spaces on the right to a display width (never truncates).
    public static func pad(_ text: String, to columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - width(text)))
    }
}
