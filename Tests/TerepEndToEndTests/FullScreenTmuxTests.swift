import Foundation
import SurveyModel
import SurveyStore
import Testing

/// The full-screen interviewer on a real terminal (tmux): the alternate screen, the roster and
/// grid tables, going back to change answers that route, a long text edited in the middle, a
/// resize, Ctrl-C and resume, and the terminal given back on every way out.
extension EndToEnd {
    @Suite(
        .timeLimit(.minutes(3)),
        .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux); these tests drive a real terminal"))
    struct FullScreenTmuxTests {
        static let energy = TerepProcess.questionnaire("energy.survey")

        /// The energy study's household of three: Anna, Béla and Cili (12, so not asked her activity).
        static let household: [(question: String, type: String)] =
            EnergyPath.toHouseholdSize + [
                ("hh_size", "3"), ("m_name[1]", "Anna"), ("m_sex[1]", "2"), ("m_age[1]", "45"), ("m_rel[1]", ""),
                ("m_act[1]", "1"), ("m_home_day[1]", "1"), ("m_name[2]", "Béla"), ("m_sex[2]", "1"), ("m_age[2]", "47"),
                ("m_rel[2]", "2"), ("m_act[2]", "1"), ("m_home_day[2]", "0"), ("m_name[3]", "Cili"),
            ]

        /// The table row of a member: `N  name …` on one line.
        static func row(_ n: Int, _ name: String, in screen: String) -> Bool {
            screen.split(separator: "\n").contains { $0.hasPrefix(" \(n)  \(name) ") || $0 == " \(n)  \(name)" }
        }

        @Test func theRosterIsATableAndGoingBackToRoutingAnswersShowsWhatChanged() throws {
            let energy = try #require(Self.energy)
            let run = try TmuxInterview(survey: energy, arguments: EnergyPath.cases)
            defer { run.stop() }
            try run.waitForQuestion("gps_lat")
            #expect(run.alternateScreen, "the full screen is on the terminal's alternate screen")
            try run.answer(Self.household)
            var screen = try run.waitForQuestion("m_sex[3]")
            for (n, name) in [(1, "Anna"), (2, "Béla"), (3, "Cili")] {
                #expect(Self.row(n, name, in: screen), "member \(n) (\(name)) is a row of the table:\n\(screen)")
            }
            #expect(screen.contains("#  m_name  m_sex"))
            try run.answer([
                ("m_sex[3]", "2"), ("m_age[3]", "12"), ("m_rel[3]", "3"), ("m_home_day[3]", "1"), ("dwell", "1"),
                ("floor_m2", "60"), ("tenure", "1"), ("heat_main", "1"),
            ])
            screen = try run.waitForQuestion("dh_ctrl")
            #expect(screen.contains("dh_ctrl"))
            // Back to the household size: two instead of three asks who goes; Béla leaves.
            try run.answer([("dh_ctrl", ".u hh_size"), ("hh_size", "2")])
            try run.after("3 helyett 2 sor lesz, 1 tagnak ki kell kerülnie.", type: "2")
            screen = try run.waitFor("törölve: 2. (Béla) sor")
            #expect(Self.row(1, "Anna", in: screen) && Self.row(2, "Cili", in: screen), "\(screen)")
            #expect(!screen.contains("Béla  1 Férfi"))
            // Back to the heating: no longer district heating, so its follow-up leaves the form.
            try run.answer([(TmuxInterview.currentQuestion(in: screen) ?? "m_name[1]", ".u heat_main"), ("heat_main", "2")])
            screen = try run.waitForQuestion("renov")
            #expect(!screen.contains("dh_ctrl"), "\(screen)")
            #expect(screen.contains("heat_main"))
            let stored = try run.stored()
            #expect(stored.answers[Address("m_name", rows: [2])]?.last == .value(.text("Cili")))
            #expect(stored.answers[Address("hh_size")]?.last == .value(.integer(2)))
        }

        /// Lowering the household size drops the last member (her answers stay in the log); raising
        /// it again brings her row back with its answers, and the screen says so.
        @Test func raisingTheHouseholdSizeBringsTheRemovedRowBack() throws {
            let energy = try #require(Self.energy)
            let run = try TmuxInterview(survey: energy, arguments: EnergyPath.cases)
            defer { run.stop() }
            try run.answer(Self.household + [("m_sex[3]", "2"), ("m_age[3]", "12"), ("m_rel[3]", "3"), ("m_home_day[3]", "1")])
            try run.answer([("dwell", ".u hh_size"), ("hh_size", "2")])
            try run.after("3 helyett 2 sor lesz, 1 tagnak ki kell kerülnie.", type: "3")
            var screen = try run.waitFor("törölve: 3. (Cili) sor")
            #expect(Self.row(1, "Anna", in: screen) && Self.row(2, "Béla", in: screen), "\(screen)")
            #expect(!Self.row(3, "Cili", in: screen), "\(screen)")
            try run.answer([(TmuxInterview.currentQuestion(in: screen) ?? "m_name[1]", ".u hh_size"), ("hh_size", "3")])
            screen = try run.waitFor("3. (Cili) sor korábbi válaszaival visszakerült")
            #expect(Self.row(3, "Cili", in: screen), "the row is back in the table:\n\(screen)")
            let stored = try run.stored()
            #expect(stored.answers[Address("hh_size")] == [.value(.integer(3)), .value(.integer(2)), .value(.integer(3))])
            #expect(stored.answers[Address("m_name", rows: [3])] == [.value(.text("Cili"))])
            #expect(stored.answers[Address("m_age", rows: [3])] == [.value(.integer(12))])
        }

        @Test func aGridIsAnsweredAsATable() throws {
            let energy = try #require(Self.energy)
            let run = try TmuxInterview(survey: energy, arguments: EnergyPath.cases)
            defer { run.stop() }
            try run.answer([("gps_lat", ".u ec_quiz_a"), ("ec_quiz_a", "1"), ("ec_quiz_b", "2"), ("ec_quiz_c", "1")])
            let screen = try run.waitForQuestion("ec_quiz_d")
            #expect(screen.contains("Igaz vagy hamis?"))
            let rows = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(rows.contains { $0.contains("Az önkormányzat is lehet energiaközösség tagja.") && $0.hasSuffix("1 Igaz") })
            #expect(rows.contains { $0.contains("Energiaközösséget csak nagyvállalat alapíthat.") && $0.hasSuffix("2 Hamis") })
            #expect(rows.contains { $0.contains("Új háztartási napelem ma is éves szaldó elszámolást kap.") })
            try run.tmux.type("2")
            try run.waitForQuestion("info_src")
            #expect(try run.stored().answers[Address("ec_quiz_d")] == [.value(.choice(2))])
        }

        @Test func aLongTextIsEditedInTheMiddle() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let run = try TmuxInterview(survey: try DefectSurvey.write(into: dir), in: dir)
            defer { run.stop() }
            try run.waitForQuestion("story")
            try run.text(String(repeating: "a", count: 600) + String(repeating: "b", count: 600))
            try run.waitFor("1200/2000")
            try run.keys("Home")
            try run.tmux.run(["send-keys", "-t", "t", "-N", "600", "Right"])
            try run.text("őű漢")
            try run.waitFor("1203/2000")
            try run.keys("Enter")
            try run.waitForQuestion("visit_date")
            let expected = String(repeating: "a", count: 600) + "őű漢" + String(repeating: "b", count: 600)
            #expect(try run.stored().answers[Address("story")] == [.value(.text(expected))])
            // Back at the question, the text comes back whole, and Enter keeps it without saving it again.
            try run.tmux.type(".v")
            try run.waitForQuestion("story")
            try run.keys("Enter")
            try run.waitForQuestion("visit_date")
            #expect(try run.stored().answers[Address("story")]?.count == 1)
        }

        @Test func aResizeRedrawsAndANarrowScreenWraps() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let run = try TmuxInterview(survey: try DefectSurvey.write(into: dir), in: dir)
            defer { run.stop() }
            try run.answer([("story", "Csendes"), ("visit_date", "2025-02-28")])
            let wide = try run.waitForQuestion("pets")
            // The first screens fill the 100-column window (the window's size, not terminfo's 80×24).
            #expect(wide.split(separator: "\n").contains { $0.hasPrefix("──") && $0.count == 100 }, "\(wide)")
            try run.tmux.run(["resize-window", "-t", "t", "-x", "60", "-y", "20"])
            // Redrawn at the new size: the question's place line ends at column 60.
            let narrow = try run.waitForQuestion("pets")
            let lines = narrow.split(separator: "\n")
            #expect(lines.count <= 20)
            #expect(lines.allSatisfy { $0.count <= 60 }, "\(narrow)")
            #expect(narrow.contains("Milyen háziállatai vannak?"))
            #expect(narrow.contains("pets  3/4"))
            try run.tmux.type("2")
            try run.waitForQuestion("last")
            #expect(try run.stored().answers[Address("pets")] == [.value(.choices([2]))])
        }

        @Test func ctrlCAsksThenLeavesAndTheInterviewResumesWhereItStopped() throws {
            let energy = try #require(Self.energy)
            let run = try TmuxInterview(survey: energy, arguments: EnergyPath.cases)
            defer { run.stop() }
            try run.answer(EnergyPath.toHouseholdSize + [("hh_size", "2"), ("m_name[1]", "Anna")])
            try run.waitForQuestion("m_sex[1]")
            try run.keys("C-c")
            try run.waitFor("Kilép? Minden megerősített válasz mentve van, az interjú később folytatható.")
            try run.keys("n")
            try run.waitFor("Folytatja az interjút.")
            try run.keys("C-c")
            try run.waitFor("Kilép?")
            try run.keys("i")
            #expect(try run.exitStatus() == 130)
            #expect(!run.alternateScreen)
            #expect(try run.tmux.screen().contains("Megszakítva (Ctrl-C). Minden megerősített válasz mentve."))
            let id = try run.stored().record.id.rawValue
            try run.start(["--resume", id])
            let screen = try run.waitForQuestion("m_sex[1]")
            #expect(Self.row(1, "Anna", in: screen))
            try run.answer([("m_sex[1]", "2")])
            try run.waitForQuestion("m_age[1]")
            #expect(try run.stored().answers[Address("m_sex", rows: [1])] == [.value(.choice(2))])
        }

        /// Every way out gives the terminal back: normal screen, line editing and echo on.
        @Test(arguments: ["end", "quit", "ctrl-c", "sigterm", "sighup"])
        func theTerminalIsRestoredOnEveryWayOut(_ exit: String) throws {
            let pane = try WayOutPane()
            defer { pane.stop() }
            #expect(pane.alternateScreen)
            switch exit {
            case "end":
                for line in ["x", "2025-01-01", "2", ""] { try pane.tmux.type(line) }
            case "quit": try pane.tmux.type(".k")
            case "ctrl-c":
                try pane.tmux.run(["send-keys", "-t", "t", "C-c"])
                _ = try pane.tmux.waitFor("Kilép?")
                try pane.tmux.run(["send-keys", "-t", "t", "i"])
            default: kill(try pane.pid(), exit == "sighup" ? SIGHUP : SIGTERM)
            }
            let screen = try pane.tmux.waitFor("MODES")
            #expect(!pane.alternateScreen)
            let modes = try pane.modes()
            #expect(modes.contains("icanon") && modes.contains("echo"), "\(exit): line editing and echo are back: \(modes)")
            #expect(
                screen.contains(
                    exit == "end"
                        ? "EXIT=0" : exit == "quit" ? "EXIT=0" : exit == "ctrl-c" ? "EXIT=130" : exit == "sighup" ? "EXIT=129" : "EXIT=143"),
                "\(screen)")
        }

        /// A crash inside the full screen gives the terminal back too: a trap in the session's own
        /// code (F12 in a debug build with `TEREP_TEST_CRASH=1`: an index out of range) and a
        /// SIGSEGV from outside. The normal screen, line editing and echo are back, a line in the
        /// questionnaire's language says every confirmed answer is saved and how to resume, and the
        /// shell sees the signal.
        @Test(arguments: ["trap", "sigsegv"])
        func theTerminalIsRestoredAfterACrash(_ crash: String) throws {
            let pane = try WayOutPane(environment: "TEREP_TEST_CRASH=1")
            defer { pane.stop() }
            let tmux = pane.tmux
            #expect(pane.alternateScreen)
            if crash == "trap" {
                try tmux.run(["send-keys", "-t", "t", "F12"])
            } else {
                kill(try pane.pid(), SIGSEGV)
            }
            // The normal screen is back while Swift's crash report is shown; on a terminal the report
            // waits for a key (`SWIFT_BACKTRACE`'s interactive mode), then the shell goes on.
            var screen = try tmux.waitFor("crashed")
            #expect(!pane.alternateScreen)
            // First, in the questionnaire's language: nothing confirmed is lost, and how to resume.
            #expect(screen.contains("A program váratlan hibával leállt."), "\(screen)")
            #expect(screen.contains("Minden megerősített válasz mentve."), "\(screen)")
            for _ in 0..<600 where !screen.contains("MODES") {
                if screen.contains("any other key to quit") { try tmux.run(["send-keys", "-t", "t", "q"]) }
                usleep(50_000)
                screen = try tmux.screen()
            }
            let modes = try pane.modes()
            #expect(modes.contains("icanon") && modes.contains("echo"), "\(crash): line editing and echo are back: \(modes)")
            let status = screen.split(separator: "\n").last { $0.hasPrefix("EXIT=") }.flatMap { Int($0.dropFirst(5)) }
            #expect((status ?? 0) > 128, "\(crash): terep died of a signal:\n\(screen)")
        }

        @Test func noColorAndColourlessTerminalsGetNoColours() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try DefectSurvey.write(into: dir)
            for environment in ["env NO_COLOR=1 TERM=xterm-256color", "env -u NO_COLOR TERM=vt100"] {
                let run = try TmuxInterview(survey: survey, in: dir, environment: environment)
                defer { run.tmux.stop() }
                try run.tmux.type("x")  // a question with an error message, which would be red
                try run.tmux.type("2025-02-30")
                _ = try run.waitFor("nem létező nap")
                let styled = try run.tmux.screen(escapes: true)
                #expect(!styled.contains("\u{1B}[31m") && !styled.contains("38;5;"), "\(environment) shows colours")
                #expect(styled.contains("\u{1B}[7m") || styled.contains(";7m"), "\(environment): reverse video still marks the bars")
            }
            let coloured = try TmuxInterview(survey: survey, in: dir)
            defer { coloured.stop() }
            try coloured.tmux.type("x")
            try coloured.tmux.type("2025-02-30")
            _ = try coloured.waitFor("nem létező nap")
            #expect(try coloured.tmux.screen(escapes: true).contains("31m"), "a colour terminal shows errors in red")
        }
    }
}

/// terep on the defects questionnaire in a tmux pane of its own, started with `exec` so that the
/// pid the shell wrote is terep's, in the foreground of the terminal; when it ends the pane prints
/// `EXIT=<status>`, saves the terminal's modes (`stty -a`) and prints `MODES`.
struct WayOutPane {
    let tmux = Tmux()
    let dir: URL

    /// Starts terep (with `environment`, e.g. `TEREP_TEST_CRASH=1`) and waits for its first question.
    init(environment: String = "") throws {
        dir = try TerepProcess.temporaryDirectory()
        let survey = try DefectSurvey.write(into: dir)
        let db = dir.appendingPathComponent("device.sqlite").path
        let binary = try TerepProcess.requireBinary().path
        let command =
            "sh -c 'echo $$ > \(dir.path)/pid; exec env TERM=xterm-256color \(environment) \(binary) interview \(survey) "
            + "--device-db \(db)'; echo EXIT=$?; stty -a > \(dir.path)/modes; echo MODES; sleep 60"
        try tmux.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command])
        _ = try tmux.waitFor("Meséljen a környékről!")
    }

    var alternateScreen: Bool {
        ((try? tmux.run(["display-message", "-p", "-t", "t", "#{alternate_on}"], capture: true)) ?? "").hasPrefix("1")
    }

    func pid() throws -> Int32 {
        try #require(Int32(try String(contentsOfFile: dir.path + "/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// The terminal's modes after terep ended, as `stty -a` words.
    func modes() throws -> [Substring] {
        try String(contentsOfFile: dir.path + "/modes", encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" })
    }

    func stop() {
        tmux.stop()
        try? FileManager.default.removeItem(at: dir)
    }
}
