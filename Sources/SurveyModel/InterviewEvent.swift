/// Where an answer lives: a variable, plus its row numbers in each enclosing roster (outermost
/// first, counting from 1). Written `hh_size`, `m_age[2]`, `x[1,3]`.
public struct Address: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var variable: VariableName
    public var rows: [Int]

    public init(_ variable: VariableName, rows: [Int] = []) {
        self.variable = variable
        self.rows = rows
    }

    public var description: String {
        rows.isEmpty ? variable.rawValue : "\(variable)[\(rows.map(String.init).joined(separator: ","))]"
    }

    /// Parses the written form.
    public init?(parsing text: String) {
        guard let open = text.firstIndex(of: "[") else {
            guard !text.isEmpty else { return nil }
            self.init(VariableName(text))
            return
        }
        guard text.hasSuffix("]") else { return nil }
        let name = String(text[..<open])
        let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        let rows = inner.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard !name.isEmpty, !rows.isEmpty, rows.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        self.init(VariableName(name), rows: rows.compactMap { $0 })
    }

    public static func < (a: Address, b: Address) -> Bool {
        a.variable != b.variable ? a.variable < b.variable : a.rows.lexicographicallyPrecedes(b.rows)
    }
}

/// One thing that happened in an interview. The append-only log of these *is* the interview:
/// replaying it through the engine gives the current state, and it is what sync ships.
public enum InterviewEventKind: Hashable, Sendable {
    /// The interview began on a definition, with a randomisation seed, preloaded values and
    /// case identifiers (cluster, address…), in a language.
    case started(definition: DefinitionHash, seed: UInt64, language: LanguageCode, preload: [VariableName: Value])
    /// An answer was confirmed (a value or a special answer).
    case answered(Address, Answer)
    /// An answer was removed by the interviewer (never by routing).
    case cleared(Address)
    /// A row was added to an open roster, under the given enclosing rows.
    case rowAdded(GroupID, parentRows: [Int])
    /// The last row of an open roster was removed (its answers stay in the log).
    case rowRemoved(GroupID, parentRows: [Int])
    /// A soft check was confirmed by the interviewer, at the rows it failed in, with a reason.
    case warningConfirmed(CheckID, rows: [Int], reason: String?)
    /// A question was shown (paradata: timing, navigation).
    case shown(Address)
    /// An interviewer's note on a question or the whole interview.
    case note(Address?, String)
    case languageChanged(LanguageCode)
    /// The visit ended with an outcome code (complete, refusal, non-contact…); whether the case
    /// is final follows the questionnaire's visit rules (``VisitRules``).
    case ended(outcome: Int)
    /// An ended interview was reopened — the next visit to its case, a wrong outcome corrected,
    /// or a fix after review — and why; who and when are the event's interviewer and timestamp.
    case reopened(reason: String? = nil)
    /// The interview was marked (true) or unmarked (false) as a test/training interview; such
    /// interviews are kept but excluded from exports and reports. The latest mark wins.
    case trainingMarked(Bool)
    /// The interview was started for this case of the sample (written right after `started` by
    /// a device that was given the case in a coordinator's package). Like a training mark, it is
    /// a label: it does not move the interview's clock and is no visit.
    case assignedCase(CaseID)
}

extension InterviewEventKind {
    /// Whether the event is a label on the interview (a training mark, the case it is for)
    /// rather than work on it: a label moves no clock and starts no visit.
    public var isLabel: Bool {
        switch self {
        case .trainingMarked, .assignedCase: true
        default: false
        }
    }
}

/// An event with its provenance. `(device, sequence)` identifies it everywhere.
public struct InterviewEvent: Hashable, Sendable, Codable {
    public var device: DeviceID
    /// Per-device, strictly increasing from 1, without gaps.
    public var sequence: Int64
    public var interview: InterviewID
    /// Milliseconds since 1970-01-01T00:00:00Z, from the device clock (passed in, never read by the engine).
    public var timestamp: Int64
    public var interviewer: String
    public var kind: InterviewEventKind

    public init(
        device: DeviceID, sequence: Int64, interview: InterviewID, timestamp: Int64, interviewer: String,
        kind: InterviewEventKind
    ) {
        self.device = device
        self.sequence = sequence
        self.interview = interview
        self.timestamp = timestamp
        self.interviewer = interviewer
        self.kind = kind
    }
}

// MARK: - Codable
// {"started":{"definition":…,"seed":…,"language":"hu","preload":{…}}}
// {"answered":{"at":"m_age[2]","answer":{"int":34}}}  {"cleared":{"at":…}}
// {"rowAdded":{"roster":"mem","parentRows":[]}}  {"rowRemoved":{…}}
// {"warningConfirmed":{"check":"chk_x","rows":[],"reason":"…"}}  {"shown":{"at":…}}
// {"note":{"at":…,"text":"…"}}  {"languageChanged":{"language":"en"}}  {"ended":{"outcome":11}}  {"reopened":{"reason":"…"}} (reason optional)
// {"trainingMarked":{"value":true}}  {"assignedCase":{"id":"W-0042"}}

private enum EventKindKey: String, CodingKey {
    case started, answered, cleared, rowAdded, rowRemoved, warningConfirmed, shown, note, languageChanged, ended, reopened, trainingMarked,
        assignedCase
}

private enum EventFieldKey: String, CodingKey {
    case definition, seed, language, preload, at, answer, roster, parentRows, check, rows, reason, text, outcome, value, id
}

extension InterviewEventKind: Codable {
    public init(from decoder: any Decoder) throws {
        let outer = try decoder.container(keyedBy: EventKindKey.self)
        guard let key = outer.allKeys.first, outer.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an event has exactly one kind"))
        }
        let c = try outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: key)
        func address() throws -> Address {
            let text = try c.decode(String.self, forKey: .at)
            guard let a = Address(parsing: text) else {
                throw DecodingError.dataCorruptedError(forKey: .at, in: c, debugDescription: "bad address '\(text)'")
            }
            return a
        }
        switch key {
        case .started:
            let preload = try c.decode([String: Value].self, forKey: .preload)
            self = .started(
                definition: try c.decode(DefinitionHash.self, forKey: .definition),
                seed: try c.decode(UInt64.self, forKey: .seed),
                language: try c.decode(LanguageCode.self, forKey: .language),
                preload: Dictionary(uniqueKeysWithValues: preload.map { (VariableName($0.key), $0.value) }))
        case .answered: self = .answered(try address(), try c.decode(Answer.self, forKey: .answer))
        case .cleared: self = .cleared(try address())
        case .rowAdded:
            self = .rowAdded(try c.decode(GroupID.self, forKey: .roster), parentRows: try c.decode([Int].self, forKey: .parentRows))
        case .rowRemoved:
            self = .rowRemoved(try c.decode(GroupID.self, forKey: .roster), parentRows: try c.decode([Int].self, forKey: .parentRows))
        case .warningConfirmed:
            self = .warningConfirmed(
                try c.decode(CheckID.self, forKey: .check), rows: try c.decode([Int].self, forKey: .rows),
                reason: try c.decodeIfPresent(String.self, forKey: .reason))
        case .shown: self = .shown(try address())
        case .note:
            let at = try c.decodeIfPresent(String.self, forKey: .at).flatMap(Address.init(parsing:))
            self = .note(at, try c.decode(String.self, forKey: .text))
        case .languageChanged: self = .languageChanged(try c.decode(LanguageCode.self, forKey: .language))
        case .ended: self = .ended(outcome: try c.decode(Int.self, forKey: .outcome))
        case .reopened: self = .reopened(reason: try c.decodeIfPresent(String.self, forKey: .reason))
        case .trainingMarked: self = .trainingMarked(try c.decode(Bool.self, forKey: .value))
        case .assignedCase: self = .assignedCase(try c.decode(CaseID.self, forKey: .id))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var outer = encoder.container(keyedBy: EventKindKey.self)
        switch self {
        case .started(let definition, let seed, let language, let preload):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .started)
            try c.encode(definition, forKey: .definition)
            try c.encode(seed, forKey: .seed)
            try c.encode(language, forKey: .language)
            try c.encode(Dictionary(uniqueKeysWithValues: preload.map { ($0.key.rawValue, $0.value) }), forKey: .preload)
        case .answered(let at, let answer):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .answered)
            try c.encode(at.description, forKey: .at)
            try c.encode(answer, forKey: .answer)
        case .cleared(let at):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .cleared)
            try c.encode(at.description, forKey: .at)
        case .rowAdded(let roster, let parentRows):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .rowAdded)
            try c.encode(roster, forKey: .roster)
            try c.encode(parentRows, forKey: .parentRows)
        case .rowRemoved(let roster, let parentRows):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .rowRemoved)
            try c.encode(roster, forKey: .roster)
            try c.encode(parentRows, forKey: .parentRows)
        case .warningConfirmed(let check, let rows, let reason):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .warningConfirmed)
            try c.encode(check, forKey: .check)
            try c.encode(rows, forKey: .rows)
            try c.encodeIfPresent(reason, forKey: .reason)
        case .shown(let at):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .shown)
            try c.encode(at.description, forKey: .at)
        case .note(let at, let text):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .note)
            try c.encodeIfPresent(at?.description, forKey: .at)
            try c.encode(text, forKey: .text)
        case .languageChanged(let language):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .languageChanged)
            try c.encode(language, forKey: .language)
        case .ended(let outcome):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .ended)
            try c.encode(outcome, forKey: .outcome)
        case .reopened(let reason):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .reopened)
            try c.encodeIfPresent(reason, forKey: .reason)
        case .trainingMarked(let value):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .trainingMarked)
            try c.encode(value, forKey: .value)
        case .assignedCase(let id):
            var c = outer.nestedContainer(keyedBy: EventFieldKey.self, forKey: .assignedCase)
            try c.encode(id, forKey: .id)
        }
    }
}
