/// A text with piped answers: `{name}` inserts the answer's label (or value), `{name:code}` its
/// raw value, `{a:name}` the label after the Hungarian definite article that agrees with it
/// (`a Belváros`, `az Avas`; `{A:name}` at the start of a sentence), and `{{` / `}}` are
/// literal braces.
public struct TextTemplate: Hashable, Sendable {
    public enum Segment: Hashable, Sendable {
        case literal(String)
        /// A pipe; `raw` asks for the code or value instead of the label.
        case pipe(VariableName, raw: Bool)
        /// A pipe after the Hungarian definite article `a`/`az` chosen for the piped word;
        /// `capitalized` writes `A`/`Az`.
        case article(VariableName, capitalized: Bool)
    }

    public var segments: [Segment]

    /// Splits a text into literal parts and pipes. Returns the problems found (an unclosed
    /// `{`, an empty or malformed name) as messages with their UTF-8 offsets into `text`.
    public static func parse(_ text: String) -> (template: TextTemplate, problems: [(offset: Int, message: String)]) {
        var segments: [Segment] = []
        var problems: [(Int, String)] = []
        var literal = ""
        let bytes = Array(text.utf8)
        var i = 0
        func flush() {
            if !literal.isEmpty { segments.append(.literal(literal)) }
            literal = ""
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "{"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") {
                literal += "{"
                i += 2
            } else if b == UInt8(ascii: "}"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "}") {
                literal += "}"
                i += 2
            } else if b == UInt8(ascii: "{") {
                guard let close = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "}")) else {
                    problems.append((i, "'{' starts a pipe that is never closed with '}'"))
                    literal += String(decoding: bytes[i...], as: UTF8.self)
                    break
                }
                let inner = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
                var name = inner, raw = false
                var article: Bool? = nil
                if inner.hasSuffix(":code") {
                    name = String(inner.dropLast(5))
                    raw = true
                } else if inner.hasPrefix("a:") || inner.hasPrefix("A:") {
                    name = String(inner.dropFirst(2))
                    article = inner.first == "A"
                }
                if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                    || name.first?.isNumber == true
                {
                    problems.append((i, "'{\(inner)}' is not a pipe: write {name}, {name:code} or {a:name}, or {{ for a brace"))
                } else {
                    flush()
                    if let capitalized = article {
                        segments.append(.article(VariableName(name), capitalized: capitalized))
                    } else {
                        segments.append(.pipe(VariableName(name), raw: raw))
                    }
                }
                i = close + 1
            } else {
                // Copy one whole UTF-8 scalar.
                var j = i + 1
                while j < bytes.count, bytes[j] & 0xC0 == 0x80 { j += 1 }
                literal += String(decoding: bytes[i..<j], as: UTF8.self)
                i = j
            }
        }
        flush()
        return (TextTemplate(segments: segments), problems)
    }

    public init(segments: [Segment]) { self.segments = segments }

    /// The variables piped into this text.
    public var pipedVariables: [VariableName] {
        segments.compactMap {
            switch $0 {
            case .pipe(let n, _), .article(let n, _): n
            case .literal: nil
            }
        }
    }

    /// Renders the text, asking `resolve` for each pipe's replacement (`true`: the raw code).
    /// An article pipe whose answer is missing renders as nothing, article included.
    public func render(_ resolve: (VariableName, Bool) -> String) -> String {
        segments.map {
            switch $0 {
            case .literal(let s): return s
            case .pipe(let n, let raw): return resolve(n, raw)
            case .article(let n, let capitalized):
                let word = resolve(n, false)
                guard !word.isEmpty else { return "" }
                let article = HungarianArticle.article(before: word)
                return (capitalized ? article.withCapitalFirst : article) + " " + word
            }
        }.joined()
    }
}

/// The Hungarian definite article: `az` before a word pronounced with a vowel first, `a`
/// otherwise (`a Belváros`, `az Avas`, `az 5.`, `a 10.`, `az 1956-os`).
public enum HungarianArticle {
    public static func article(before word: String) -> String {
        // Opening quotes and brackets are not pronounced.
        let spoken = word.drop { "„“\"'(«»‚‘[".contains($0) || $0 == " " }
        guard let first = spoken.first else { return "a" }
        if first.isNumber, first.isASCII {
            return numberStartsWithVowel(spoken.prefix { $0.isASCII && $0.isNumber }) ? "az" : "a"
        }
        return "aáeéiíoóöőuúüű".contains(first.lowercased()) ? "az" : "a"
    }

    /// Whether a number, read out in Hungarian, begins with a vowel: egy (1), öt (5), ötven
    /// (50–59), ötszáz (500–599), ezer (1000–1999), egymillió… Read by its highest group of
    /// three digits.
    static func numberStartsWithVowel<S: StringProtocol>(_ digits: S) -> Bool {
        let trimmed = digits.drop { $0 == "0" }
        guard !trimmed.isEmpty else { return false }  // nulla
        let groups = (trimmed.count + 2) / 3
        let leadLength = trimmed.count - (groups - 1) * 3
        guard let lead = Int(trimmed.prefix(leadLength)) else { return false }
        // 1000–1999 is "ezer"; a leading group of exactly 1 above it is "egymillió", "egymilliárd".
        if lead == 1 { return true }
        if lead >= 100 { return lead / 100 == 5 }  // ötszáz; the other hundreds start with a consonant
        if lead >= 10 { return lead / 10 == 5 }  // ötven; tíz, húsz, harminc… do not
        return lead == 5  // öt; egy is lead == 1 above
    }
}

extension String {
    /// The first character upper-cased (`az` → `Az`).
    fileprivate var withCapitalFirst: String { prefix(1).uppercased() + dropFirst() }
}
