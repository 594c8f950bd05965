/// The fast reader of ``EventJSON``, ~10× quicker than `JSONDecoder` on Linux.
///
/// It accepts a strict subset of JSON (the shapes `InterviewEvent`'s Codable form produces:
/// known keys only, no duplicates, integers without fraction or exponent, valid UTF-8) and
/// returns nil for anything else; ``EventJSON`` then decodes the bytes with `JSONDecoder`,
/// which decides. So whenever it returns a value, that value equals what `JSONDecoder` gives
/// (property-tested and fuzzed against it).
enum EventJSONReader {
    /// One event.
    static func event(_ bytes: UnsafeRawBufferPointer) -> InterviewEvent? {
        MiniJSON.parse(bytes).flatMap(event)
    }

    /// One event kind (a stored `payload_json`).
    static func kind(_ bytes: UnsafeRawBufferPointer) -> InterviewEventKind? {
        MiniJSON.parse(bytes).flatMap(eventKind)
    }

    /// An object of values by variable name (preload, case identifiers).
    static func values(_ bytes: UnsafeRawBufferPointer) -> [VariableName: Value]? {
        MiniJSON.parse(bytes).flatMap(values)
    }

    private static func event(_ node: MiniJSON) -> InterviewEvent? {
        guard case .object(let fields) = node, fields.count == 6 else { return nil }
        var device: String?, interview: String?, interviewer: String?
        var sequence: Int64?, timestamp: Int64?
        var kind: InterviewEventKind?
        for (key, value) in fields {
            switch key {
            case "device": device = value.string
            case "interview": interview = value.string
            case "interviewer": interviewer = value.string
            case "sequence": sequence = value.int64
            case "timestamp": timestamp = value.int64
            case "kind": kind = eventKind(value)
            default: return nil
            }
        }
        guard let device, let interview, let interviewer, let sequence, let timestamp, let kind else { return nil }
        return InterviewEvent(
            device: DeviceID(device), sequence: sequence, interview: InterviewID(interview), timestamp: timestamp,
            interviewer: interviewer, kind: kind)
    }

    private static func eventKind(_ node: MiniJSON) -> InterviewEventKind? {
        guard case .object(let outer) = node, outer.count == 1, case .object(let f) = outer[0].value else { return nil }
        let fields = Fields(f)
        switch outer[0].key {
        case "answered":
            guard fields.only(Keys.answered), let at = fields.address("at"), let a = fields["answer"].flatMap(answer) else {
                return nil
            }
            return .answered(at, a)
        case "shown":
            guard fields.only(Keys.address), let at = fields.address("at") else { return nil }
            return .shown(at)
        case "cleared":
            guard fields.only(Keys.address), let at = fields.address("at") else { return nil }
            return .cleared(at)
        case "started":
            guard fields.only(Keys.started), let d = fields["definition"]?.string,
                let seed = fields["seed"]?.uint64, let l = fields["language"]?.string,
                let preload = fields["preload"].flatMap(values)
            else { return nil }
            return .started(definition: DefinitionHash(d), seed: seed, language: LanguageCode(l), preload: preload)
        case "rowAdded", "rowRemoved":
            guard fields.only(Keys.row), let r = fields["roster"]?.string, let rows = fields["parentRows"]?.ints
            else { return nil }
            return outer[0].key == "rowAdded" ? .rowAdded(GroupID(r), parentRows: rows) : .rowRemoved(GroupID(r), parentRows: rows)
        case "ended":
            guard fields.only(Keys.ended), let o = fields["outcome"]?.int64, let outcome = Int(exactly: o) else { return nil }
            return .ended(outcome: outcome)
        case "reopened":
            guard fields.only(Keys.reopened) else { return nil }
            guard let r = fields["reason"] else { return .reopened(reason: nil) }
            return r.string.map { .reopened(reason: $0) }
        case "trainingMarked":
            guard fields.only(Keys.trainingMarked), case .bool(let value)? = fields["value"] else { return nil }
            return .trainingMarked(value)
        case "assignedCase":
            guard fields.only(Keys.assignedCase), let id = fields["id"]?.string else { return nil }
            return .assignedCase(CaseID(id))
        case "languageChanged":
            guard fields.only(Keys.languageChanged), let l = fields["language"]?.string else { return nil }
            return .languageChanged(LanguageCode(l))
        case "note":
            guard fields.only(Keys.note), let text = fields["text"]?.string else { return nil }
            guard let at = fields["at"] else { return .note(nil, text) }
            guard let s = at.string else { return nil }
            return .note(Address(parsing: s), text)
        case "warningConfirmed":
            guard fields.only(Keys.warningConfirmed), let c = fields["check"]?.string, let rows = fields["rows"]?.ints
            else { return nil }
            guard let r = fields["reason"] else { return .warningConfirmed(CheckID(c), rows: rows, reason: nil) }
            guard let reason = r.string else { return nil }
            return .warningConfirmed(CheckID(c), rows: rows, reason: reason)
        default: return nil
        }
    }

    private static func values(_ node: MiniJSON) -> [VariableName: Value]? {
        guard case .object(let pairs) = node else { return nil }
        var values: [VariableName: Value] = [:]
        values.reserveCapacity(pairs.count)
        for (k, v) in pairs {
            guard let value = value(v) else { return nil }
            values[VariableName(k)] = value
        }
        return values
    }

    private static func answer(_ node: MiniJSON) -> Answer? {
        guard case .object(let f) = node, f.count == 1 else { return nil }
        if f[0].key == "special" {
            guard let s = f[0].value.string, let special = SpecialAnswer(rawValue: s) else { return nil }
            return .special(special)
        }
        return value(node).map(Answer.value)
    }

    private static func value(_ node: MiniJSON) -> Value? {
        guard case .object(let f) = node, f.count == 1 else { return nil }
        let v = f[0].value
        switch f[0].key {
        case "int": return v.int64.flatMap { Int(exactly: $0) }.map(Value.integer)
        case "dec": return (v.int64.map(Double.init) ?? v.fraction).map(Value.decimal)
        case "text": return v.string.map(Value.text)
        case "bool": if case .bool(let b) = v { return .boolean(b) } else { return nil }
        case "date": return v.string.flatMap(LocalDate.init(iso:)).map(Value.date)
        case "time": return v.string.flatMap(TimeOfDay.init(text:)).map(Value.time)
        case "datetime": return v.string.flatMap(LocalDateTime.init(iso:)).map(Value.datetime)
        case "code": return v.int64.flatMap { Int(exactly: $0) }.map(Value.choice)
        case "codes": return v.ints.map { Value.choices(normalizing: $0) }
        default: return nil
        }
    }

    /// The keys each kind's object may hold: made once, not a set per event.
    private enum Keys {
        static let answered = ["at", "answer"]
        static let address = ["at"]
        static let started = ["definition", "seed", "language", "preload"]
        static let row = ["roster", "parentRows"]
        static let ended = ["outcome"]
        static let reopened = ["reason"]
        static let trainingMarked = ["value"]
        static let assignedCase = ["id"]
        static let languageChanged = ["language"]
        static let note = ["at", "text"]
        static let warningConfirmed = ["check", "rows", "reason"]
    }

    /// An object's fields with lookup by key.
    private struct Fields {
        let pairs: [(key: String, value: MiniJSON)]
        init(_ pairs: [(key: String, value: MiniJSON)]) { self.pairs = pairs }
        subscript(key: String) -> MiniJSON? { pairs.first { $0.key == key }?.value }
        /// Whether every key is one of `allowed` (duplicates were already refused by the parser).
        func only(_ allowed: [String]) -> Bool { pairs.allSatisfy { allowed.contains($0.key) } }
        func address(_ key: String) -> Address? { self[key]?.string.flatMap(Address.init(parsing:)) }
    }
}
