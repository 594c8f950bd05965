import Foundation

/// One Markdown document of README.md or docs/, read for the doc tests: its fenced blocks
/// (with their info string and first line), its inline code spans, and its headings, each with
/// the line it is on so a failure names `file:line`.
struct DocText {
    /// The path shown in failures, relative to the package root (`docs/language.md`).
    var name: String
    var lines: [String]

    struct Fence {
        /// The words after the opening backticks: ```` ```survey diagnostics ```` gives ["survey", "diagnostics"].
        var info: [String]
        /// The line of the first content line (1-based).
        var line: Int
        var body: String
    }

    struct Span {
        var line: Int
        var text: String
    }

    init(name: String, text: String) {
        self.name = name
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The document at `path` relative to the package root.
    static func load(_ path: String, root: URL = TerepProcess.packageRoot) throws -> DocText {
        DocText(name: path, text: try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8))
    }

    /// README.md and every docs/*.md, by name.
    static func all(root: URL = TerepProcess.packageRoot) throws -> [DocText] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
        return try (["README.md"] + docs).map { try load($0, root: root) }
    }

    /// Fenced blocks (```` ``` ```` at the start of a line), in order.
    var fences: [Fence] {
        var out: [Fence] = []
        var open: (info: [String], line: Int, body: [String])? = nil
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                if let o = open {
                    out.append(Fence(info: o.info, line: o.line, body: o.body.joined(separator: "\n")))
                    open = nil
                } else {
                    open = (line.dropFirst(3).split(separator: " ").map(String.init), i + 2, [])
                }
            } else if open != nil {
                open!.body.append(line)
            }
        }
        return out
    }

    /// Whether line `n` (1-based) is inside a fence (or is one of its backtick lines).
    var fencedLines: Set<Int> {
        var out: Set<Int> = []
        var inside = false
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                out.insert(i + 1)
                inside.toggle()
            } else if inside {
                out.insert(i + 1)
            }
        }
        return out
    }

    /// Lines of HTML comments (`<!-- … -->`) outside fences: the walk-throughs' annotations,
    /// which the rendered page does not show.
    var commentLines: Set<Int> {
        let fenced = fencedLines
        var out: Set<Int> = []
        var inside = false
        for (i, line) in lines.enumerated() where !fenced.contains(i + 1) {
            if line.hasPrefix("<!--") { inside = true }
            if inside { out.insert(i + 1) }
            if line.contains("-->") { inside = false }
        }
        return out
    }

    /// Inline code spans (`…`) outside fences.
    var spans: [Span] {
        let fenced = fencedLines
        var out: [Span] = []
        for (i, line) in lines.enumerated() where !fenced.contains(i + 1) {
            for m in line.matches(of: /`([^`]+)`/) { out.append(Span(line: i + 1, text: String(m.1))) }
        }
        return out
    }

    /// Headings (`#`, `##`, …) outside fences, with their level.
    var headings: [(line: Int, level: Int, text: String)] {
        let fenced = fencedLines
        return lines.enumerated().compactMap { i, line in
            guard !fenced.contains(i + 1), let m = line.wholeMatch(of: /(#+) (.*)/) else { return nil }
            return (i + 1, m.1.count, String(m.2))
        }
    }

    /// Every `terep …` command line: from fences (a line starting with `terep ` or `$ terep `,
    /// joined with its `\` continuations, up to a `|`, `&&`, `;`, `>` or `#` comment; `<file>` is a
    /// placeholder) and from
    /// inline spans starting with `terep `.
    var commandLines: [Span] {
        var out: [Span] = []
        let fenced = fencedLines
        var i = 0
        while i < lines.count {
            defer { i += 1 }
            guard fenced.contains(i + 1) else { continue }
            var line = lines[i].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("$ ") { line.removeFirst(2) }
            // `terep (ArgumentParser) ─► …` in a diagram is the target, not a command line.
            guard line.hasPrefix("terep ") || line == "terep",
                line.dropFirst(6).first.map({ $0.isLetter || $0 == "-" || $0 == "<" }) ?? true
            else { continue }
            let start = i + 1
            while line.hasSuffix("\\"), i + 1 < lines.count {
                line.removeLast()
                i += 1
                line += " " + lines[i].trimmingCharacters(in: .whitespaces)
            }
            out.append(Span(line: start, text: Self.cut(line)))
        }
        for span in spans where span.text.hasPrefix("terep ") {
            out.append(Span(line: span.line, text: Self.cut(span.text)))
        }
        return out
    }

    /// A command line up to the first shell operator or comment.
    static func cut(_ line: String) -> String {
        var result = ""
        var quote: Character? = nil
        var placeholder = false  // <file>: not a redirection
        for c in line {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "<" {
                placeholder = true
            } else if c == ">" && placeholder {
                placeholder = false
            } else if "|;>#&".contains(c) {
                break
            }
            result.append(c)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// A command line's words, with quotes removed and `[`, `]` (optional parts) dropped.
    static func words(_ command: String) -> [String] {
        var out: [String] = []
        var word = ""
        var quote: Character? = nil
        var quoted = false
        for c in command {
            if let q = quote {
                if c == q { quote = nil } else { word.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                quoted = true
            } else if c == " " || c == "\t" {
                if !word.isEmpty || quoted { out.append(word) }
                word = ""
                quoted = false
            } else if c != "[" && c != "]" {
                word.append(c)
            }
        }
        if !word.isEmpty || quoted { out.append(word) }
        return out
    }
}
