import Foundation
import SurveyModel
import Testing

/// The briefs themselves (`../shared/studies/*.md`) read as the specification: every variable
/// they name — the tables of briefs 1-2 §5 and §9 and of brief 3 §3 (the `var` column, and the
/// follow-ups and derived variables of the others), and the backticked names in the prose of
/// §4 (interviewer-side metadata) and §9 — is in the compiled definition, and every Hungarian text the brief
/// gives for a single variable (a table row, or §9's „…” after a name, or a grid's quoted
/// statements in order) is the compiled text, except for the corrections listed below with the
/// brief's own reason. A brief edited later fails here until the questionnaire follows it.
@Suite("The questionnaires follow their briefs")
struct BriefConformanceTests {
    /// Which sections name the questionnaire's variables.
    static let sections: [String: Set<Int>] = ["wellbeing": [4, 5, 9], "energy": [4, 5, 9], "stakeholders": [3]]

    /// Brief 2 §9, corrections: "Rename this study's item `ectrust_muni` (and the grid's other
    /// items `ectrust_*`)" — §5's table still names the grid `trust_*`.
    static func renamed(_ name: String, in study: String) -> String {
        study == "energy" && name.hasPrefix("trust_") ? "ec" + name : name
    }

    /// Backticked names in the briefs that are not this project's variables.
    static let foreign: [String: String] = ["aesfdrk": "brief 1 E3: the ESS item safe_dark follows"]

    /// Texts the questionnaire words differently from the brief's table, and why.
    static let corrected: [String: String] = [
        "wellbeing.hh_n16": "brief 1 §9 Eligibility: the texts say „háztartás” consistently",
        "wellbeing.yrs_district": "brief 1 §9 Texts: the article agrees with the piped district ({a:district})",
        "energy.des_ec": "brief 1 §9 Texts (applied to both studies): the article agrees with the piped district",
        "energy.join_will": "brief 2 §9 corrections: „Csatlakozna-e…?” to match LIK5",
        "energy.ec_lead": "brief 2 §9 C29a's „szerintem” is the respondent's view, asked as „Ön szerint”",
        "energy.educ": "read out as a whole question („Mi a legmagasabb…”), as brief 1 H3 words it",
        "energy.hh_inc": "read out as a whole question („Mennyi a háztartás…”)",
    ]

    /// `../shared/studies` from the repository (CI has it there: shared/README.md), or from a
    /// worktree one level further down, or `TEREP_SHARED`.
    static func briefsDirectory() throws -> URL {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["TEREP_SHARED"] {
            candidates.append(URL(fileURLWithPath: env).appendingPathComponent("studies"))
        }
        var dir = StudyFiles.root
        for _ in 0..<3 {
            dir = dir.deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent("shared/studies"))
        }
        return try #require(
            candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("energy.md").path) },
            "the study briefs were not found at ../shared/studies (tried \(candidates.map(\.path))); set TEREP_SHARED to the shared/ folder"
        )
    }

    struct Named: Equatable {
        var line: Int
        var variables: [String]
        /// The Hungarian texts the brief gives for these variables, in order (may be empty).
        var texts: [String]
    }

    /// The variables and texts a brief names in the given sections.
    static func read(_ study: String) throws -> [Named] {
        let text = try String(contentsOf: try briefsDirectory().appendingPathComponent("\(study).md"), encoding: .utf8)
        var out: [Named] = []
        var section = 0
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let m = line.wholeMatch(of: /## (\d+)\..*/) { section = Int(m.1)! }
            guard sections[study]!.contains(section) else { continue }
            if line.hasPrefix("| ") && !line.hasPrefix("| # ") {
                let cells = line.dropFirst().split(separator: "|", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count > 2 else { continue }
                let vars = names(in: cells[1]).map { renamed($0, in: study) }
                let hu = cells[2]
                let quoted = quotes(in: hu)
                let texts =
                    vars.count == 1 && !hu.isEmpty && !hu.hasPrefix("as ") && !hu.hasPrefix("*")
                        && !hu.contains("a) ") ? [hu] : quoted.count == vars.count ? quoted : []
                out.append(Named(line: n + 1, variables: vars, texts: texts))
                // The other columns (type, routing and checks) name derived variables and
                // follow-ups: `aff_dow`, 96 → `nb_prob_oth`.
                let others = cells.indices.filter { $0 != 1 && $0 != 2 && $0 != 3 }.flatMap { names(in: cells[$0]) }
                    .filter { foreign[$0] == nil }.map { renamed($0, in: study) }
                if !others.isEmpty { out.append(Named(line: n + 1, variables: others, texts: [])) }
            } else if section == 4 || section == 9 {
                // Prose: `name` „text” pairs (brief 1 §9), or names alone (§4, §9).
                for m in line.matches(of: /`([a-z][a-z0-9_]*)`(?: „([^”]*)”)?/) {
                    let name = renamed(String(m.1), in: study)
                    out.append(Named(line: n + 1, variables: [name], texts: m.2.map { [String($0)] } ?? []))
                }
            }
        }
        return out
    }

    /// Backticked names, with the briefs' ranges expanded: `who5_1` … `who5_5`, `ec_quiz_a`–`_d`.
    static func names(in cell: String) -> [String] {
        var out: [String] = []
        for m in cell.matches(of: /`([a-z][a-z0-9_]*)`(?:\s*[–…]\s*`([a-z0-9_]*)`)?/) {
            let first = String(m.1)
            out.append(first)
            guard let last = m.2.map(String.init), let end = last.last, let start = first.last else { continue }
            let stem = first.dropLast()
            if let a = start.asciiValue, let b = end.asciiValue, a < b {
                out += (a + 1...b).map { stem + String(UnicodeScalar($0)) }
            }
        }
        return out
    }

    /// The „…” quotations of a cell, in order.
    static func quotes(in cell: String) -> [String] {
        cell.matches(of: /„[^”]*”/).map { String($0.0) }
    }

    @Test(arguments: ["wellbeing", "energy", "stakeholders"])
    func everyVariableTheBriefNamesIsCompiled(study: String) throws {
        let index = SurveyIndex(try StudyFiles.compiled(study).definition)
        let named = try Self.read(study)
        #expect(named.flatMap(\.variables).count >= 30, "\(study).md: too few variables read; has the brief's layout changed?")
        for entry in named {
            for name in entry.variables {
                #expect(
                    index[VariableName(name)] != nil, "\(study).md:\(entry.line) names '\(name)', which \(study).survey does not define")
            }
        }
    }

    @Test(arguments: ["wellbeing", "energy", "stakeholders"])
    func theTextsAreTheBriefs(study: String) throws {
        let index = SurveyIndex(try StudyFiles.compiled(study).definition)
        var compared = 0
        for entry in try Self.read(study) where !entry.texts.isEmpty {
            for (name, brief) in zip(entry.variables, entry.texts) {
                guard Self.corrected["\(study).\(name)"] == nil else { continue }
                let q = try #require(index[VariableName(name)]?.question, "\(study).md:\(entry.line): no \(name)")
                compared += 1
                #expect(
                    q.text["hu"] == brief, "\(study).md:\(entry.line) \(name):\n  brief:    \(brief)\n  compiled: \(q.text["hu"] ?? "-")")
            }
        }
        #expect(compared >= 15, "\(study): only \(compared) texts compared")
    }

    /// Every listed correction is still a difference: when the brief is updated to say the same
    /// thing, the entry goes.
    @Test func theCorrectionsAreStillNeeded() throws {
        for (key, reason) in Self.corrected {
            let parts = key.split(separator: ".").map(String.init)
            let entry = try #require(try Self.read(parts[0]).first { $0.variables == [parts[1]] && !$0.texts.isEmpty }, "\(key)")
            let q = try #require(SurveyIndex(try StudyFiles.compiled(parts[0]).definition)[VariableName(parts[1])]?.question)
            #expect(q.text["hu"] != entry.texts[0], "\(key) now reads as the brief; remove its correction (\(reason))")
        }
    }
}
