/// The one escaping of text for XML and HTML: the DDI codebook, the HTML codebook and the
/// fieldwork report's HTML and SVG all write text and attribute values through it.
///
/// `& < > " '` become entities, so the result is safe in element content and in attribute
/// values quoted with either quote. Characters XML 1.0 forbids — C0 controls other than tab,
/// newline and carriage return, U+FFFE and U+FFFF — and the C1 controls (which XML allows but
/// discourages, and browsers show as boxes) become U+FFFD, so a stray control character in a
/// label or an answer leaves a visible mark instead of breaking the file or vanishing.
public enum MarkupText {
    /// `text` escaped for XML or HTML content and attribute values.
    public static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let forbidden = v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF
                result.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
            }
        }
        return result
    }
}
