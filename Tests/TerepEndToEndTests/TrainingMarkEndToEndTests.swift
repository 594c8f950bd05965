import Foundation
import SurveyModel
import SurveyStore
import Testing

extension EndToEnd {
    /// `terep device training` with the real binary: the mark changes on the device, travels in
    /// the next bundle, and the central dataset, `central status` and `export` follow it.
    @Suite struct TrainingMarkEndToEndTests {
        /// A device with simulated interviews, already bundled and merged into a central dataset.
        struct Fieldwork {
            let dir: URL
            let device: String
            let central: String
            var bundles = 0

            init() throws {
                let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
                dir = try TerepProcess.temporaryDirectory()
                device = dir.appendingPathComponent("lap-1.sqlite").path
                central = dir.appendingPathComponent("central.sqlite").path
                try Self.succeed(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device])
                try Self.succeed(["simulate", survey, "--interviews", "6", "--device-db", device, "--seed", "3"])
                try Self.succeed(["central", "init", "--central", central])
            }

            @discardableResult
            static func succeed(_ arguments: [String]) throws -> TerepProcess.Result {
                let result = try TerepProcess.run(arguments)
                try #require(result.status == 0, "terep \(arguments.joined(separator: " ")): \(result.stdout) \(result.stderr)")
                return result
            }

            /// Bundles what the device has not bundled yet and merges it centrally.
            mutating func sync() throws {
                bundles += 1
                let bundle = dir.appendingPathComponent("lap-1-\(bundles).terepbundle").path
                try Self.succeed(["bundle", "create", "--device-db", device, "-o", bundle])
                try Self.succeed(["merge", "--central", central, "--trust-new-devices", bundle])
            }

            func training(_ arguments: [String]) throws -> TerepProcess.Result {
                try TerepProcess.run(["device", "training"] + arguments + ["--device-db", device, "--ui-lang", "en"])
            }

            func centralTraining(_ id: InterviewID) throws -> Bool? {
                try CentralStore.open(path: central, readOnly: true).interviews().first { $0.id == id }?.isTraining
            }

            func statusTrainingCount() throws -> Int? {
                let result = try Self.succeed(["central", "status", "--central", central, "--format", "json"])
                let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                return json?["trainingInterviews"] as? Int
            }

            /// The exported CSV rows by interview id, and the export log.
            func export() throws -> (rows: [String: Substring], log: String) {
                let out = dir.appendingPathComponent("exports").path
                try Self.succeed([
                    "export", "--central", central, "--survey", "wellbeing", "--format", "csv", "-o", out, "--force",
                    "--pii-key", try TerepProcess.keyFile(),
                ])
                let csv = try String(contentsOfFile: out + "/wellbeing.csv", encoding: .utf8)
                var rows: [String: Substring] = [:]
                for line in csv.split(separator: "\r\n").dropFirst() {
                    rows[String(line.prefix { $0 != "," })] = line
                }
                return (rows, try String(contentsOfFile: out + "/wellbeing_export.log", encoding: .utf8))
            }
        }

        @Test("marking a bundled interview as training travels in the next bundle; unmarking exports the same row again")
        func markThenUnmarkTravels() throws {
            var work = try Fieldwork()
            defer { try? FileManager.default.removeItem(at: work.dir) }
            try work.sync()
            let completed = try DeviceStore.open(path: work.device, readOnly: true).interviews(status: .completed)
            let id = try #require(completed.first?.id, "the simulation produced no completed interview")
            let before = try work.export()
            let original = try #require(before.rows[id.rawValue])
            #expect(try work.centralTraining(id) == false)
            #expect(try work.statusTrainingCount() == 0)

            let marked = try work.training([String(id.rawValue.prefix(8)), "--on"])
            #expect(marked.status == 0, "\(marked.stderr)")
            #expect(marked.stdout.contains("Interview \(id) is now marked as training (test)"))
            #expect(marked.stdout.contains("next bundle"))
            #expect(try DeviceStore.open(path: work.device, readOnly: true).interview(id: id)?.isTest == true)
            let deviceStatus = try Fieldwork.succeed(["device", "status", "--device-db", work.device])
            #expect(deviceStatus.stdout.contains("Training:     1 "), "\(deviceStatus.stdout)")
            #expect(try work.centralTraining(id) == false, "nothing reaches the centre before the next bundle")
            try work.sync()
            #expect(try work.centralTraining(id) == true)
            #expect(try work.statusTrainingCount() == 1)
            let status = try Fieldwork.succeed(["central", "status", "--central", work.central])
            // The training count stands next to the status of the marked interview (completed),
            // not after whichever status happens to be printed last.
            #expect(status.stdout.contains("completed \(completed.count) (1 training)"), "\(status.stdout)")
            #expect(status.stdout.contains("Training interviews: 1 in all"), "\(status.stdout)")
            #expect(!status.stdout.contains("ended 0 (") && !status.stdout.contains("in_progress 0 ("), "\(status.stdout)")
            let without = try work.export()
            #expect(without.rows[id.rawValue] == nil)
            #expect(without.rows.count == before.rows.count - 1)
            #expect(without.log.contains("test/training interview"), "\(without.log)")

            let unmarked = try work.training([id.rawValue, "--off"])
            #expect(unmarked.status == 0 && unmarked.stdout.contains("now marked as a real interview"), "\(unmarked.stderr)")
            try work.sync()
            #expect(try work.centralTraining(id) == false)
            #expect(try work.statusTrainingCount() == 0)
            let again = try work.export()
            #expect(again.rows.count == before.rows.count)
            // Months after the (simulated) visit: the marks must not change its answers or calculations.
            #expect(again.rows[id.rawValue] == original)
        }

        @Test("an already-ended real interview started with --training by mistake is exported once unmarked")
        func unmarkAWrongTrainingStart() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            var work = try Fieldwork()
            defer { try? FileManager.default.removeItem(at: work.dir) }
            try Fieldwork.succeed(["simulate", survey, "--interviews", "4", "--device-db", work.device, "--seed", "9", "--training"])
            try work.sync()
            let store = try DeviceStore.open(path: work.device, readOnly: true)
            let id = try #require(try store.interviews(status: .completed).first { $0.isTest }?.id)
            #expect(try work.export().rows[id.rawValue] == nil)
            #expect(try work.training([id.rawValue, "--off"]).status == 0)
            try work.sync()
            #expect(try work.centralTraining(id) == false)
            #expect(try work.export().rows[id.rawValue] != nil)
        }

        @Test("an unknown id, an ambiguous prefix and an unchanged mark are answered clearly and write nothing")
        func refusalsWriteNothing() throws {
            let work = try Fieldwork()
            defer { try? FileManager.default.removeItem(at: work.dir) }
            let store = try DeviceStore.open(path: work.device, readOnly: true)
            let events = try store.info().nextSequence
            let id = try #require(try store.interviews().first?.id)

            let unknown = try work.training(["no-such-interview", "--on"])
            #expect(unknown.status == 1)
            #expect(
                unknown.stderr == "error: no interview 'no-such-interview' on this device. To list the interviews: "
                    + "terep device training --list --device-db \(work.device)\n")
            let ids = try store.interviews().map(\.id.rawValue)
            let shared = try #require(
                ids.first { a in ids.contains { b in b != a && b.first == a.first } }.map { String($0.prefix(1)) },
                "the seed gives two ids with the same first character")
            let ambiguous = try work.training([shared, "--on"])
            #expect(ambiguous.status == 1 && ambiguous.stderr.contains("have ids starting with \(shared); type more of it"))
            #expect(try work.training(["", "--on"]).status != 0)
            let same = try work.training([id.rawValue, "--off"])
            #expect(same.status == 0 && same.stdout.contains("already a real interview") && same.stdout.contains("nothing to do"))
            let missingMark = try work.training([id.rawValue])
            #expect(missingMark.status != 0 && missingMark.stderr.contains("--on"))
            #expect(try store.info().nextSequence == events)

            let list = try work.training(["--list"])
            #expect(list.status == 0 && list.stdout.contains(id.rawValue))
            #expect(list.stdout.split(separator: "\n").count == 1 + (try store.interviews().count))
        }

        @Test("'.gyakorló' in a running interview is saved, listed by the device command and announced on resume")
        func sessionCommandMarksTheInterview() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let run = try TerepProcess.run(["interview", survey, "--device-db", db], stdin: "K1\n.gyakorló\n.k\n")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("Gyakorló (teszt) interjú: megmarad"))
            let record = try #require(try DeviceStore.open(path: db, readOnly: true).interviews().first)
            #expect(record.isTest && record.status == .inProgress)
            let list = try TerepProcess.run(["device", "training", "--list", "--device-db", db])
            #expect(list.stdout.contains(record.id.rawValue) && list.stdout.contains("GYAKORLÓ"), "\(list.stdout)")
            let resumed = try TerepProcess.run(
                ["interview", survey, "--device-db", db, "--resume", record.id.rawValue, "--ui-lang", "en"], stdin: ".training off\n.q\n")
            #expect(resumed.stdout.contains("Training (test) interview"), "announced on resume")
            #expect(resumed.stdout.contains("Training mark removed"))
            #expect(try DeviceStore.open(path: db, readOnly: true).interview(id: record.id)?.isTest == false)
        }

        @Test("the messages follow the questionnaire's first language (Hungarian) without --ui-lang")
        func hungarianByDefault() throws {
            let work = try Fieldwork()
            defer { try? FileManager.default.removeItem(at: work.dir) }
            let id = try #require(try DeviceStore.open(path: work.device, readOnly: true).interviews().first?.id)
            let marked = try TerepProcess.run(["device", "training", id.rawValue, "--on", "--device-db", work.device])
            #expect(marked.status == 0)
            #expect(marked.stdout.contains("gyakorló (teszt) interjú lett"), "\(marked.stdout)")
            let list = try TerepProcess.run(["device", "training", "--list", "--device-db", work.device])
            #expect(list.stdout.contains("GYAKORLÓ"))
        }
    }
}
