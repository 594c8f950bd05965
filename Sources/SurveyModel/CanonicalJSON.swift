/// The writer of canonical JSON — compact, keys sorted, `/` unescaped — byte for byte what
/// `JSONEncoder` writes from the model's `Codable` forms with ``SurveyDefinition/canonicalEncoder(pretty:)``,
/// several times faster (which dominates compile time on large forms, and every event's
/// encoding). It writes ``SurveyDefinition/canonicalJSON()`` and the event wire format
/// (``EventJSON``).
///
/// It mirrors the Codable forms key by key, with keys in sorted order and absent optionals
/// omitted. `Codable` is its test oracle: tests and the fuzz targets check that its output
/// equals `JSONEncoder`'s byte for byte; for anything it cannot write identically (non-finite
/// decimals) it sets `unsupported` and the caller falls back to `JSONEncoder`. SurveySync writes
/// a bundle's manifest and interview lines with its primitives.
package struct CanonicalJSONWriter {
    package var bytes: [UInt8] = []
    /// Set when a value cannot be written the way JSONEncoder would.
    var unsupported = false

    package init() {}

    static func encode(_ d: SurveyDefinition) -> [UInt8]? {
        var w = CanonicalJSONWriter()
        w.bytes.reserveCapacity(1 << 16)
        w.definition(d)
        return w.unsupported ? nil : w.bytes
    }

    // MARK: - Primitives

    package mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    package mutating func int(_ v: Int) { digits(UInt64(v.magnitude), negative: v < 0) }

    /// A whole number's decimal digits, as `String(v)` and JSONEncoder write them (a minus sign,
    /// no leading zeros), written in place: `String(v)` made a string for every number.
    mutating func digits(_ magnitude: UInt64, negative: Bool) {
        if negative { bytes.append(0x2D) }
        if magnitude < 10 { return bytes.append(0x30 + UInt8(truncatingIfNeeded: magnitude)) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in  // UInt64.max has 20 digits
            var rest = magnitude
            var start = 20
            repeat {
                start -= 1
                buffer[start] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    mutating func bool(_ v: Bool) { v ? raw("true") : raw("false") }

    mutating func double(_ v: Double) {
        guard v.isFinite else {
            unsupported = true
            return
        }
        var s = v.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        bytes.append(contentsOf: s.utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    package mutating func string(_ s: String) {
        bytes.append(0x22)
        // Most texts need no escape: copy their bytes at once.
        let copied = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard ByteScan.plainJSONRun(in: UnsafeRawBufferPointer(utf8), from: 0).end == utf8.count else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied != true { escape(s) }
        bytes.append(0x22)
    }

    /// A string's bytes with JSONEncoder's escapes.
    private mutating func escape(_ s: String) {
        for b in s.utf8 {
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(CanonicalJSONWriter.hex[Int(b >> 4)])
                bytes.append(CanonicalJSONWriter.hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
    }

    /// Writes `"key":` preceded by a comma unless it is the first key of the object.
    package mutating func key(_ k: StaticString, _ first: inout Bool) {
        if !first { bytes.append(0x2C) }
        first = false
        bytes.append(0x22)
        raw(k)
        raw("\":")
    }

    package mutating func array<T>(_ items: [T], _ write: (inout CanonicalJSONWriter, T) -> Void) {
        bytes.append(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            write(&self, item)
        }
        bytes.append(0x5D)
    }

    /// An object with string keys, sorted like JSONEncoder's `.sortedKeys` (by UTF-8 bytes).
    mutating func sortedObject<T>(_ entries: [(String, T)], _ write: (inout CanonicalJSONWriter, T) -> Void) {
        bytes.append(0x7B)
        let sorted = entries.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        for (i, (k, v)) in sorted.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            string(k)
            bytes.append(0x3A)
            write(&self, v)
        }
        bytes.append(0x7D)
    }

    // MARK: - Model

    private mutating func definition(_ d: SurveyDefinition) {
        var f = true
        bytes.append(0x7B)
        key("answerSets", &f); array(d.answerSets) { $0.answerSet($1) }
        if let g = d.dependencies { key("dependencies", &f); dependencies(g) }
        key("format", &f); int(d.format)
        key("id", &f); string(d.id.rawValue)
        key("items", &f); array(d.items) { $0.node($1) }
        key("languages", &f); array(d.languages) { $0.string($1.rawValue) }
        if let o = d.outcome {
            key("outcome", &f)
            var g = true
            bytes.append(0x7B)
            key("completeCode", &g); int(o.completeCode)
            key("variable", &g); string(o.variable.rawValue)
            bytes.append(0x7D)
        }
        key("specialCodes", &f)
        var g = true
        bytes.append(0x7B)
        key("dontKnow", &g); int(d.specialCodes.dontKnow)
        key("notApplicable", &g); int(d.specialCodes.notApplicable)
        key("refused", &g); int(d.specialCodes.refused)
        bytes.append(0x7D)
        if let t = d.targets {
            key("targets", &f)
            // Small and rare: the model's own canonical encoding, spliced in.
            if let data = try? SurveyDefinition.canonicalEncoder().encode(t) { bytes.append(contentsOf: data) } else { unsupported = true }
        }
        key("title", &f); text(d.title)
        key("version", &f); string(d.version)
        bytes.append(0x7D)
    }

    private mutating func text(_ t: LocalizedText) {
        sortedObject(t.texts.map { ($0.key.rawValue, $0.value) }) { $0.string($1) }
    }

    private mutating func dependencies(_ g: DependencyGraph) {
        var f = true
        bytes.append(0x7B)
        key("calculationOrder", &f); array(g.calculationOrder) { $0.string($1.rawValue) }
        key("dependents", &f)
        sortedObject(g.dependents.map { ($0.key.rawValue, $0.value) }) { w, rules in
            w.array(rules.map(\.description).sorted()) { $0.string($1) }
        }
        bytes.append(0x7D)
    }

    private mutating func answerSet(_ s: AnswerSet) {
        var f = true
        bytes.append(0x7B)
        key("id", &f); string(s.id.rawValue)
        key("options", &f)
        array(s.options) { w, o in
            var g = true
            w.bytes.append(0x7B)
            if o.best { w.key("best", &g); w.bool(true) }
            w.key("code", &g); w.int(o.code)
            w.key("exclusive", &g); w.bool(o.exclusive)
            w.key("fixed", &g); w.bool(o.fixed)
            w.key("label", &g); w.text(o.label)
            w.key("other", &g); w.bool(o.other)
            w.bytes.append(0x7D)
        }
        bytes.append(0x7D)
    }

    private mutating func node(_ n: Node) {
        switch n {
        case .end(let e):
            raw("{\"end\":{")
            var f = true
            if let c = e.condition { key("condition", &f); expr(c) }
            if let m = e.message { key("message", &f); text(m) }
            key("outcome", &f); int(e.outcome)
            raw("}}")
        case .group(let g):
            raw("{\"group\":")
            group(g)
            bytes.append(0x7D)
        case .question(let q):
            raw("{\"question\":")
            question(q)
            bytes.append(0x7D)
        }
    }

    private mutating func group(_ g: Group) {
        var f = true
        bytes.append(0x7B)
        key("checks", &f); array(g.checks) { $0.check($1) }
        key("children", &f); array(g.children) { $0.node($1) }
        if let c = g.condition { key("condition", &f); expr(c) }
        key("id", &f); string(g.id.rawValue)
        key("kind", &f)
        switch g.kind {
        case .grid: raw("{\"grid\":true}")
        case .section: raw("{\"section\":true}")
        case .roster(let r):
            raw("{\"roster\":{")
            var h = true
            if let c = r.count { key("count", &h); expr(c) }
            key("maxRows", &h); int(r.maxRows)
            if let l = r.rowLabel { key("rowLabel", &h); text(l) }
            raw("}}")
        }
        if let t = g.text { key("text", &f); text(t) }
        if let t = g.title { key("title", &f); text(t) }
        bytes.append(0x7D)
    }

    private mutating func check(_ c: Check) {
        var f = true
        bytes.append(0x7B)
        key("condition", &f); expr(c.condition)
        key("id", &f); string(c.id.rawValue)
        key("message", &f); text(c.message)
        key("severity", &f); string(c.severity.rawValue)
        bytes.append(0x7D)
    }

    private mutating func question(_ q: Question) {
        var f = true
        bytes.append(0x7B)
        key("checks", &f); array(q.checks) { $0.check($1) }
        if let c = q.condition { key("condition", &f); expr(c) }
        if let d = q.defaultValue {
            key("defaultValue", &f)
            var g = true
            bytes.append(0x7B)
            if let c = d.condition { key("condition", &g); expr(c) }
            key("value", &g); expr(d.value)
            bytes.append(0x7D)
        }
        if let h = q.hint { key("hint", &f); text(h) }
        key("interviewerOnly", &f); bool(q.interviewerOnly)
        key("kind", &f); kind(q.kind)
        if let l = q.label { key("label", &f); text(l) }
        key("name", &f); string(q.name.rawValue)
        if let o = q.otherOf { key("otherOf", &f); string(o.rawValue) }
        key("pii", &f)
        switch q.pii {
        case .notPersonal: bool(false)
        case .direct: bool(true)
        case .pseudonym: string("pseudonym")
        }
        key("preload", &f); bool(q.preload)
        key("required", &f); bool(q.required)
        key("specials", &f); array(q.specials) { $0.string($1.rawValue) }
        key("text", &f); text(q.text)
        bytes.append(0x7D)
    }

    private mutating func choice(_ c: ChoiceSpec) {
        var f = true
        bytes.append(0x7B)
        key("answerSet", &f); string(c.answerSet.rawValue)
        if let e = c.filter { key("filter", &f); expr(e) }
        key("randomize", &f); bool(c.randomize)
        bytes.append(0x7D)
    }

    private mutating func bounds(_ lo: Expr?, _ hi: Expr?, _ f: inout Bool) {
        if let hi { key("max", &f); expr(hi) }
        if let lo { key("min", &f); expr(lo) }
    }

    private mutating func kind(_ k: QuestionKind) {
        var f = true
        bytes.append(0x7B)
        switch k {
        case .singleChoice(let c):
            key("choice", &f); choice(c)
            key("type", &f); raw("\"single\"")
        case .multipleChoice(let c, let lo, let hi):
            key("choice", &f); choice(c)
            if let hi { key("max", &f); int(hi) }
            if let lo { key("min", &f); int(lo) }
            key("type", &f); raw("\"multiple\"")
        case .integer(let lo, let hi):
            bounds(lo, hi, &f)
            key("type", &f); raw("\"integer\"")
        case .decimal(let lo, let hi, let places):
            bounds(lo, hi, &f)
            key("places", &f); int(places)
            key("type", &f); raw("\"decimal\"")
        case .text(let maxLength, let pattern):
            key("maxLength", &f); int(maxLength)
            if let p = pattern { key("pattern", &f); string(p) }
            key("type", &f); raw("\"text\"")
        case .date(let lo, let hi):
            bounds(lo, hi, &f)
            key("type", &f); raw("\"date\"")
        case .time:
            key("type", &f); raw("\"time\"")
        case .datetime(let lo, let hi):
            bounds(lo, hi, &f)
            key("type", &f); raw("\"datetime\"")
        case .scale(let lo, let hi, let labels):
            if let l = labels { key("labels", &f); string(l.rawValue) }
            key("max", &f); int(hi)
            key("min", &f); int(lo)
            key("type", &f); raw("\"scale\"")
        case .note:
            key("type", &f); raw("\"note\"")
        case .calculated(let e, let t):
            key("expr", &f); expr(e)
            key("type", &f); raw("\"calculated\"")
            key("valueType", &f); string(t.rawValue)
        }
        bytes.append(0x7D)
    }

    mutating func value(_ v: Value) {
        switch v {
        case .integer(let i): raw("{\"int\":"); int(i)
        case .decimal(let d): raw("{\"dec\":"); double(d)
        case .text(let s): raw("{\"text\":"); string(s)
        case .boolean(let b): raw("{\"bool\":"); bool(b)
        case .date(let d): raw("{\"date\":"); string(d.description)
        case .time(let t): raw("{\"time\":"); string(t.description)
        case .datetime(let t): raw("{\"datetime\":"); string(t.description)
        case .choice(let c): raw("{\"code\":"); int(c)
        case .choices(let cs): raw("{\"codes\":"); array(cs) { $0.int($1) }
        }
        bytes.append(0x7D)
    }

    private mutating func expr(_ e: Expr) {
        switch e {
        case .literal(let v): raw("{\"lit\":"); value(v); bytes.append(0x7D)
        case .variable(let n): raw("{\"var\":"); string(n.rawValue); bytes.append(0x7D)
        case .rowVariable(let n, let row):
            raw("{\"row\":"); expr(row)
            raw(",\"var\":"); string(n.rawValue); bytes.append(0x7D)
        case .currentRow: raw("{\"row\":true}")
        case .option: raw("{\"option\":true}")
        case .unary(let op, let a):
            raw("{\"arg\":"); expr(a)
            raw(",\"un\":"); string(op.rawValue); bytes.append(0x7D)
        case .binary(let op, let l, let r):
            raw("{\"bin\":"); string(op.rawValue)
            raw(",\"l\":"); expr(l)
            raw(",\"r\":"); expr(r); bytes.append(0x7D)
        case .call(let fn, let args):
            raw("{\"args\":"); array(args) { $0.expr($1) }
            raw(",\"fn\":"); string(fn.rawValue); bytes.append(0x7D)
        case .aggregate(let agg, let roster, let body):
            raw("{\"agg\":"); string(agg.rawValue)
            if let body { raw(",\"body\":"); expr(body) }
            raw(",\"roster\":"); string(roster.rawValue); bytes.append(0x7D)
        case .list(let items): raw("{\"list\":"); array(items) { $0.expr($1) }; bytes.append(0x7D)
        }
    }
}
