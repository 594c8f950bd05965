/// A text with piped answers: `{name}` inserts the answer's label (or value), `{name:code}` its
/// raw value, and `{{` / `}}` are literal braces.
public struct TextTemplate: Hashable, Sendable {
    public enum Segment: Hashable, Sendable {
        case literal(String)
        /// A pipe; `raw` asks for the code or value instead of the label.
        case pipe(VariableName, raw: Bool)
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
                if inner.hasSuffix(":code") {
                    name = String(inner.dropLast(5))
                    raw = true
                }
                if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                    || name.first?.isNumber == true
                {
                    problems.append((i, "'{\(inner)}' is not a pipe: write {name} or {name:code}, or {{ for a brace"))
                } else {
                    flush()
                    segments.append(.pipe(VariableName(name), raw: raw))
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
        segments.compactMap { if case .pipe(let n, _) = $0 { return n } else { return nil } }
    }

    /// Renders the text, asking `resolve` for each pipe's replacement.
    public func render(_ resolve: (VariableName, Bool) -> String) -> String {
        segments.map {
            switch $0 {
            case .literal(let s): s
            case .pipe(let n, let raw): resolve(n, raw)
            }
        }.joined()
    }
}
