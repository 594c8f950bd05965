import Foundation
import Testing

extension EndToEnd {
    /// The three studies through the real binary: simulate → bundle → merge → export → report.
    /// The actors' questionnaire goes the same way as the household ones; the well-being report
    /// counts the event booster apart from the address sample's progress, quotas and rates.
    @Suite struct StudiesEndToEndTests {
        /// A central dataset with `interviews` simulated interviews of `study` from one laptop.
        static func central(_ study: String, interviews: Int, seed: Int, in dir: URL) throws -> String {
            let survey = try #require(TerepProcess.questionnaire("\(study).survey"))
            let db = dir.appendingPathComponent("lap-1.sqlite").path
            let initialised = try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", db])
            try #require(initialised.status == 0, "\(initialised.stderr)")
            let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))
            let simulated = try TerepProcess.run([
                "simulate", survey, "--interviews", "\(interviews)", "--device-db", db, "--seed", "\(seed)",
            ])
            try #require(simulated.status == 0, "\(simulated.stderr)")
            let bundle = dir.appendingPathComponent("lap-1.terepbundle").path
            #expect(try TerepProcess.run(["bundle", "create", "--device-db", db, "-o", bundle]).status == 0)
            let central = dir.appendingPathComponent("central.sqlite").path
            #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
            #expect(
                try TerepProcess.run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key]).status == 0)
            let merged = try TerepProcess.run(["merge", "--central", central, bundle])
            try #require(merged.status == 0, "\(merged.stderr)")
            return central
        }

        /// The report's JSON figures.
        static func report(_ central: String, _ study: String) throws -> [String: Any] {
            let json = try TerepProcess.run([
                "report", "--central", central, "--survey", study, "--today", "2027-02-01", "--format", "json",
            ])
            try #require(json.status == 0, "\(json.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        }

        /// The rows of an exported CSV by column name (the header row gives the names).
        static func csv(_ path: String) throws -> [[String: String]] {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let header = try #require(lines.first)
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        }

        @Test(
            "the actors' questionnaire is simulated, merged, exported without its PII, read by pyreadstat and reported by org_grp and org_area"
        )
        func stakeholdersLikeTheOtherStudies() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let central = try Self.central("stakeholders", interviews: 20, seed: 7, in: dir)

            let out = dir.appendingPathComponent("exports").path
            let export = try TerepProcess.run([
                "export", "--central", central, "--survey", "stakeholders", "--format", "csv,sav,dta,codebook", "-o", out,
            ])
            try #require(export.status == 0, "\(export.stderr)")
            let rows = try Self.csv(out + "/stakeholders.csv")
            let first = try #require(rows.first, "no completed interview exported")
            for column in ["org_type", "org_grp", "quiz_score", "ectrust_res", "bar_capacity", "ec_lead", "org_area_4"] {
                #expect(first[column] != nil, "no \(column) column")
            }
            #expect(first["org_name"] == nil && first["contact"] == nil, "PII is dropped by default")
            let codebook = try String(contentsOfFile: out + "/stakeholders_codebook.md", encoding: .utf8)
            #expect(codebook.contains("org_grp") && codebook.contains("Civil szervezet"))
            let script = """
                import sys, pyreadstat
                a, _ = pyreadstat.read_sav(sys.argv[1], user_missing=True)
                b, _ = pyreadstat.read_dta(sys.argv[2])
                print(len(a), len(b), "org_name" in a.columns, sorted(set(a["org_grp"].dropna().astype(int))) == sorted(set(b["org_grp"].dropna().astype(int))))
                """
            let read = try ExportEndToEndTests.python(script, [out + "/stakeholders.sav", out + "/stakeholders.dta"])
            #expect(read == "\(rows.count) \(rows.count) False True\n", "\(read)")

            let report = try Self.report(central, "stakeholders")
            let quotas = try #require(report["quotas"] as? [[String: Any]])
            let groups = try #require(quotas.first { $0["name"] as? String == "org_grp" })
            let cells = try #require(groups["cells"] as? [[String: Any]])
            #expect(Array(cells.prefix(5)).compactMap { $0["target"] as? Int } == [25, 20, 15, 10, 10])
            let completedInCells = cells.compactMap { $0["completed"] as? Int }.reduce(0, +)
            #expect(completedInCells == rows.count, "every complete in one org_grp cell")
            let areas = try #require(quotas.first { $0["name"] as? String == "org_area" })
            let areaLabels = (areas["cells"] as? [[String: Any]])?.compactMap { $0["label"] as? String }
            #expect(areaLabels == ["Bulgárföld", "Kilián-Észak", "Kilián-Dél", "Egész Miskolc"])
            let progress = try #require(report["progress"] as? [String: Any])
            #expect(progress["target"] as? Int == 80 && progress["completed"] as? Int == rows.count)
            #expect(report["scope"] == nil, "the actors' targets count every interview")
        }

        @Test("the well-being report counts the event booster apart from the address sample's progress, quotas and rates")
        func wellbeingBoosterIsCountedApart() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let central = try Self.central("wellbeing", interviews: 40, seed: 11, in: dir)
            let out = dir.appendingPathComponent("exports").path
            let export = try TerepProcess.run([
                "export", "--central", central, "--survey", "wellbeing", "--format", "csv", "--status", "all", "-o", out,
            ])
            try #require(export.status == 0, "\(export.stderr)")
            let rows = try Self.csv(out + "/wellbeing.csv")
            let booster = rows.filter { $0["sample_source"] == "2" }, address = rows.filter { $0["sample_source"] == "1" }
            #expect(
                booster.count + address.count == rows.count && !booster.isEmpty && !address.isEmpty,
                "the simulation draws both samples: \(booster.count) + \(address.count) of \(rows.count)")
            let complete = { (r: [String: String]) in r["iv_outcome"] == "11" }

            let report = try Self.report(central, "wellbeing")
            let scope = try #require(report["scope"] as? [String: Any], "no line for the booster")
            #expect(scope["condition"] as? String == "sample_source == 1")
            #expect(scope["label"] as? String == "Városi esték rendezvényminta")
            #expect(scope["interviews"] as? Int == booster.count)
            #expect(scope["completed"] as? Int == booster.count(where: complete))
            let progress = try #require(report["progress"] as? [String: Any])
            #expect(progress["completed"] as? Int == address.count(where: complete))
            let quotas = try #require(report["quotas"] as? [[String: Any]])
            for quota in quotas {
                let total = (quota["cells"] as? [[String: Any]])?.compactMap { $0["completed"] as? Int }.reduce(0, +)
                #expect(total == address.count(where: complete), "\(quota["name"] ?? "?") counts the address sample only")
            }
            let outcomes = try #require(report["outcomes"] as? [String: Any])
            let counted = (outcomes["codes"] as? [[String: Any]])?.compactMap { $0["count"] as? Int }.reduce(0, +)
            #expect(counted == address.count { $0["iv_outcome"] != "" }, "the rates' outcomes are the address sample's")

            let text = try TerepProcess.run(["report", "--central", central, "--survey", "wellbeing", "--today", "2027-02-01"])
            try #require(text.status == 0, "\(text.stderr)")
            let flowing = text.stdout.replacing(/\n +/, with: " ")
            #expect(
                flowing.contains(
                    "Nem számít a haladásba, a kvótákba és a válaszadási arányokba (a célok feltétele: sample_source == 1): Városi esték rendezvényminta — \(booster.count) interjú"
                ), "\(text.stdout)")
        }
    }
}
