import Foundation
import SurveyModel

/// Writes one event as JSON, byte-identical to `JSONEncoder` with sorted keys and unescaped
/// slashes, ~5× faster on Linux.
///
/// Returns false (writing nothing) for what it does not handle exactly like `JSONEncoder`:
/// decimals, control characters and non-ASCII keys; the caller then uses `JSONEncoder`.
/// Byte equality is tested against `JSONEncoder` on random events.
enum FastEventWriter {
    static func append(_ e: InterviewEvent, to out: inout [UInt8]) -> Bool {
        let mark = out.count
        var w = Writer(out: [])
        swap(&w.out, &out)  // no copy: the writer owns the buffer while writing
        let ok = w.event(e)
        if !ok { w.out.removeSubrange(mark...) }
        swap(&w.out, &out)
        return ok
    }

    private struct Writer {
        var out: [UInt8]

        mutating func raw(_ s: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }

        /// A JSON string; false for control characters (JSONEncoder's escapes are not mirrored).
        mutating func string(_ s: String) -> Bool {
            out.append(0x22)
            for b in s.utf8 {
                if b < 0x20 { return false }
                if b == 0x22 || b == 0x5C { out.append(0x5C) }
                out.append(b)
            }
            out.append(0x22)
            return true
        }

        mutating func int<T: BinaryInteger>(_ n: T) { out.append(contentsOf: String(n).utf8) }

        mutating func ints(_ list: [Int]) {
            out.append(0x5B)
            for (i, n) in list.enumerated() {
                if i > 0 { out.append(0x2C) }
                int(n)
            }
            out.append(0x5D)
        }

        mutating func event(_ e: InterviewEvent) -> Bool {
            raw(#"{"device":"#)
            guard string(e.device.rawValue) else { return false }
            raw(#","interview":"#)
            guard string(e.interview.rawValue) else { return false }
            raw(#","interviewer":"#)
            guard string(e.interviewer) else { return false }
            raw(#","kind":"#)
            guard kind(e.kind) else { return false }
            raw(#","sequence":"#)
            int(e.sequence)
            raw(#","timestamp":"#)
            int(e.timestamp)
            out.append(0x7D)
            return true
        }

        mutating func kind(_ k: InterviewEventKind) -> Bool {
            switch k {
            case .answered(let at, let a):
                raw(#"{"answered":{"answer":"#)
                guard answer(a) else { return false }
                raw(#","at":"#)
                guard string(at.description) else { return false }
                raw("}}")
            case .shown(let at):
                raw(#"{"shown":{"at":"#)
                guard string(at.description) else { return false }
                raw("}}")
            case .cleared(let at):
                raw(#"{"cleared":{"at":"#)
                guard string(at.description) else { return false }
                raw("}}")
            case .started(let definition, let seed, let language, let preload):
                raw(#"{"started":{"definition":"#)
                guard string(definition.rawValue) else { return false }
                raw(#","language":"#)
                guard string(language.rawValue) else { return false }
                raw(#","preload":{"#)
                let keys = preload.keys.sorted()
                guard keys.allSatisfy({ $0.rawValue.utf8.allSatisfy { $0 < 0x80 } }) else { return false }
                for (i, key) in keys.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    guard string(key.rawValue), let v = preload[key] else { return false }
                    out.append(0x3A)
                    guard value(v) else { return false }
                }
                raw(#"},"seed":"#)
                int(seed)
                raw("}}")
            case .ended(let outcome):
                raw(#"{"ended":{"outcome":"#)
                int(outcome)
                raw("}}")
            case .reopened:
                raw(#"{"reopened":{}}"#)
            case .trainingMarked(let value):
                raw(value ? #"{"trainingMarked":{"value":true}}"# : #"{"trainingMarked":{"value":false}}"#)
            default:
                return otherKind(k)
            }
            return true
        }

        mutating func otherKind(_ k: InterviewEventKind) -> Bool {
            switch k {
            case .rowAdded(let roster, let rows), .rowRemoved(let roster, let rows):
                if case .rowAdded = k { raw(#"{"rowAdded":{"parentRows":"#) } else { raw(#"{"rowRemoved":{"parentRows":"#) }
                ints(rows)
                raw(#","roster":"#)
                guard string(roster.rawValue) else { return false }
                raw("}}")
            case .warningConfirmed(let check, let rows, let reason):
                raw(#"{"warningConfirmed":{"check":"#)
                guard string(check.rawValue) else { return false }
                if let reason {
                    raw(#","reason":"#)
                    guard string(reason) else { return false }
                }
                raw(#","rows":"#)
                ints(rows)
                raw("}}")
            case .note(let at, let text):
                raw(#"{"note":{"#)
                if let at {
                    raw(#""at":"#)
                    guard string(at.description) else { return false }
                    out.append(0x2C)
                }
                raw(#""text":"#)
                guard string(text) else { return false }
                raw("}}")
            case .languageChanged(let language):
                raw(#"{"languageChanged":{"language":"#)
                guard string(language.rawValue) else { return false }
                raw("}}")
            default:
                return false
            }
            return true
        }

        mutating func answer(_ a: Answer) -> Bool {
            switch a {
            case .value(let v): return value(v)
            case .special(let s):
                raw(#"{"special":"#)
                guard string(s.rawValue) else { return false }
                out.append(0x7D)
                return true
            }
        }

        mutating func value(_ v: Value) -> Bool {
            switch v {
            case .integer(let n):
                raw(#"{"int":"#)
                int(n)
            case .decimal: return false
            case .text(let s):
                raw(#"{"text":"#)
                guard string(s) else { return false }
            case .boolean(let b): if b { raw(#"{"bool":true"#) } else { raw(#"{"bool":false"#) }
            case .date(let d):
                raw(#"{"date":"#)
                guard string(d.description) else { return false }
            case .time(let t):
                raw(#"{"time":"#)
                guard string(t.description) else { return false }
            case .datetime(let t):
                raw(#"{"datetime":"#)
                guard string(t.description) else { return false }
            case .choice(let n):
                raw(#"{"code":"#)
                int(n)
            case .choices(let list):
                raw(#"{"codes":"#)
                ints(list)
            }
            out.append(0x7D)
            return true
        }
    }
}
