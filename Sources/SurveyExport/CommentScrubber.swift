import Foundation

/// How the texts of interviewers' notes and confirmation reasons reach an export
/// (`<survey>_comments.csv`). Free text can name people, so under `--pii drop` and
/// `--pii pseudonymise` the comments are left out unless asked for (`--comments`), and then
/// scrubbed; only `--pii keep` writes them as typed.
public enum CommentTexts: Sendable, Equatable {
    /// No comments file (the export log counts what was left out).
    case leftOut
    /// Written, with what looks like personal data replaced by a marker (``CommentScrubber``).
    case scrubbed
    /// Written as typed (`--pii keep`).
    case asTyped
}

/// Replaces what looks like personal data in a comment by a marker in brackets:
///
/// - e-mail addresses (a word with `@` and a dot after it): `[e-mail]`;
/// - phone numbers (a run of digits, spaces, `+ - / ( )` holding 7 digits or more; an ISO date
///   is not one): `[phone]`;
/// - the interview's own personal answers (the texts of its `pii` and `pii pseudonym`
///   questions, and the interviewer's login) and each of their words of 3 letters or more,
///   wherever they occur, ignoring case: `[personal]`;
/// - names: a word of 3 letters or more that begins with a capital letter in the middle of a
///   sentence (Hungarian capitalises proper names only), or a capitalised word at a sentence's
///   start followed by another one ("Kovács Anna nem volt otthon"): `[name]` for each run.
///
/// It is a heuristic and errs on the side of removing: place and organisation names in the
/// middle of a sentence go too, and a lone first name at a sentence's start stays (the docs say
/// so). Nothing is ever added but the markers.
public struct CommentScrubber: Sendable {
    /// Texts to remove wherever they occur, longest first.
    private let personal: [String]

    public init(personal: [String]) {
        var texts = Set<String>()
        for value in personal {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count >= 3 else { continue }
            texts.insert(trimmed)
            for word in trimmed.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.count >= 3 {
                texts.insert(String(word))
            }
        }
        self.personal = texts.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    public static let personalMarker = "[personal]"
    public static let emailMarker = "[e-mail]"
    public static let phoneMarker = "[phone]"
    public static let nameMarker = "[name]"

    /// The scrubbed text.
    public func scrub(_ text: String) -> String {
        let marked = Self.scrubWords(text, names: false)
        return Self.scrubWords(removingPersonal(from: marked), names: true)
    }

    /// The text with every occurrence of the interview's personal texts replaced (longest first;
    /// markers already in the text are left as they are).
    private func removingPersonal(from text: String) -> String {
        var kept: [Range<String.Index>] = []
        for marker in [Self.emailMarker, Self.phoneMarker] {
            var from = text.startIndex
            while let range = text.range(of: marker, range: from..<text.endIndex) {
                kept.append(range)
                from = range.upperBound
            }
        }
        var found: [Range<String.Index>] = []
        for value in personal {
            var from = text.startIndex
            while from < text.endIndex, let range = text.range(of: value, options: [.caseInsensitive], range: from..<text.endIndex) {
                if !(found + kept).contains(where: { $0.overlaps(range) }) { found.append(range) }
                from = range.upperBound
            }
        }
        guard !found.isEmpty else { return text }
        var out = "", at = text.startIndex
        for range in found.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            out += text[at..<range.lowerBound] + Self.personalMarker
            at = range.upperBound
        }
        return out + text[at...]
    }

    /// E-mail addresses and phone numbers, or names, word by word (whitespace kept as typed).
    static func scrubWords(_ text: String, names: Bool) -> String {
        let words = Word.split(text)
        guard !words.isEmpty else { return text }
        var kinds: [Kind]
        if names {
            kinds = Array(repeating: .plain, count: words.count)
            markNames(words, &kinds)
        } else {
            kinds = words.map { Self.kind(of: $0.core) }
            markPhones(words, &kinds)
        }
        var out = ""
        var i = 0
        while i < words.count {
            let w = words[i]
            guard let marker = kinds[i].marker else {
                out += w.before + w.lead + w.core + w.trail
                i += 1
                continue
            }
            // A run of the same kind becomes one marker (its inner spaces go with it).
            var j = i
            while j + 1 < words.count, kinds[j + 1] == kinds[i], joined(words, j, kinds[i]) { j += 1 }
            let parens: (Character) -> Bool = { "()".contains($0) }
            let lead = kinds[i] == .phone ? w.lead.filter { !parens($0) } : String(w.lead)
            let trail = kinds[i] == .phone ? words[j].trail.filter { !parens($0) } : String(words[j].trail)
            out += w.before + lead + marker + trail
            i = j + 1
        }
        return out + (words[words.count - 1].after ?? "")
    }

    /// Whether word `j` and the next one belong to one phone number or one name: nothing but
    /// whitespace between them (a phone number's area code may be in brackets).
    private static func joined(_ words: [Word], _ j: Int, _ kind: Kind) -> Bool {
        let between = words[j].trail + words[j + 1].lead
        return kind == .name ? between.isEmpty : between.allSatisfy { "()".contains($0) }
    }

    enum Kind: Equatable {
        case plain, email, phoneDigits, phone, name
        var marker: String? {
            switch self {
            case .email: CommentScrubber.emailMarker
            case .phone: CommentScrubber.phoneMarker
            case .name: CommentScrubber.nameMarker
            case .plain, .phoneDigits: nil
            }
        }
    }

    private static func kind(of core: Substring) -> Kind {
        if let at = core.firstIndex(of: "@"), core[core.index(after: at)...].contains("."), at != core.startIndex { return .email }
        if !core.isEmpty, core.allSatisfy({ $0.isASCII && ($0.isNumber || "+-/()".contains($0)) }), core.contains(where: \.isNumber) {
            return .phoneDigits
        }
        return .plain
    }

    /// Runs of number-like words with 7 digits or more become phones; an ISO date does not.
    private static func markPhones(_ words: [Word], _ kinds: inout [Kind]) {
        var i = 0
        while i < words.count {
            guard kinds[i] == .phoneDigits else {
                i += 1
                continue
            }
            var j = i
            while j + 1 < words.count, kinds[j + 1] == .phoneDigits, joined(words, j, .phone) { j += 1 }
            let run = words[i...j].map { String($0.core) }.joined(separator: " ")
            let digits = run.count(where: \.isNumber)
            let isDate = i == j && run.split(separator: "-").map(\.count) == [4, 2, 2]
            for k in i...j { kinds[k] = digits >= 7 && !isDate ? .phone : .plain }
            i = j + 1
        }
    }

    /// Capitalised words in the middle of a sentence, and runs of two or more at its start.
    private static func markNames(_ words: [Word], _ kinds: inout [Kind]) {
        func capitalised(_ i: Int) -> Bool {
            guard i < words.count, kinds[i] == .plain, let first = words[i].core.first, words[i].core.count >= 3 else { return false }
            return first.isUppercase && words[i].core.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" }
        }
        for i in words.indices {
            let startsSentence =
                i == 0 || words[i].before.contains("\n")
                || words[i - 1].trail.contains(where: { ".!?:;".contains($0) })
            let afterName = i > 0 && kinds[i - 1] == .name && joined(words, i - 1, .name)
            if capitalised(i), !startsSentence || capitalised(i + 1) || afterName { kinds[i] = .name }
        }
    }

    /// A word: what precedes it (whitespace), leading punctuation, the core, trailing punctuation.
    struct Word {
        var before: Substring
        var lead: Substring
        var core: Substring
        var trail: Substring
        /// The whitespace after the last word (only set on the last one).
        var after: Substring? = nil

        static func split(_ text: String) -> [Word] {
            var words: [Word] = []
            var i = text.startIndex
            while i < text.endIndex {
                let spaceEnd = text[i...].firstIndex(where: { !$0.isWhitespace }) ?? text.endIndex
                if spaceEnd == text.endIndex {
                    if !words.isEmpty { words[words.count - 1].after = text[i...] }
                    break
                }
                let end = text[spaceEnd...].firstIndex(where: \.isWhitespace) ?? text.endIndex
                let token = text[spaceEnd..<end]
                let coreStart = token.firstIndex(where: isCore) ?? token.endIndex
                let coreEnd = token.lastIndex(where: isCore).map(token.index(after:)) ?? coreStart
                words.append(
                    Word(
                        before: text[i..<spaceEnd], lead: token[..<coreStart], core: token[coreStart..<max(coreStart, coreEnd)],
                        trail: token[max(coreStart, coreEnd)...]))
                i = end
            }
            return words
        }

        private static func isCore(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "+" || c == "@" }
    }
}
