import enum SurveyModel.DisplayText

/// Display-column arithmetic for the terminal report: widths, truncation, padding, wrapping.
///
/// A character counts one column (accented Hungarian letters and their combining forms
/// included), East Asian wide and emoji characters two; the characters ``DisplayText`` escapes
/// (controls, separators, bidirectional overrides) are replaced by spaces, so a label or a name
/// from a bundle can never break a line, move the cursor or reorder a row. (Spaces, not escapes:
/// rows are cleaned again when they are laid out, and a space stays a space.)
enum ReportTextLayout {
    /// The columns a string takes on a terminal.
    static func width(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// The columns one character takes.
    static func width(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return isWide(scalar.value) ? 2 : 1
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }

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
