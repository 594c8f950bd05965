import Foundation
import Testing

/// The commands and options of the real binary, read once from `terep --experimental-dump-help`
/// (swift-argument-parser's machine-readable form of every command's `--help`).
struct CommandTree {
    var path: [String]
    /// `--central`, `-o`, … (with `--help`, `-h` and `--version`).
    var options: Set<String>
    /// Each option's other names: `-o` ↔ `--output`.
    var aliases: [String: Set<String>]
    var subcommands: [String: CommandTree]

    var name: String { path.joined(separator: " ") }

    /// swift-argument-parser's hidden options, which every command has but --help does not list.
    static let hidden: Set<String> = ["--experimental-dump-help", "--generate-completion-script"]

    /// Every command, depth first.
    var all: [CommandTree] { [self] + subcommands.keys.sorted().flatMap { subcommands[$0]!.all } }

    private struct Info: Decodable {
        struct Command: Decodable {
            var commandName: String
            var subcommands: [Command]?
            var arguments: [Argument]?
        }
        struct Argument: Decodable {
            struct Name: Decodable {
                var kind: String
                var name: String
            }
            var names: [Name]?
        }
        var command: Command
    }

    init(json: Data) throws {
        self.init(try JSONDecoder().decode(Info.self, from: json).command, path: ["terep"])
    }

    private init(_ command: Info.Command, path: [String]) {
        self.path = path
        let groups = (command.arguments ?? []).map { Set(($0.names ?? []).map { ($0.kind == "short" ? "-" : "--") + $0.name }) }
        options = groups.reduce(into: Self.hidden) { $0.formUnion($1) }
        aliases = groups.reduce(into: [:]) { map, group in for name in group { map[name] = group } }
        subcommands = Dictionary(
            uniqueKeysWithValues: (command.subcommands ?? []).map { ($0.commandName, CommandTree($0, path: path + [$0.commandName])) })
    }

    /// The binary's tree, run once for the suite.
    static let binary: Result<CommandTree, Error> = Result {
        let run = try TerepProcess.run(["--experimental-dump-help"])
        guard run.status == 0 else { throw TerepProcess.Failure("terep --experimental-dump-help failed: \(run.stderr)") }
        return try CommandTree(json: Data(run.stdout.utf8))
    }

    /// Every option of every command.
    var allOptions: Set<String> { all.reduce(into: []) { $0.formUnion($1.options) } }
}

/// What a document says about commands and options, checked against the tree: each finding is
/// `file:line: what is wrong`.
enum CommandDocCheck {
    /// A `terep …` line: the words name a command path, and every option is one that command has.
    static func check(command: DocText.Span, in doc: DocText, tree: CommandTree) -> [String] {
        let words = DocText.words(command.text)
        guard words.first == "terep" else { return [] }
        var node = tree
        var rest = words.dropFirst()
        while let word = rest.first, let sub = node.subcommands[word] {
            node = sub
            rest = rest.dropFirst()
        }
        var findings: [String] = []
        if let word = rest.first, !node.subcommands.isEmpty, !word.hasPrefix("-"), !word.contains("…"), !word.hasPrefix("<") {
            findings.append(
                "\(doc.name):\(command.line): `\(node.name)` has no subcommand '\(word)' (it has \(node.subcommands.keys.sorted().joined(separator: ", "))) in `\(command.text)`"
            )
            return findings
        }
        for word in rest where isOption(word) {
            let option = String(word.prefix { $0 != "=" })
            if !node.options.contains(option) {
                findings.append(
                    "\(doc.name):\(command.line): `\(node.name)` has no option \(option) (see `\(node.name) --help`) in `\(command.text)`")
            }
        }
        return findings
    }

    /// `--name` or `-x`, not `--` alone, a negative number or an elided `--…`.
    static func isOption(_ word: String) -> Bool {
        word.wholeMatch(of: /--[a-z][a-z0-9-]*(=.*)?/) != nil || word.wholeMatch(of: /-[a-zA-Z]/) != nil
    }

    /// An option mentioned outside a command line (an inline `--name`, or `--name` in prose)
    /// must be one some command has.
    static func mentionedOptions(in doc: DocText) -> [DocText.Span] {
        let fenced = doc.fencedLines
        var out: [DocText.Span] = []
        for (i, line) in doc.lines.enumerated() where !fenced.contains(i + 1) {
            // Inline spans that are a terep command are checked as commands; spans of other
            // programs (`swift test --filter X`) are not terep's.
            var prose = line
            for m in line.matches(of: /`([^`]+)`/) {
                let span = String(m.1)
                prose = prose.replacingOccurrences(of: String(m.0), with: " ")
                guard span.hasPrefix("--") else { continue }
                for word in DocText.words(span) where word.hasPrefix("--") && isOption(word) {
                    out.append(.init(line: i + 1, text: String(word.prefix { $0 != "=" })))
                }
            }
            for m in prose.matches(of: /(^|[^\w`-])(--[a-z][a-z0-9-]*)/) {
                out.append(.init(line: i + 1, text: String(m.2)))
            }
        }
        return out
    }

    /// All findings for one document.
    static func findings(_ doc: DocText, tree: CommandTree) -> [String] {
        let known = tree.allOptions
        var out = doc.commandLines.flatMap { check(command: $0, in: doc, tree: tree) }
        for mention in mentionedOptions(in: doc) where !known.contains(mention.text) {
            out.append("\(doc.name):\(mention.line): no terep command has the option \(mention.text)")
        }
        return out
    }
}

/// README.md and docs/*.md against the real binary: every `terep …` command line names a real
/// command and only its options, every `--option` mentioned is one some command has, and every
/// option of every command is documented somewhere.
@Suite("Docs: commands and options")
struct CommandDocTests {
    static func tree() throws -> CommandTree { try CommandTree.binary.get() }

    @Test func everyCommandLineAndOptionInTheDocsExists() throws {
        let tree = try Self.tree()
        var lines = 0
        for doc in try DocText.all() {
            lines += doc.commandLines.count
            for finding in CommandDocCheck.findings(doc, tree: tree) { Issue.record("\(finding)") }
        }
        #expect(lines >= 100, "only \(lines) terep command lines found in README.md and docs/; has the extraction broken?")
    }

    /// The other way round: an option no document mentions is a feature nobody can find.
    @Test func everyOptionOfEveryCommandIsDocumented() throws {
        let tree = try Self.tree()
        let docs = try DocText.all()
        var mentioned: [String: Set<String>] = [:]  // command → options in its command lines
        var anywhere: Set<String> = []
        for doc in docs {
            for command in doc.commandLines {
                var node = tree
                var rest = DocText.words(command.text).dropFirst()
                while let w = rest.first, let sub = node.subcommands[w] {
                    node = sub
                    rest = rest.dropFirst()
                }
                for option in rest.filter(CommandDocCheck.isOption).map({ String($0.prefix { $0 != "=" }) }) {
                    mentioned[node.name, default: []].formUnion(node.aliases[option] ?? [option])
                }
            }
            anywhere.formUnion(CommandDocCheck.mentionedOptions(in: doc).map(\.text))
        }
        for command in tree.all where command.path.count > 1 && command.path[1] != "help" {
            for option in command.options.subtracting(CommandTree.hidden.union(["--help", "--version"])).sorted()
            where option.hasPrefix("--") {
                #expect(
                    mentioned[command.name, default: []].contains(option) || anywhere.contains(option),
                    "`\(command.name) \(option)` is in --help but in no document (README.md, docs/*.md): document it")
            }
        }
    }

    /// The check fails when a document and the binary disagree: a copy of a real document with
    /// a wrong option, a wrong subcommand and a prose mention planted gives a finding for each,
    /// at the planted lines.
    @Test func aPlantedWrongOptionFailsTheCheck() throws {
        let tree = try Self.tree()
        let root = try TerepProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let original = try DocText.load("docs/exports.md")
        #expect(CommandDocCheck.findings(original, tree: tree).isEmpty, "the original must be clean for the test to mean anything")
        var lines = original.lines
        let at = min(10, lines.count)
        lines.insert(
            contentsOf: [
                "```", "terep export --survey wellbeing --format csv --widen mem -o out", "terep exprot --survey wellbeing", "```",
                "Use `--no-such-flag` to go faster, or --also-not-real.",
            ], at: at)
        try lines.joined(separator: "\n").write(to: root.appendingPathComponent("docs/exports.md"), atomically: true, encoding: .utf8)
        let planted = try DocText.load("docs/exports.md", root: root)
        let findings = CommandDocCheck.findings(planted, tree: tree)
        #expect(findings.count == 4, "one finding for each planted mistake: \(findings)")
        #expect(findings.contains { $0.hasPrefix("docs/exports.md:\(at + 2): `terep export` has no option --widen") }, "\(findings)")
        #expect(findings.contains { $0.hasPrefix("docs/exports.md:\(at + 3): `terep` has no subcommand 'exprot'") }, "\(findings)")
        #expect(findings.contains { $0 == "docs/exports.md:\(at + 5): no terep command has the option --no-such-flag" }, "\(findings)")
        #expect(findings.contains { $0 == "docs/exports.md:\(at + 5): no terep command has the option --also-not-real" }, "\(findings)")
    }
}
