import enum SurveyModel.MarkupText

/// Renders the codebook's blocks as Markdown or as one self-contained HTML page.
enum CodebookRenderer {
    static func markdown(_ blocks: [Codebook.Block]) -> String {
        var out = ""
        for b in blocks {
            switch b {
            case .heading(let level, let text):
                out += String(repeating: "#", count: level) + " " + text + "\n\n"
            case .paragraph(let text):
                out += text + "\n\n"
            case .table(let header, let rows):
                out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
                out += "|" + header.map { _ in "---|" }.joined() + "\n"
                for r in rows { out += "| " + r.map(cell).joined(separator: " | ") + " |\n" }
                out += "\n"
            }
        }
        return out
    }

    private static func cell(_ s: String) -> String {
        s.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }

    static func html(_ blocks: [Codebook.Block], title: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
            th{background:#f3f3f3}h3{margin-bottom:.25rem;font-family:ui-monospace,monospace}
            </style></head><body>

            """
        for b in blocks {
            switch b {
            case .heading(let level, let text):
                out += "<h\(level)>\(escape(text))</h\(level)>\n"
            case .paragraph(let text):
                out += "<p>\(escape(text))</p>\n"
            case .table(let header, let rows):
                out += "<table>"
                if header.contains(where: { !$0.isEmpty }) {
                    out += "<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
                }
                for r in rows { out += "<tr>" + r.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
                out += "</table>\n"
            }
        }
        return out + "</body></html>\n"
    }

    /// Text escaped for HTML (``MarkupText``, the one escaping of XML and HTML).
    static func escape(_ s: String) -> String { MarkupText.escaped(s) }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
