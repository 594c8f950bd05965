import Foundation
import SurveyModel
import SurveyStore
import Testing

/// kill -9 the interviewer at random moments; no confirmed answer may be lost and the
/// database must stay intact. `scripts/crash-interview.sh ROUNDS` runs hundreds of rounds
/// through `TEREP_CRASH_ROUNDS`; plain `swift test` runs a few.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(5)))
    struct CrashTests {
        static var rounds: Int {
            ProcessInfo.processInfo.environment["TEREP_CRASH_ROUNDS"].flatMap(Int.init) ?? 4
        }

        /// An answer the interviewer saw confirmed: the next question appeared after it.
        struct Confirmed: Hashable {
            var interview: InterviewID?
            var address: String
            var typed: String
        }

        @Test func killingTheInterviewerNeverLosesAConfirmedAnswer() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            var generator = SystemRandomNumberGenerator()
            var confirmed: [Confirmed] = []
            var midCommit = 0
            for round in 1...Self.rounds {
                let resumable = try? DeviceStore.open(path: db, readOnly: true).interviews(status: .inProgress).last
                var arguments = ["interview", survey, "--device-db", db]
                if let resumable { arguments += ["--resume", resumable.id.rawValue] }
                let terep = try InteractiveTerep(arguments)
                let killAfter = Int.random(in: 0...14, using: &generator)
                let killMidCommit = Bool.random(using: &generator)
                var answerer = ScreenAnswerer()
                var previous: (name: String, typed: String)?
                var steps = 0
                while let screen = terep.readScreen() {
                    if screen.hasSuffix("javítom\n") {
                        terep.send("i")  // confirm the soft check; the answer is confirmed by the next screen
                        continue
                    }
                    let name = ScreenAnswerer.questionName(in: screen) ?? previous?.name
                    if let previous, let name, name != previous.name {
                        confirmed.append(Confirmed(interview: resumable?.id, address: previous.name, typed: previous.typed))
                    }
                    if steps == killAfter && !killMidCommit { break }
                    guard case .type(let line) = answerer.next(for: screen), let name else { break }
                    terep.send(line)
                    previous = line.isEmpty || line.hasPrefix(".") ? nil : (name, line)
                    steps += 1
                    if steps == killAfter && killMidCommit {
                        usleep(UInt32.random(in: 0...3000, using: &generator))
                        break
                    }
                }
                kill(terep.process.processIdentifier, SIGKILL)
                terep.process.waitUntilExit()
                if killMidCommit { midCommit += 1 }
                try verify(db: db, confirmed: confirmed, round: round)
            }
            #expect(!confirmed.isEmpty, "no round got far enough to confirm an answer")
            print(
                "crash test: \(Self.rounds) rounds (\(midCommit) killed right after typing), "
                    + "\(confirmed.count) confirmed answers all found, integrity_check ok")
        }

        /// A crash in the line view (F12's escape sequence typed in a debug build with
        /// `TEREP_TEST_CRASH=1`: an index out of range, as a bug would trap) says on standard
        /// error, in the questionnaire's language, that every confirmed answer is saved and how
        /// to resume; the answer confirmed before it is in the database, and terep dies of the
        /// signal (the shell and the case list see a crash, not an ordinary end).
        @Test func aCrashInTheLineViewSaysSoInTheInterviewsLanguage() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let run = try TerepProcess.run(
                ["interview", survey, "--device-db", db], stdin: "K7\n\u{1B}[24~\n",
                environment: ["TEREP_TEST_CRASH": "1", "SWIFT_BACKTRACE": "enable=no"])
            #expect([SIGILL, SIGTRAP].contains(run.status), "terep died of the trap: \(run.status)\n\(run.stderr)")
            #expect(run.stderr.contains("A program váratlan hibával leállt."), "\(run.stderr)")
            #expect(run.stderr.contains("Minden megerősített válasz mentve. Folytatás: terep interview"), "\(run.stderr)")
            let store = try DeviceStore.open(path: db, readOnly: true)
            let interview = try #require(try store.interviews().first)
            let answers = try store.events(interview: interview.id).compactMap { event -> String? in
                guard case .answered(let at, let answer) = event.kind else { return nil }
                return "\(at)=\(ScreenAnswerer.typed(answer))"
            }
            #expect(answers == ["cluster_id=K7"])
            // The resume command the notice gave continues the same interview.
            #expect(run.stderr.contains("--resume \(interview.id.rawValue)"), "\(run.stderr)")
        }

        private func verify(db: String, confirmed: [Confirmed], round: Int) throws {
            guard FileManager.default.fileExists(atPath: db) else { return }
            let store = try DeviceStore.open(path: db, readOnly: true)
            #expect(try store.integrityCheck().isEmpty, "round \(round): integrity check failed")
            var stored = Set<String>()
            for record in try store.interviews() {
                for event in try store.events(interview: record.id) {
                    if case .answered(let at, let answer) = event.kind { stored.insert("\(at)=\(ScreenAnswerer.typed(answer))") }
                }
            }
            for answer in confirmed {
                #expect(stored.contains("\(answer.address)=\(answer.typed)"), "round \(round): lost \(answer.address)=\(answer.typed)")
            }
        }
    }
}
