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
                #expect(try TerepProcess.run(
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
            try Data("""
                survey late {
                  title hu "Teszt" en "Test"
                  version "1"
                  languages hu en
                }
                question start_t time {
                  text hu "Kezdés" en "Start"
                  warn if start_t > @25:00 hu "Késő" en "Late"
                }

                """.utf8).write(to: file)
            let checked = try TerepProcess.run(["check", file.path, "--format", "json"])
            #expect(checked.status != 0)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any], "\(checked.stdout)")
            let codes = (document["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(codes == ["E0006"])
        }
    }
}
