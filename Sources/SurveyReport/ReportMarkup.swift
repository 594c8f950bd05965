import enum SurveyModel.MarkupText

/// Writes well-formed XHTML-style markup (every element closed, attributes quoted, text
/// escaped) that browsers parse as HTML5 and `XMLParser` parses as XML.
///
/// Void elements (`meta`, `br`) and SVG elements without content are self-closed; every
/// other HTML element gets an explicit end tag, since HTML ignores `/>` on them.
struct ReportMarkup {
    /// The markup written so far.
    private(set) var output = ""
    private var stack: [String] = []

    /// Text escaped for element content and attribute values (``MarkupText``, the one escaping of
    /// XML and HTML: entities for `& < > " '`, U+FFFD for the characters XML forbids).
    static func escape(_ text: String) -> String { MarkupText.escaped(text) }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }

    /// Opens an element; close it with ``close()``.
    mutating func open(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        output += "<\(tag)\(Self.attributes(attributes))>"
        stack.append(tag)
    }

    /// Closes the innermost open element.
    mutating func close() {
        guard let tag = stack.popLast() else { return }
        output += "</\(tag)>"
        if ["section", "table", "tr", "ul", "li", "p", "header", "nav", "details", "div", "svg", "dl", "h2"].contains(tag) {
            output += "\n"
        }
    }

    /// Writes `<tag …>text</tag>` with the text escaped.
    mutating func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) {
        output += "<\(tag)\(Self.attributes(attributes))>\(Self.escape(text))</\(tag)>"
    }

    /// Writes a self-closed element (`<meta …/>`, SVG shapes).
    mutating func empty(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        output += "<\(tag)\(Self.attributes(attributes))/>"
    }

    /// Writes escaped text.
    mutating func text(_ text: String) { output += Self.escape(text) }

    /// Writes markup produced elsewhere by a ``ReportMarkup`` or ``ReportSVG`` (already escaped).
    mutating func raw(_ markup: String) { output += markup }

    /// Writes a table: a header row and body rows; a cell whose flag is set gets `class="flag"`
    /// and a `*` mark, numeric cells (`numeric` column indices) are right-aligned.
    mutating func table(
        _ header: [String], _ rows: [[(text: String, flag: Bool)]], numeric: Set<Int> = [], caption: String? = nil,
        rowClass: (Int) -> String? = { _ in nil }
    ) {
        open("table")
        if let caption { element("caption", text: caption) }
        open("thead")
        open("tr")
        for (index, title) in header.enumerated() {
            element("th", numeric.contains(index) ? ["class": "num", "scope": "col"] : ["scope": "col"], text: title)
        }
        close()
        close()
        open("tbody")
        for (rowIndex, row) in rows.enumerated() {
            if let rowClass = rowClass(rowIndex) { open("tr", ["class": rowClass]) } else { open("tr") }
            for (index, cell) in row.enumerated() {
                let classes = [numeric.contains(index) ? "num" : nil, cell.flag ? "flag" : nil].compactMap { $0 }
                let text = cell.flag ? cell.text + " *" : cell.text
                if classes.isEmpty {
                    element("td", text: text)
                } else {
                    element("td", ["class": classes.joined(separator: " ")], text: text)
                }
            }
            close()
        }
        close()
        close()
    }
}
