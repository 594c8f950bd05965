import Foundation

/// A walk-through of a document — a range of its sections — read as a script: its commands in
/// document order, each with the line it is on. What the fences in the range are:
///
/// - ```` ```sh ```` — a script: every line (with its `\` continuations) is a command, run by
///   `/bin/sh` in the walk-through's folder; `#` lines are comments.
/// - ```` ```console ```` — a transcript: each `$ ` line is a command and the lines up to the
///   next `$ ` are what it prints (standard output and error), compared line by line with
///   figures, keys, fingerprints and ids standing for any value.
/// - ```` ```r ````, ```` ```python ````, ```` ```spss ```` — a recipe, run whole by Rscript,
///   python3 or PSPP.
/// - ```` ```text ````, ```` ```json ````, … — not commands; a fence with no kind is a finding.
///
/// An HTML comment just before a fence (invisible on the rendered page) tells the walk-through
/// what the reader does not need to see:
///
///     <!-- walkthrough
///     run: terep simulate questionnaires/wellbeing.survey --interviews 20 --device-db laptop-01.sqlite
///     skip: terep sync — needs a running terep server (ServerEndToEndTests runs this exchange)
///     -->
///
/// `run:` lines run before the fence (data the example assumes, files moved into `inbox/`);
/// `skip: PREFIX — REASON` leaves out the fence's steps starting with PREFIX (`all`: the whole
/// fence), and must give a reason and match a step.
struct Walkthrough {
    enum Kind: Equatable {
        /// A line of a script, or a `run:` line of a comment.
        case shell
        /// A `$ ` line with the output the document shows (line numbers of each output line).
        case transcript([Expected])
        /// A whole fence in `r`, `python` or `spss`.
        case recipe(String)
    }

    struct Expected: Equatable {
        var line: Int
        var text: String
    }

    struct Step {
        var line: Int
        var command: String
        var kind: Kind
    }

    var doc: DocText
    var steps: [Step] = []
    /// What makes the range unreadable as a walk-through (fences without a kind, stale skips).
    var findings: [String] = []

    /// Recipes; `stata` has no program here, so its fences must be skipped with a reason.
    static let recipeKinds: Set<String> = ["r", "python", "spss", "stata"]
    /// Fences that are not commands: shown, never run.
    static let otherKinds: Set<String> = ["text", "json", "output", "ini", "nginx", "swift", "survey", "sketch"]

    /// The steps of `doc` from the heading `from` up to (not including) the heading `until`
    /// (nil: to the end of the document).
    init(_ doc: DocText, from: String, until: String?) {
        self.doc = doc
        let headings = doc.headings
        guard let start = headings.first(where: { $0.text == from })?.line else {
            findings.append("\(doc.name): no heading '\(from)' where the walk-through starts")
            return
        }
        var end = doc.lines.count
        if let until {
            guard let stop = headings.first(where: { $0.text == until && $0.line > start })?.line else {
                findings.append("\(doc.name): no heading '\(until)' after '\(from)' where the walk-through ends")
                return
            }
            end = stop - 1
        }
        read(start...end)
    }

    private mutating func read(_ range: ClosedRange<Int>) {
        var runs: [Step] = []
        var skips: [(line: Int, prefix: String)] = []
        var i = range.lowerBound - 1  // 0-based index into doc.lines
        while i < range.upperBound {
            let line = doc.lines[i]
            if line.hasPrefix("<!-- walkthrough") {
                var j = i
                while !doc.lines[j].contains("-->") && j + 1 < range.upperBound { j += 1 }
                for k in i...j {
                    let text = doc.lines[k].replacingOccurrences(of: "<!-- walkthrough", with: "")
                        .replacingOccurrences(of: "-->", with: "").trimmingCharacters(in: .whitespaces)
                    if text.hasPrefix("run: ") {
                        runs.append(Step(line: k + 1, command: String(text.dropFirst(5)), kind: .shell))
                    } else if text.hasPrefix("skip: ") {
                        let parts = text.dropFirst(6).components(separatedBy: " — ")
                        if parts.count < 2 || parts[1].split(separator: " ").count < 3 {
                            findings.append(
                                "\(doc.name):\(k + 1): a skip needs a reason: 'skip: PREFIX — why it cannot run here (and what tests it instead)'"
                            )
                        }
                        skips.append((k + 1, parts[0].trimmingCharacters(in: .whitespaces)))
                    } else if !text.isEmpty {
                        findings.append("\(doc.name):\(k + 1): '\(text)' is neither 'run: COMMAND' nor 'skip: PREFIX — REASON'")
                    }
                }
                i = j + 1
                continue
            }
            guard line.hasPrefix("```") else {
                i += 1
                continue
            }
            var close = i + 1
            while close < doc.lines.count && !doc.lines[close].hasPrefix("```") { close += 1 }
            let info = line.dropFirst(3).split(separator: " ").map(String.init)
            let body = Array(doc.lines[(i + 1)..<min(close, doc.lines.count)])
            var fenceSteps: [Step] = []
            switch info.first ?? "" {
            case "sh": fenceSteps = Self.script(body, firstLine: i + 2)
            case "console": fenceSteps = Self.transcript(body, firstLine: i + 2)
            case let kind where Self.recipeKinds.contains(kind):
                fenceSteps = [Step(line: i + 2, command: body.joined(separator: "\n") + "\n", kind: .recipe(kind))]
            case let kind where Self.otherKinds.contains(kind): break
            default:
                findings.append(
                    "\(doc.name):\(i + 1): a fence in a walk-through without a kind: mark it ```sh (a script), ```console (commands and what they print), ```r/```python/```spss (a recipe) or ```text"
                )
            }
            for skip in skips {
                let before = fenceSteps.count
                fenceSteps.removeAll { skip.prefix == "all" || $0.command.hasPrefix(skip.prefix) }
                if before == fenceSteps.count {
                    findings.append("\(doc.name):\(skip.line): 'skip: \(skip.prefix)' matches no step of the fence at line \(i + 1)")
                }
            }
            steps += runs + fenceSteps
            runs = []
            skips = []
            i = close + 1
        }
        for step in runs { findings.append("\(doc.name):\(step.line): a walkthrough comment with no fence after it") }
        for skip in skips { findings.append("\(doc.name):\(skip.line): a walkthrough comment with no fence after it") }
    }

    /// A ```` ```sh ```` fence: one step per line, `\` continuations joined, comments left out.
    static func script(_ body: [String], firstLine: Int) -> [Step] {
        var out: [Step] = []
        var k = 0
        while k < body.count {
            let start = k
            var command = body[k].trimmingCharacters(in: .whitespaces)
            while command.hasSuffix("\\"), k + 1 < body.count {
                command.removeLast()
                k += 1
                command += " " + body[k].trimmingCharacters(in: .whitespaces)
            }
            k += 1
            if command.isEmpty || command.hasPrefix("#") { continue }
            out.append(Step(line: firstLine + start, command: command, kind: .shell))
        }
        return out
    }

    /// A ```` ```console ```` fence: `$ ` commands and the output under each.
    static func transcript(_ body: [String], firstLine: Int) -> [Step] {
        var out: [Step] = []
        var k = 0
        while k < body.count {
            guard body[k].hasPrefix("$ ") else {
                k += 1  // output before the first command: nothing ran it
                continue
            }
            let start = k
            var command = String(body[k].dropFirst(2))
            while command.hasSuffix("\\"), k + 1 < body.count {
                command.removeLast()
                k += 1
                command += " " + body[k].trimmingCharacters(in: .whitespaces)
            }
            k += 1
            var expected: [Expected] = []
            while k < body.count, !body[k].hasPrefix("$ ") {
                expected.append(Expected(line: firstLine + k, text: body[k]))
                k += 1
            }
            out.append(Step(line: firstLine + start, command: command.trimmingCharacters(in: .whitespaces), kind: .transcript(expected)))
        }
        return out
    }
}

/// What a transcript's output line allows: the line with its variable parts — figures, keys,
/// fingerprints, ids — standing for any value of their kind.
struct OutputPattern {
    /// Keys, fingerprints and ids: a later command naming the document's value gets the real one.
    static let bound = [
        #"(?:ed25519|x25519):[A-Za-z0-9+/]{20,}={0,2}"#,
        #"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#,
        #"[0-9a-f]{4}(?::[0-9a-f]{4}){3}"#,
        #"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b"#,
    ]
    static var tokens: NSRegularExpression {
        try! NSRegularExpression(pattern: (bound + [#"\d+(?:\.\d+)?"#]).map { "(\($0))" }.joined(separator: "|"))
    }

    let regex: NSRegularExpression
    /// The document's value of each bound group, in order.
    let values: [String]

    init(_ line: String) {
        let text = line.trimmingCharacters(in: .whitespaces)
        let ns = text as NSString
        var pattern = "^\\s*"
        var values: [String] = []
        var at = 0
        func literal(_ s: String) -> String {
            // Runs of spaces (column alignment) stand for one or more.
            NSRegularExpression.escapedPattern(for: s).replacingOccurrences(of: #" {2,}"#, with: " +", options: .regularExpression)
        }
        for match in Self.tokens.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            pattern += literal(ns.substring(with: NSRange(location: at, length: match.range.location - at)))
            let token = ns.substring(with: match.range)
            if let group = (1...Self.bound.count).first(where: { match.range(at: $0).location != NSNotFound }) {
                pattern += "(\(Self.bound[group - 1]))"
                values.append(token)
            } else {
                pattern += #"\d+(?:\.\d+)?"#
            }
            at = match.range.location + match.range.length
        }
        pattern += literal(ns.substring(from: at)) + "\\s*$"
        regex = try! NSRegularExpression(pattern: pattern)
        self.values = values
    }

    /// The real values of the bound parts when `line` matches, else nil.
    func match(_ line: String) -> [String]? {
        let ns = line as NSString
        guard let m = regex.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (1..<m.numberOfRanges).map { ns.substring(with: m.range(at: $0)) }
    }
}
