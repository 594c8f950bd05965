/// The answer being typed on the full screen: text as grapheme clusters, a caret between them,
/// and the question's length limit.
///
/// Every edit works on whole characters as the reader sees them, so Backspace after `ő` (one
/// scalar, or `o` and a combining double acute) removes the `ő`, and a wide CJK character moves
/// the caret two columns. Only printable text gets in (``TypedText``); input that would run past
/// the limit is refused, not cut.
///
/// A line that comes up holding the question's answer is *fresh*, as if selected: typing
/// replaces it and Backspace clears it, while the arrows, Home and End keep it to be edited.
public struct LineEditor: Hashable, Sendable {
    public private(set) var characters: [Character]
    /// The caret: how many characters are before it.
    public private(set) var caret: Int
    /// The most characters the answer may have (a text question's `maxlength`), if any.
    public var limit: Int?
    /// Whether the text is still as it came up (typing replaces it).
    public private(set) var fresh: Bool

    public init(_ text: String = "", limit: Int? = nil, fresh: Bool = false) {
        characters = Array(text)
        caret = characters.count
        self.limit = limit
        self.fresh = fresh && !text.isEmpty
    }

    /// Clears a fresh line before the first edit; moving the caret only makes it ordinary text.
    private mutating func replacingFresh() -> Bool {
        guard fresh else { return false }
        fresh = false
        characters = []
        caret = 0
        return true
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }
    public var count: Int { characters.count }

    /// What an edit did.
    public enum Outcome: Hashable, Sendable {
        case changed
        /// Nothing to do (e.g. Backspace at the start).
        case unchanged
        /// The limit is reached: the input was refused.
        case full
        /// The input is not printable text.
        case refused
    }

    /// Inserts typed text at the caret (a key, or a pasted run of keys).
    @discardableResult
    public mutating func insert(_ typed: String) -> Outcome {
        guard TypedText.problem(in: typed) == nil else { return .refused }
        var outcome = replacingFresh() ? Outcome.changed : .unchanged
        for scalar in typed.unicodeScalars {
            // A combining mark joins the character before the caret (o + ̋ = ő).
            if caret > 0, scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark {
                let joined = String(characters[caret - 1]) + String(scalar)
                if joined.count == 1 {
                    characters[caret - 1] = Character(joined)
                    outcome = .changed
                    continue
                }
            }
            if let limit, characters.count >= limit { return .full }
            characters.insert(Character(scalar), at: caret)
            caret += 1
            outcome = .changed
        }
        return outcome
    }

    @discardableResult
    public mutating func backspace() -> Outcome {
        if replacingFresh() { return .changed }
        guard caret > 0 else { return .unchanged }
        characters.remove(at: caret - 1)
        caret -= 1
        return .changed
    }

    @discardableResult
    public mutating func delete() -> Outcome {
        if replacingFresh() { return .changed }
        guard caret < characters.count else { return .unchanged }
        characters.remove(at: caret)
        return .changed
    }

    public mutating func left() {
        fresh = false
        caret = max(0, caret - 1)
    }

    public mutating func right() {
        fresh = false
        caret = min(characters.count, caret + 1)
    }

    public mutating func home() {
        fresh = false
        caret = 0
    }

    public mutating func end() {
        fresh = false
        caret = characters.count
    }

    /// Ctrl-U: removes everything before the caret.
    @discardableResult
    public mutating func killToStart() -> Outcome {
        fresh = false
        guard caret > 0 else { return .unchanged }
        characters.removeFirst(caret)
        caret = 0
        return .changed
    }

    /// Ctrl-K: removes everything after the caret.
    @discardableResult
    public mutating func killToEnd() -> Outcome {
        fresh = false
        guard caret < characters.count else { return .unchanged }
        characters.removeLast(characters.count - caret)
        return .changed
    }

    /// Ctrl-W: removes the word before the caret (and the spaces after it).
    @discardableResult
    public mutating func deleteWord() -> Outcome {
        if replacingFresh() { return .changed }
        guard caret > 0 else { return .unchanged }
        var start = caret
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<caret)
        caret = start
        return .changed
    }

    /// The display columns before the caret.
    public var caretColumn: Int { characters[..<caret].reduce(0) { $0 + TextLayout.width(of: $1) } }
}
