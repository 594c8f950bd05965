/// Indents compact JSON exactly as `JSONEncoder` with `.prettyPrinted` does: two spaces a
/// level, `"key" : value`, one element a line, and an empty array or object as its brackets on
/// two lines with an empty line between (`[\n\n]`).
///
/// The input is what ``CanonicalJSONWriter`` writes (compact: no whitespace outside strings),
/// so the output is byte for byte `JSONEncoder`'s pretty form of the same value — tests check
/// it against `JSONEncoder` — at a fraction of its cost: a compiled file of 10,000 questions
/// is 16 MB pretty-printed.
enum PrettyJSON {
    static func indent(_ compact: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(compact.count * 2 + 64)
        var depth = 0
        var inString = false
        var escaped = false
        var i = 0
        func newline(_ out: inout [UInt8], _ depth: Int) {
            out.append(0x0A)
            for _ in 0..<(depth * 2) { out.append(0x20) }
        }
        while i < compact.count {
            let b = compact[i]
            i += 1
            if inString {
                out.append(b)
                if escaped {
                    escaped = false
                } else if b == 0x5C {
                    escaped = true
                } else if b == 0x22 {
                    inString = false
                }
                continue
            }
            switch b {
            case 0x22:
                inString = true
                out.append(b)
            case 0x7B, 0x5B:  // { [
                out.append(b)
                depth += 1
                if i < compact.count, compact[i] == 0x7D || compact[i] == 0x5D {
                    // Empty: "[", a newline, an empty line, the closing bracket at the outer depth.
                    out.append(0x0A)
                    depth -= 1
                    newline(&out, depth)
                    out.append(compact[i])
                    i += 1
                } else {
                    newline(&out, depth)
                }
            case 0x7D, 0x5D:  // } ]
                depth -= 1
                newline(&out, depth)
                out.append(b)
            case 0x2C:  // ,
                out.append(b)
                newline(&out, depth)
            case 0x3A:  // :
                out.append(contentsOf: [0x20, 0x3A, 0x20])
            default:
                out.append(b)
            }
        }
        return out
    }
}
