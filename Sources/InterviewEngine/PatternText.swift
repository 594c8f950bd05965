/// Generates text matching a simple regular expression, for the simulator.
///
/// Supports what questionnaires use for phone numbers and e-mail addresses: literals, escapes
/// (`\d \w \s \.`), classes with ranges and negation (`[a-z0-9._%+-]`, `[^@\s]`), groups with
/// alternation, `^`/`$`, and the quantifiers `? * + {n} {n,} {n,m}`. Returns nil for anything
/// else, so the caller can fall back to a special answer.
struct PatternText {
    private indirect enum Piece {
        case chars([Character])
        case alternatives([[Piece]])
        case repeated(Piece, min: Int, max: Int)
    }

    private let pattern: [Character]
    private var i = 0

    static func generate<G: RandomNumberGenerator>(_ pattern: String, using rng: inout G) -> String? {
        var parser = PatternText(pattern: Array(pattern))
        guard let seq = parser.parseAlternatives(), parser.i == parser.pattern.count else { return nil }
        var out = ""
        emit(.alternatives(seq), into: &out, using: &rng)
        return out
    }

    private init(pattern: [Character]) { self.pattern = pattern }

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
    private static let digits = Array("0123456789")
    private static let word = alphabet + digits

    private mutating func parseAlternatives() -> [[Piece]]? {
        var alternatives: [[Piece]] = [[]]
        while i < pattern.count {
            let c = pattern[i]
            if c == ")" { break }
            i += 1
            var piece: Piece
            switch c {
            case "|":
                alternatives.append([])
                continue
            case "^", "$": continue
            case "(":
                if i + 1 < pattern.count, pattern[i] == "?", pattern[i + 1] == ":" { i += 2 }
                guard let inner = parseAlternatives(), i < pattern.count, pattern[i] == ")" else { return nil }
                i += 1
                piece = .alternatives(inner)
            case "[":
                guard let set = parseClass() else { return nil }
                piece = .chars(set)
            case "\\":
                guard i < pattern.count, let set = escape(pattern[i]) else { return nil }
                i += 1
                piece = .chars(set)
            case ".": piece = .chars(Self.word)
            case "*", "+", "?", "{": return nil
            default: piece = .chars([c])
            }
            guard let quantified = quantifier(piece) else { return nil }
            alternatives[alternatives.count - 1].append(quantified)
        }
        return alternatives
    }

    private mutating func quantifier(_ piece: Piece) -> Piece? {
        guard i < pattern.count else { return piece }
        switch pattern[i] {
        case "?": i += 1; return .repeated(piece, min: 0, max: 1)
        case "*": i += 1; return .repeated(piece, min: 0, max: 4)
        case "+": i += 1; return .repeated(piece, min: 1, max: 6)
        case "{":
            guard let close = pattern[i...].firstIndex(of: "}") else { return nil }
            let body = String(pattern[(i + 1)..<close])
            i = close + 1
            let parts = body.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard let lo = parts.first ?? nil else { return nil }
            let hi = parts.count == 1 ? lo : (parts[1] ?? lo + 6)
            return .repeated(piece, min: lo, max: Swift.max(lo, hi))
        default: return piece
        }
    }

    private func escape(_ c: Character) -> [Character]? {
        switch c {
        case "d": Self.digits
        case "w": Self.word
        case "s": [" "]
        default: c.isLetter || c.isNumber ? nil : [c]
        }
    }

    private mutating func parseClass() -> [Character]? {
        var negate = false
        if i < pattern.count, pattern[i] == "^" {
            negate = true
            i += 1
        }
        var set: [Character] = []
        var first = true
        while i < pattern.count, pattern[i] != "]" || first {
            first = false
            var c = pattern[i]
            i += 1
            if c == "\\" {
                guard i < pattern.count, let e = escape(pattern[i]) else { return nil }
                i += 1
                set += e
                continue
            }
            if i + 1 < pattern.count, pattern[i] == "-", pattern[i + 1] != "]",
                let lo = c.unicodeScalars.first?.value, let hi = pattern[i + 1].unicodeScalars.first?.value, lo <= hi
            {
                i += 2
                for v in lo...hi { if let s = Unicode.Scalar(v) { set.append(Character(s)) } }
                continue
            }
            set.append(c)
            c = " "
        }
        guard i < pattern.count else { return nil }
        i += 1
        if negate { return Self.word.filter { !set.contains($0) } }
        return set.isEmpty ? nil : set
    }

    private static func emit<G: RandomNumberGenerator>(_ piece: Piece, into out: inout String, using rng: inout G) {
        switch piece {
        case .chars(let set): if let c = set.randomElement(using: &rng) { out.append(c) }
        case .alternatives(let alts):
            guard let seq = alts.randomElement(using: &rng) else { return }
            for p in seq { emit(p, into: &out, using: &rng) }
        case .repeated(let p, let lo, let hi):
            for _ in 0..<Int.random(in: lo...hi, using: &rng) { emit(p, into: &out, using: &rng) }
        }
    }
}
