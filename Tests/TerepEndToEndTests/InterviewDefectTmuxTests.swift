import Foundation
import SurveyModel
import SurveyStore
import Testing

/// Regression tests of the interviewer's defects (issue 10), each through the real binary on a
/// real terminal (tmux), read back from the screen and the device database.
extension EndToEnd {
    @Suite(
        .timeLimit(.minutes(3)),
        .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux); these tests drive a real terminal"))
    struct InterviewDefectTmuxTests {
        static let energy = TerepProcess.questionnaire("energy.survey")

        /// Defects 1 and 3: a check's message shows the value being typed, never the stored one;
        /// a soft-check confirmation asks again on anything but its keys.
        @Test func checkMessagesShowTheNewValueAndConfirmationsTakeOnlyTheirKeys() throws {
            let energy = try #require(Self.energy)
            let run = try TmuxInterview(survey: energy, arguments: EnergyPath.cases)
            defer { run.stop() }
            try run.answer(EnergyPath.toHouseholdSize + [("hh_size", "12")])
            var screen = try run.waitFor("Ellenőrizze: 12 fő lakik a lakásban?")
            #expect(!screen.contains("Ellenőrizze:  fő"))
            try run.tmux.type("")  // Enter alone is not a yes
            try run.waitFor("Kérem, i (igen) vagy n (nem) betűvel válaszoljon.")
            try run.tmux.type("x")
            try run.tmux.type("n")
            try run.waitFor("Javítsa a választ.")
            var stored = try run.stored()
            #expect(stored.answers[Address("hh_size")] == nil)
            #expect(!stored.kinds.contains { if case .warningConfirmed = $0 { true } else { false } })
            try run.answer([("hh_size", "1"), ("m_name[1]", "Anna"), ("m_sex[1]", "2"), ("m_age[1]", "16")])
            screen = try run.waitFor("legalább 18 évesnek kell lennie (16).")
            #expect(!screen.contains("kell lennie ()."))
            try run.answer([
                ("m_age[1]", "45"), ("m_rel[1]", ""), ("m_act[1]", "1"), ("m_home_day[1]", "1"), ("dwell", "1"),
                ("floor_m2", "60"), ("tenure", "1"), ("heat_main", "1"), ("dh_ctrl", "1"), ("renov", "97"),
                ("elec_bill", "12 500"), ("heat_bill", ".v"),
            ])
            try run.waitForQuestion("elec_bill")
            try run.after("Jelenlegi válasz: 12500", type: "65000")
            screen = try run.waitFor("Ellenőrizze: 65000 Ft/hó?")
            #expect(!screen.contains("Ellenőrizze: 12500"))
            try run.tmux.type("i")
            try run.waitForQuestion("heat_bill")
            stored = try run.stored()
            #expect(stored.answers[Address("hh_size")] == [.value(.integer(1))])
            #expect(stored.answers[Address("m_age", rows: [1])] == [.value(.integer(45))])
            #expect(stored.answers[Address("elec_bill")] == [.value(.integer(12500)), .value(.integer(65000))])
            #expect(stored.kinds.contains(.warningConfirmed("chk_elec_bill", rows: [], reason: nil)))
        }

        /// Defect 2: `.z CODE` runs the outcome question's checks and asks to confirm, naming the code.
        @Test func endingTheVisitRunsTheOutcomeChecksAndAsksToConfirm() throws {
            let energy = try #require(Self.energy)
            let run = try TmuxInterview(survey: energy, arguments: EnergyPath.cases)
            defer { run.stop() }
            try run.answer([("gps_lat", ".z 12")])
            try run.waitFor("Részleges interjú (12) csak akkor rögzíthető")
            try run.answer([("gps_lat", ".z 21")])
            try run.after("A látogatás lezárása ezzel az eredménnyel: 21 (Visszautasítás). Lezárja?", type: "x")
            try run.waitFor("Kérem, i (igen) vagy n (nem) betűvel válaszoljon.")
            #expect(try run.stored().record.status == .inProgress)
            try run.tmux.type("i")
            #expect(try run.exitStatus() == 0)
            #expect(try run.tmux.screen().contains("A látogatás lezárva, eredmény: 21 (Visszautasítás)."))
            let stored = try run.stored()
            #expect(stored.record.status == .ended)
            #expect(stored.record.outcome == 21)
            #expect(!stored.kinds.contains(.ended(outcome: 12)))
        }

        /// Defect 4, line by line: a line with an arrow key's escape sequence, or bytes that are not
        /// UTF-8, is refused, never stored.
        @Test func controlSequencesAndBrokenBytesAreRefusedInTheLineView() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let run = try TmuxInterview(survey: try DefectSurvey.write(into: dir), in: dir, arguments: ["--plain"])
            defer { run.stop() }
            try run.waitForQuestion("story")
            try run.text("abc")
            try run.keys("Left", "Left")
            try run.text("X")
            try run.keys("Enter")
            try run.waitFor("vezérlőkaraktert tartalmaz")
            try run.tmux.run(["send-keys", "-t", "t", "-H", "61", "ff", "62", "0d"])
            try run.after("olvashatatlan karaktert tartalmaz", type: "Csendes utca")
            try run.waitForQuestion("visit_date")
            let stored = try run.stored()
            #expect(stored.answers[Address("story")] == [.value(.text("Csendes utca"))])
        }

        /// Defect 4, full screen: the arrows edit, and an undecodable byte is refused with a message.
        @Test func arrowsEditAndBrokenBytesAreRefusedOnTheFullScreen() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let run = try TmuxInterview(survey: try DefectSurvey.write(into: dir), in: dir)
            defer { run.stop() }
            try run.waitForQuestion("story")
            try run.text("abc")
            try run.keys("Left", "Left")
            try run.text("X")
            try run.tmux.run(["send-keys", "-t", "t", "-H", "ff"])
            try run.waitFor("Olvashatatlan bevitel (nem UTF-8); nem került be.")
            try run.keys("Enter")
            try run.waitForQuestion("visit_date")
            let stored = try run.stored()
            #expect(stored.answers[Address("story")] == [.value(.text("aXbc"))])
            for answer in stored.answers.values.joined() {
                if case .value(.text(let text)) = answer {
                    #expect(text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0 != "\u{FFFD}" && $0 != "\u{7F}" })
                }
            }
        }

        /// Defect 5: `--resume` takes a unique beginning of the id and answers in the UI language; the
        /// start-up notice names the `--device-db` that was given.
        @Test func resumeTakesAnIdPrefixAndSpeaksTheInterfaceLanguage() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let run = try TmuxInterview(survey: survey, in: dir)
            defer { run.stop() }
            try run.answer([("cluster_id", "K1"), ("outcome", ""), ("hh_n16", ".k")])
            #expect(try run.exitStatus() == 0)
            let id = try run.stored().record.id.rawValue
            try run.start(["--resume", String(id.prefix(6))])
            try run.answer([("hh_n16", ".k")])
            #expect(try run.exitStatus() == 0)
            #expect(try run.tmux.screen().contains("Interjú folytatása: \(id)"))
            try run.start(["--resume", "zzzz"])
            #expect(try run.exitStatus() == 64)
            var screen = try run.tmux.screen()
            #expect(screen.contains("nincs „zzzz” azonosítójú interjú ezen a gépen."), "\(screen)")
            #expect(screen.contains("--device-db \(run.db) --list"), "\(screen)")
            try run.start(["--plain"])
            screen = try run.waitFor("befejezetlen interjú van ezen a gépen")
            #expect(screen.contains("(lista: terep interview \(survey) --device-db \(run.db) --list)"), "\(screen)")
        }

        /// Defect 6: an impossible date is named as such; the multiple-choice example uses offered
        /// codes; `.en` says that only the questionnaire's language changed.
        @Test func datesExamplesAndLanguageSwitchSayWhatIsTrue() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let run = try TmuxInterview(survey: try DefectSurvey.write(into: dir), in: dir)
            defer { run.stop() }
            try run.answer([("story", "Csendes"), ("visit_date", "2025-02-30")])
            try run.after("2025-02-30 nem létező nap", type: "2025-02-28")
            let screen = try run.waitForQuestion("pets")
            #expect(screen.contains("Több válasz is lehet, szóközzel elválasztva (pl. 2 5)"))
            #expect(!screen.contains("1 3 96"))
            try run.tmux.type(".en")
            // The message first: a capture taken while the screen is repainted may show the new
            // question before the message line under it (CI once caught that moment).
            _ = try run.waitFor("A kérdőív nyelve mostantól: angol. A kérdezői felület nyelve nem változik")
            let english = try run.waitFor("Which pets do you have?")
            #expect(!english.contains("Language: English."))
            #expect(english.contains("Válasz>"), "the interviewer's own texts stay Hungarian")
            try run.answer([("pets", "2 7")])
            try run.waitForQuestion("last")
            #expect(try run.stored().answers[Address("pets")] == [.value(.choices([2, 7]))])
        }

        /// Defect 7: `central status` puts each training count beside its own status, and the export's
        /// version filter no longer clashes with `--version`.
        @Test func centralStatusAndExportOptionsReadRight() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = dir.appendingPathComponent("lap.sqlite").path, central = dir.appendingPathComponent("c.sqlite").path
            let bundle = dir.appendingPathComponent("b.terepbundle").path
            for arguments in [
                ["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device],
                ["simulate", survey, "--interviews", "3", "--device-db", device, "--seed", "3"],
                ["central", "init", "--central", central],
            ] {
                let result = try TerepProcess.run(arguments)
                try #require(result.status == 0, "\(arguments): \(result.stderr)")
            }
            let completed = try #require(try DeviceStore.open(path: device, readOnly: true).interviews(status: .completed).first)
            for arguments in [
                ["device", "training", completed.id.rawValue, "--on", "--device-db", device],
                ["bundle", "create", "--device-db", device, "-o", bundle],
                ["merge", "--central", central, "--trust-new-devices", bundle],
            ] {
                let result = try TerepProcess.run(arguments)
                try #require(result.status == 0, "\(arguments): \(result.stderr)")
            }
            let tmux = Tmux()
            defer { tmux.stop() }
            let binary = try TerepProcess.requireBinary().path
            try tmux.run([
                "new-session", "-d", "-s", "t", "-x", "120", "-y", "60",
                "'\(binary)' central status --central '\(central)'; '\(binary)' export --help | grep -e '--survey-version' -e '--version'; echo DONE; sleep 60",
            ])
            let screen = try tmux.waitFor("DONE")
            let interviews = try #require(screen.split(separator: "\n").first { $0.hasPrefix("Interviews:") })
            #expect(interviews.contains("completed 1 (1 training)"), "\(interviews)")
            #expect(!interviews.contains("ended 2 ("), "\(interviews)")
            #expect(screen.contains("Training interviews: 1 in all"))
            #expect(screen.contains("--survey-version <survey-version>"))
            let export = try TerepProcess.run(["export", "--version"])
            #expect(export.status == 0 && !export.stderr.contains("Missing value"), "\(export.stderr)")
        }
    }
}
