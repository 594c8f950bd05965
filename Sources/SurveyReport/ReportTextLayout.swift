import SurveyModel

/// Display-column arithmetic for the terminal report: widths, truncation, padding, wrapping.
///
/// Widths are ``DisplayWidth``'s (accented Hungarian letters and their combining forms one
/// column, East Asian wide and emoji characters two); the characters ``DisplayText`` escapes
/// (controls, separators, bidirectional overrides) are replaced by spaces, so a label or a name
/// from a bundle can never break a line, move the cursor or reorder a row. (Spaces, not escapes:
/// rows are cleaned again when they are laid out, and a space stays a space.)
enum ReportTextLayout {
    /// The columns a string takes on a terminal (``DisplayWidth``, the interviewer's table too).
    static func width(_ text: some StringProtocol) -> Int { DisplayWidth.of(text) }

    /// The columns one character takes.
    static func width(of character: Character) -> Int { DisplayWidth.of(character) }

    /// The text with control characters (newlines, tabs, escapes) and the other characters
    /// ``DisplayText`` escapes replaced by spaces.
    static func clean(_ text: String) -> String {
        String(text.map { $0.unicodeScalars.contains(where: DisplayText.needsEscape) ? " " : $0 })
    }

    /// The text cut to at most `columns` columns, ending in "…" when cut.
    static func truncate(_ text: String, to columns: Int) -> String {
        let text = clean(text)
        guard width(text) > columns else { return text }
        guard columns > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let next = width(of: character)
            if used + next > columns - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }

    /// The text truncated to `columns` and padded with spaces to exactly that width.
    static func pad(_ text: String, to columns: Int, right: Bool = false) -> String {
        let cut = truncate(text, to: columns)
        let fill = String(repeating: " ", count: max(0, columns - width(cut)))
        return right ? fill + cut : cut + fill
    }

    /// The text broken at spaces into lines of at most `columns` columns; the first line
    /// starts with `first`, continuation lines with `indent`. A word longer than a line is
    /// truncated.
    static func wrap(_ text: String, width columns: Int, first: String = "", indent: String = "") -> [String] {
        var lines: [String] = []
        var line = ""
        let words = clean(text).split(separator: " ", omittingEmptySubsequences: true)
        for word in words {
            let prefix = lines.isEmpty ? first : indent
            let candidate = line.isEmpty ? prefix + word : line + " " + word
            if width(candidate) <= columns {
                line = candidate
            } else if line.isEmpty {
                lines.append(truncate(candidate, to: columns))
            } else {
                lines.append(line)
                line = truncate(indent + word, to: columns)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }

    /// A bar of `columns` cells filled in proportion `part / whole`, with an optional marker
    /// cell (`|`) at `marker` (drawn only when above 0); spaces when `whole` is not positive.
    static func bar(_ part: Double, of whole: Double, columns: Int, marker: Double? = nil) -> String {
        guard columns > 0 else { return "" }
        guard whole > 0, part.isFinite, whole.isFinite else { return String(repeating: " ", count: columns) }
        func cell(_ value: Double) -> Int {
            let position = (value / whole * Double(columns)).rounded()
            return position.isFinite ? Int(min(Double(columns), max(0, position))) : (position > 0 ? columns : 0)
        }
        let filled = cell(part)
        var cells = Array(String(repeating: "█", count: filled) + String(repeating: "·", count: columns - filled))
        if let marker, marker.isFinite, marker > 0 {
            cells[max(0, cell(marker) - 1)] = "|"
        }
        return String(cells)
    }
}
