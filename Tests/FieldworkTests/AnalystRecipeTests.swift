import Foundation
import SurveyExport
import SurveyModel
import SurveyTestSupport
import Testing

@testable import Fieldwork

/// The recipes of docs/analyst.md, taken from the document and run — SPSS syntax in PSPP, R with
/// haven, Python with pandas and pyreadstat — on simulated exports of both studies, from the
/// folder that holds `exports/`. What they print (`life_sat mean 6.9`, `life_sat dont_know 3`,
/// …) must agree with the CSV, so a recipe giving wrong figures fails here. Stata recipes are not
/// run: Stata is not available.
@Suite(.serialized)
struct AnalystRecipeTests {
    static let guide = CentralFixture.root.appendingPathComponent("docs/analyst.md")

    /// The fenced blocks of the guide in a language (`spss`, `r`, `python`).
    static func recipes(_ language: String) throws -> [String] {
        let text = try String(contentsOf: guide, encoding: .utf8)
        var out: [String] = [], current: [String]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if current != nil, line == "```" {
                out.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else if current != nil {
                current!.append(String(line))
            }
        }
        return out
    }

    /// Exports both studies where the recipes expect them; returns the folder holding `exports/`.
    static func exports() throws -> URL {
        let root = try CentralFixture.temporaryDirectory()
        for (study, seed) in [("wellbeing", UInt64(5)), ("energy", UInt64(6))] {
            var f = try CentralFixture(try CentralFixture.questionnaire(study))
            let runs = try f.simulate(40, seed: seed)
            let first = try #require(runs.keys.sorted().first)
            try f.merge("lap-1", first, [.note(nil, "Zajos lépcsőház")], interviewer: "Sim")
            var request = ExportRequest(
                formats: [.csv, .sav, .dta], codebook: true,
                directory: root.appendingPathComponent("exports/\(study)-2026-12-04"))
            request.ddi = true
            request.comments = true
            _ = try SurveyExportRun.run(try CleanedDataset(central: f.central, survey: SurveyID(study), statuses: .all), request)
        }
        return root
    }

    /// A CSV file's columns by name (fields without quotes in these files).
    static func columns(_ url: URL) throws -> [String: [String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        var out: [String: [String]] = [:]
        for (i, name) in lines[0].enumerated() { out[name] = lines.dropFirst().map { i < $0.count ? $0[i] : "" } }
        return out
    }

    /// What the recipes must print, from the CSV files.
    static func expected(_ root: URL) throws -> [String: Double] {
        let dir = root.appendingPathComponent("exports")
        let wb = try columns(dir.appendingPathComponent("wellbeing-2026-12-04/wellbeing.csv"))
        let mem = try columns(dir.appendingPathComponent("energy-2026-12-04/energy_mem.csv"))
        let durations = try columns(dir.appendingPathComponent("wellbeing-2026-12-04/wellbeing_durations.csv"))
        func mean(_ cells: [String]) -> Double {
            let values = cells.compactMap(Double.init).filter { $0 >= 0 }
            return values.reduce(0, +) / Double(values.count)
        }
        let seconds = zip(durations["variable"] ?? [], durations["seconds"] ?? []).filter { $0.0 == "life_sat" }.compactMap { Double($0.1) }
            .sorted()
        let median = seconds.count % 2 == 1 ? seconds[seconds.count / 2] : (seconds[seconds.count / 2 - 1] + seconds[seconds.count / 2]) / 2
        let comments = try String(contentsOf: dir.appendingPathComponent("wellbeing-2026-12-04/wellbeing_comments.csv"), encoding: .utf8)
        return [
            "life_sat mean": mean(wb["life_sat"] ?? []), "m_age mean": mean(mem["m_age"] ?? []),
            "life_sat dont_know": Double((wb["life_sat"] ?? []).count { $0 == "-8" }),
            "ve_date dont_know": Double((wb["ve_date"] ?? []).count { $0 == "-8" }),
            "ve_date answered": Double((wb["ve_date"] ?? []).count { $0.count == 10 }),
            "life_sat median_seconds": median,
            "comments": Double(comments.split(separator: "\r\n").count - 1),
        ]
    }

    /// Checks every `name measure value` line a recipe printed.
    static func check(_ output: String, against expected: [String: Double], recipe: String, tolerance: Double = 1e-4) -> Int {
        var checked = 0
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 2, let value = Double(words.last!) else { continue }
            let key = words.dropLast().joined(separator: " ")
            guard let want = expected[key] else { continue }
            #expect(abs(value - want) <= tolerance, "\(key): the recipe printed \(value), the CSV gives \(want)\n\(recipe)")
            checked += 1
        }
        return checked
    }

    @Test func rAndPythonRecipesGiveTheCSVsFigures() throws {
        let root = try Self.exports()
        let expected = try Self.expected(root)
        let r = try Self.recipes("r"), python = try Self.recipes("python")
        #expect(r.count >= 4 && python.count >= 2, "the guide's recipes were not found")
        var checked = 0
        for recipe in r { checked += Self.check(try Readers.run("Rscript", ["-e", recipe], in: root), against: expected, recipe: recipe) }
        for recipe in python {
            checked += Self.check(try Readers.run("python3", ["-c", recipe], in: root), against: expected, recipe: recipe)
        }
        #expect(checked >= 12, "the recipes printed \(checked) checked figures")
    }

    @Test func spssRecipesRunInPSPP() throws {
        let root = try Self.exports()
        let expected = try Self.expected(root)
        let recipes = try Self.recipes("spss")
        #expect(recipes.count >= 3)
        var means: [String] = []
        for (i, recipe) in recipes.enumerated() {
            let file = root.appendingPathComponent("recipe\(i).sps")
            try Data(recipe.utf8).write(to: file)
            let output = try Readers.run("pspp", ["--batch", "-O", "format=txt", file.path], in: root)
            #expect(!output.contains("error:"), "\(output)")
            // DESCRIPTIVES: "|life_sat  |  37|  6.92|": the mean to the decimals PSPP shows.
            for line in output.split(separator: "\n") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count >= 3, let want = expected["\(cells[0]) mean"], let shown = Double(cells[2]) else { continue }
                let places = cells[2].split(separator: ".").last?.count ?? 0
                #expect(abs(shown - want) <= 0.5 * pow(10, -Double(places)) + 1e-9, "\(cells[0]): PSPP \(shown), CSV \(want)")
                means.append(cells[0])
            }
            if recipe.contains("MRSETS") { #expect(output.contains("$nb_prob"), "\(output)") }
            if recipe.contains("DISPLAY ATTRIBUTES") { #expect(output.contains("Question"), "\(output)") }
        }
        #expect(means.sorted() == ["life_sat", "life_sat", "m_age"], "\(means)")
    }
}
