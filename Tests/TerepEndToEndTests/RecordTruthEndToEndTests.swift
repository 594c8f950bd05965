import Foundation
import SurveyModel
import SurveyStore
import Testing

extension EndToEnd {
    /// What the record says must be true (issue 17), through the real binary.
    @Suite(.timeLimit(.minutes(5))) struct RecordTruthEndToEndTests {
        /// Two laptops simulating with the same seed merge without a single conflict.
        @Test func simulatedInterviewsOfTwoDevicesWithOneSeedDoNotCollide() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let central = dir.appendingPathComponent("central.sqlite").path
            #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
            var bundles: [String] = []
            var ids: [Set<InterviewID>] = []
            for n in 1...2 {
                let db = dir.appendingPathComponent("d\(n).sqlite").path
                let made = try TerepProcess.run(["device", "init", "--device-id", "lap-\(n)", "--interviewer", "I\(n)", "--device-db", db])
                let key = try #require(made.stdout.split(separator: "\n").last.map(String.init))
                #expect(
                    try TerepProcess.run(
                        ["central", "add-device", "--central", central, "--device-id", "lap-\(n)", "--key", key]).status == 0)
                let simulated = try TerepProcess.run(["simulate", survey, "--interviews", "3", "--device-db", db, "--seed", "42"])
                #expect(simulated.status == 0, "\(simulated.stderr)")
                ids.append(Set(try DeviceStore.open(path: db, readOnly: true).interviews().map(\.id)))
                let bundle = dir.appendingPathComponent("b\(n).terepbundle").path
                #expect(try TerepProcess.run(["bundle", "create", "--device-db", db, "-o", bundle]).status == 0)
                bundles.append(bundle)
            }
            #expect(ids[0].count == 3 && ids[0].isDisjoint(with: ids[1]))
            let merged = try TerepProcess.run(["merge", "--central", central, "--format", "json"] + bundles)
            #expect(merged.status == 0, "\(merged.stdout)\n\(merged.stderr)")
            let centralStore = try CentralStore.open(path: central, readOnly: true)
            let interviews = try centralStore.interviews()
            #expect(interviews.count == 6)
            #expect(interviews.allSatisfy { $0.devices.count == 1 }, "an interview was written by both devices")
        }

        /// `@25:00` is reported once, as what it is (E0006), with no type error beside it.
        @Test func anInvalidTimeLiteralGivesOnlyItsOwnDiagnostic() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("late.survey")
            try Data(
                """
                survey late {
                  title hu "Teszt" en "Test"
                  version "1"
                  languages hu en
                }
                question start_t time {
                  text hu "Kezdés" en "Start"
                  warn if start_t > @25:00 hu "Késő" en "Late"
                }

                """.utf8
            ).write(to: file)
            let checked = try TerepProcess.run(["check", file.path, "--format", "json"])
            #expect(checked.status != 0)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any], "\(checked.stdout)")
            let codes = (document["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(codes == ["E0006"])
        }

        /// A short questionnaire whose `duration_min` is `elapsed_minutes()`.
        static let timedSurvey = """
            survey timed {
              title hu "Idő" en "Time"
              version "1"
              languages hu en
              outcome outcome complete 11
            }
            answers OUTCOME {
              11 hu "Teljes" en "Complete"
            }
            section A {
              title hu "A" en "A"
              question outcome single OUTCOME { interviewer optional nodk text hu "Eredmény" en "Outcome" }
              question q1 integer 0..10 { text hu "Egy" en "One" }
              question q2 integer 0..10 { text hu "Kettő" en "Two" }
              question q3 integer 0..10 {
                text hu "Három" en "Three"
                warn if duration_min < 5 hu "Túl gyors ({duration_min} perc)." en "Too fast ({duration_min} minutes)."
              }
              calculate duration_min = elapsed_minutes()
            }

            """

        /// A registered device with its database, and a central dataset.
        struct Setup {
            let dir: URL
            let device: String
            let central: String

            init(_ dir: URL) throws {
                self.dir = dir
                device = dir.appendingPathComponent("device.sqlite").path
                central = dir.appendingPathComponent("central.sqlite").path
                let made = try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device])
                let key = try #require(made.stdout.split(separator: "\n").last.map(String.init), "\(made.stderr)")
                try #require(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
                try #require(
                    try TerepProcess.run(
                        ["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key]).status == 0)
            }

            /// Bundles the device's new events, merges them and exports `survey` as CSV: the
            /// interview table's rows by column name.
            func mergeAndExport(_ survey: String, statuses: String = "completed") throws -> [[String: String]] {
                let bundle = dir.appendingPathComponent("b-\(UUID().uuidString).terepbundle").path
                let created = try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle])
                try #require(created.status == 0, "\(created.stderr)")
                let merged = try TerepProcess.run(["merge", "--central", central, bundle])
                try #require(merged.status == 0, "\(merged.stdout)\n\(merged.stderr)")
                let out = dir.appendingPathComponent("export-\(UUID().uuidString)").path
                let exported = try TerepProcess.run(
                    ["export", "--central", central, "--survey", survey, "--format", "csv", "--status", statuses, "-o", out])
                try #require(exported.status == 0, "\(exported.stderr)")
                let lines = try String(contentsOfFile: "\(out)/\(survey).csv", encoding: .utf8).split(separator: "\r\n")
                let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                return lines.dropFirst().map { line in
                    let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    return Dictionary(uniqueKeysWithValues: zip(header, cells))
                }
            }
        }

        /// An interview begun two days ago (ten minutes then) and finished now counts about ten
        /// minutes, in `duration_min` and `iv_minutes` alike, not two days.
        @Test func aResumedInterviewLastsTheTimeSpentInIt() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let setup = try Setup(dir)
            let source = dir.appendingPathComponent("timed.survey").path
            try Data(Self.timedSurvey.utf8).write(to: URL(fileURLWithPath: source))
            let compiled = dir.appendingPathComponent("timed.json").path
            try #require(try TerepProcess.run(["compile", source, "-o", compiled]).status == 0)
            let json = try Data(contentsOf: URL(fileURLWithPath: compiled))
            let hash = try #require(
                (try JSONSerialization.jsonObject(with: json) as? [String: Any])?["hash"] as? String)

            let store = try DeviceStore.open(path: setup.device)
            try store.saveDefinition(compiledJSON: json)
            let start = DeviceStore.currentMilliseconds() - 2 * 86_400_000
            let new = NewInterview(definition: DefinitionHash(hash), seed: 1, language: "hu")
            _ = try store.createInterview(new, timestamp: start)
            _ = try store.append(.shown(Address("q1")), interview: new.id, timestamp: start + 60_000)
            _ = try store.append(.answered(Address("q1"), .value(.integer(1))), interview: new.id, timestamp: start + 600_000)
            _ = try store.append(.shown(Address("q2")), interview: new.id, timestamp: start + 600_500)

            let resumed = try TerepProcess.run(
                ["interview", source, "--device-db", setup.device, "--resume", new.id.rawValue], stdin: "2\n3\n")
            #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
            #expect(!resumed.stdout.contains("Túl gyors"), "the resumed session lost the time spent before: \(resumed.stdout)")
            #expect(try store.interview(id: new.id)?.status == .completed)

            let rows = try setup.mergeAndExport("timed")
            let row = try #require(rows.first)
            let minutes = try #require(Double(row["iv_minutes"] ?? ""), "\(row)")
            #expect(minutes >= 10 && minutes < 11, "iv_minutes \(minutes)")
            #expect(row["duration_min"] == "10", "\(row)")
        }

        static let programmeSurvey = """
            survey progs {
              title hu "Programok" en "Programmes"
              version "1"
              languages hu en
              outcome outcome complete 11
            }
            answers OUTCOME {
              11 hu "Teljes" en "Complete"
              12 hu "Részleges" en "Partial"
            }
            answers PROG {
              1 hu "egy" en "one"
              2 hu "kettő" en "two"
              4 hu "négy" en "four"
            }
            section A {
              title hu "A" en "A"
              question outcome single OUTCOME { interviewer optional nodk text hu "Eredmény" en "Outcome" }
              question aware multiple PROG { text hu "Ismeri?" en "Aware?" }
              question part multiple PROG {
                filter option in aware
                text hu "Részt vett?" en "Took part?"
              }
              question ve_date date @2020-01-01.. {
                when 4 in part
                text hu "Mikor?" en "When?"
              }
              question last text { text hu "Még valami?" en "Anything else?" }
            }

            """

        /// Issue 17's well-being case in small: prog_aware 1 4, prog_part 1 4, back to
        /// prog_aware → 1 2. The answer that no longer fits is flagged, Enter does not keep it,
        /// the interview cannot close as complete, and the export never has it as a value.
        @Test func anAnswerAnEarlierChangeMadeInvalidIsFlaggedAndNotExported() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let setup = try Setup(dir)
            let survey = dir.appendingPathComponent("progs.survey").path
            try Data(Self.programmeSurvey.utf8).write(to: URL(fileURLWithPath: survey))
            let script = ["1 4", "1 4", "2025-05-01", ".v", ".v", ".v", "1 2", "", ".k"]
            let run = try TerepProcess.run(
                ["interview", survey, "--device-db", setup.device], stdin: script.joined(separator: "\n") + "\n")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("Figyelem: a(z) part kérdés korábbi válasza a módosítás után már nem érvényes"), "\(run.stdout)")
            #expect(run.stdout.contains("A tárolt válasz (1 egy; 4) egy korábbi válasz módosítása miatt már nem érvényes"))
            let store = try DeviceStore.open(path: setup.device, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(record.status == .inProgress)

            let rows = try setup.mergeAndExport("progs", statuses: "all")
            let row = try #require(rows.first)
            #expect(row["aware_4"] == "0" && row["aware_2"] == "1", "\(row)")
            #expect(row["part_1"] == "" && row["part_4"] == "", "a stale answer is exported as unanswered: \(row)")
            #expect(row["ve_date"] == "-7", "what followed from it is off route: \(row)")
        }

        /// A year of birth the respondent does not know gives no age group (format 2), where the
        /// old rule exported 4 ("65+") — through interview, bundle, merge and export.
        @Test func aGroupIsNotComputedFromAMissingValue() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let setup = try Setup(dir)
            let survey = dir.appendingPathComponent("ages.survey").path
            try Data(
                """
                survey ages {
                  title hu "Kor" en "Age"
                  version "1"
                  languages hu en
                  specials dk rf
                  outcome outcome complete 11
                }
                answers OUTCOME {
                  11 hu "Teljes" en "Complete"
                }
                section A {
                  title hu "A" en "A"
                  question outcome single OUTCOME { interviewer optional nodk text hu "Eredmény" en "Outcome" }
                  question birth_year integer 1900..2010 { text hu "Születési év?" en "Year of birth?" }
                  calculate age = 2026 - birth_year
                  calculate age_grp = if(age < 30, 1, if(age < 45, 2, if(age < 65, 3, 4)))
                  question last text { text hu "Még valami?" en "Anything else?" }
                }

                """.utf8
            ).write(to: URL(fileURLWithPath: survey))
            let first = try TerepProcess.run(["interview", survey, "--device-db", setup.device], stdin: ".nt\n-\n")
            #expect(first.status == 0, "\(first.stderr)")
            let second = try TerepProcess.run(["interview", survey, "--device-db", setup.device], stdin: "1990\n-\n")
            #expect(second.status == 0, "\(second.stderr)")
            let rows = try setup.mergeAndExport("ages").sorted { ($0["birth_year"] ?? "") < ($1["birth_year"] ?? "") }
            #expect(rows.map { $0["birth_year"] } == ["-8", "1990"], "\(rows)")
            #expect(rows.map { $0["age_grp"] } == ["", "2"], "\(rows)")
        }

        /// The study itself: a complete whose respondent does not know their year of birth has no
        /// `age_grp` in the export and falls in no age cell of the sex × age quota — before
        /// format 2 it was exported as 4 ("65+") and counted there.
        @Test func theWellbeingAgeGroupOfAnUnknownBirthYearIsMissingInExportAndQuota() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let setup = try Setup(dir)
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let terep = try InteractiveTerep(["interview", survey, "--device-db", setup.device, "--seed", "3"])
            var answerer = ScreenAnswerer()
            answerer.overrides = ["birth_year": ".nt"]
            answerer.answerAll(terep)
            #expect(terep.wait() == 0)
            #expect(answerer.accepted["birth_year"] == ".nt", "\(terep.transcript.suffix(1500))")
            let row = try #require(try setup.mergeAndExport("wellbeing").first, "the interview completes")
            #expect(row["birth_year"] == "-8" && row["age_grp"] == "", "\(row)")

            let report = try TerepProcess.run(["report", "--central", setup.central, "--survey", "wellbeing", "--format", "json"])
            try #require(report.status == 0, "\(report.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            let quotas = json["quotas"] as? [[String: Any]] ?? []
            let ages = try #require(quotas.first { ($0["variables"] as? [String]) == ["sex", "age_grp"] }, "\(quotas)")
            let counted = (ages["cells"] as? [[String: Any]] ?? []).filter { ($0["completed"] as? Int ?? 0) > 0 }
            #expect(counted.count == 1, "\(counted)")
            let values = counted.first?["values"] as? [String] ?? []
            #expect(values.count == 2 && !["1", "2", "3", "4"].contains(values[1]), "counted in an age cell: \(counted)")
        }

        /// The outcome counts of `terep report --format json`, by code.
        static func reportedOutcomes(_ setup: Setup, survey: String) throws -> [Int: Int] {
            let report = try TerepProcess.run(["report", "--central", setup.central, "--survey", survey, "--format", "json"])
            try #require(report.status == 0, "\(report.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            let codes = (json["outcomes"] as? [String: Any])?["codes"] as? [[String: Any]] ?? []
            var out: [Int: Int] = [:]
            for c in codes { if let code = c["code"] as? Int, let n = c["count"] as? Int, n > 0 { out[code] = n } }
            return out
        }

        /// A mistyped 0 ends the interview only once confirmed; `--reopen PREFIX --reason` reopens
        /// it with who, when and why, the interview is corrected and completed, and the report and
        /// export follow the later outcome.
        @Test func aWronglyEndedInterviewIsReopenedAndTheLaterOutcomeCounts() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let setup = try Setup(dir)
            let survey = try MiniSurvey.write(into: dir)
            let ended = try TerepProcess.run(
                ["interview", survey, "--device-db", setup.device, "--case", "cluster_id=K042"], stdin: "\n\n0\ni\n")
            #expect(ended.stdout.contains("Ez a válasz lezárja az interjút ezzel az eredménnyel: 42 (Nincs 16+ lakos)"))
            let store = try DeviceStore.open(path: setup.device, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(record.status == .ended && record.outcome == 42)
            _ = try setup.mergeAndExport("mini", statuses: "all")
            #expect(try Self.reportedOutcomes(setup, survey: "mini") == [42: 1])

            let resumed = try TerepProcess.run(["interview", survey, "--device-db", setup.device, "--resume", record.id.rawValue])
            #expect(resumed.status == 64 && resumed.stderr.contains("--reopen \(record.id)"), "\(resumed.stderr)")
            let noReason = try TerepProcess.run(["interview", survey, "--device-db", setup.device, "--reopen", record.id.rawValue])
            #expect(noReason.status == 64 && noReason.stderr.contains("--reason"))
            let control = try TerepProcess.run(
                ["interview", survey, "--device-db", setup.device, "--reopen", record.id.rawValue, "--reason", "a\u{1B}[2Jb"])
            #expect(control.status == 64 && control.stderr.contains("without control characters"), "\(control.stderr)")

            let prefix = String(record.id.rawValue.prefix(8))
            let script = Array(MiniSurvey.completeScript.dropFirst(3)).joined(separator: "\n") + "\n"
            let reopened = try TerepProcess.run(
                ["interview", survey, "--device-db", setup.device, "--reopen", prefix, "--reason", "hh_n16 mistyped as 0"],
                stdin: script)
            #expect(reopened.status == 0, "\(reopened.stdout)\n\(reopened.stderr)")
            #expect(reopened.stdout.contains("Az interjú újranyitva: \(record.id) (eddigi eredménye: 42)"))
            let after = try #require(try store.interview(id: record.id))
            #expect(after.status == .completed && after.outcome == 11)
            let reopenEvent = try #require(
                try store.events(interview: record.id).first {
                    if case .reopened = $0.kind { true } else { false }
                })
            #expect(reopenEvent.kind == .reopened(reason: "hh_n16 mistyped as 0"))
            #expect(reopenEvent.interviewer == store.interviewer)

            let rows = try setup.mergeAndExport("mini", statuses: "all")
            #expect(rows.map { $0["iv_outcome"] } == ["11"], "\(rows)")
            #expect(rows.first?["hh_n16"] == "2")
            #expect(try Self.reportedOutcomes(setup, survey: "mini") == [11: 1])
            let central = try CentralStore.open(path: setup.central, readOnly: true)
            let travelled = try central.events(interview: record.id).filter { if case .reopened = $0.kind { true } else { false } }
            #expect(travelled == [reopenEvent], "the reopening, with who, when and why, reached the central dataset in a bundle")

            let again = try TerepProcess.run(
                ["interview", survey, "--device-db", setup.device, "--reopen", prefix, "--reason", "x"], stdin: ".k\n")
            #expect(again.status == 0, "an ended interview can be reopened again: \(again.stderr)")
            let notEnded = try TerepProcess.run(
                ["interview", survey, "--device-db", setup.device, "--reopen", prefix, "--reason", "y"])
            #expect(notEnded.status == 64 && notEnded.stderr.contains("has not ended"), "\(notEnded.stderr)")
        }
    }
}
