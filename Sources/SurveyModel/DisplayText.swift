import Foundation

/// The one rule for showing text that came from a file, a bundle or the command line: every
/// character that could move the cursor, change colours, end a line or reorder what follows
/// is shown as a visible escape, so one name stays on one line and reads as what it is.
///
/// Escaped: the backslash itself (`\\`), newline, carriage return and tab (`\n`, `\r`, `\t`),
/// every other control character (C0, DEL and C1, e.g. ESC as `\u{1B}`), line and paragraph
/// separators, and the bidirectional formatting characters (`\u{202E}`…). Everything else,
/// accented letters included, passes unchanged.
public enum DisplayText {
    /// `text` with every unsafe character shown as an escape; safe to print on one line.
    public static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\\" || needsEscape($0) }) else { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where needsEscape(scalar): out += "\\u{" + hex(scalar) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `value` as pretty-printed JSON with sorted keys (the form commands print with
    /// `--format json`), passed through ``jsonSafe(_:)``; "{}" if it cannot be encoded.
    public static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return jsonSafe(String(decoding: data, as: UTF8.self))
    }

    /// JSON text (as an encoder wrote it) with the unsafe characters the encoder leaves raw
    /// (DEL, C1 controls, separators, bidirectional formatting) written as `\uXXXX`, which any
    /// JSON reader decodes back to the same string. Structural JSON is ASCII, so those
    /// characters can only be inside strings.
    public static func jsonSafe(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: needsEscape) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count + 16)
        for scalar in json.unicodeScalars {
            if needsEscape(scalar), scalar.value > 0x1F {  // the encoder escapes C0 itself
                // All such characters are in the Basic Multilingual Plane: one \u escape each.
                let digits = hex(scalar).lowercased()
                out += "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a character must not reach a terminal or log raw (the backslash, which
    /// ``escaped(_:)`` doubles to keep escapes unambiguous, is not one of them).
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isBidiControl
        }
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String { String(scalar.value, radix: 16, uppercase: true) }
}
