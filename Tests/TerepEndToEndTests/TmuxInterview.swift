import Foundation
import SurveyModel
import SurveyStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `terep interview` running in a tmux pane of its own, driven key by key and read off the screen.
final class TmuxInterview {
    let tmux = Tmux()
    let dir: URL
    let db: String
    let survey: String
    /// How many times terep was started in the pane; each run prints its own `EXIT<run>=` line.
    private(set) var runs = 1

    /// Starts `terep interview SURVEY --device-db DB ARGUMENTS` in a `width`×`height` pane; the pane
    /// prints `EXIT=<status>` when terep ends. `environment` is prefixed to the command (`NO_COLOR=1`).
    init(
        survey: String, in dir: URL? = nil, arguments: [String] = [], width: Int = 100, height: Int = 40,
        environment: String = "env -u NO_COLOR TERM=xterm-256color"
    ) throws {
        let dir = try dir ?? TerepProcess.temporaryDirectory()
        self.dir = dir
        self.survey = survey
        db = dir.appendingPathComponent("device.sqlite").path
        let command = try Self.command(survey: survey, db: db, arguments: arguments, environment: environment, run: runs)
        try tmux.run(["new-session", "-d", "-s", "t", "-x", String(width), "-y", String(height), command])
    }

    /// Starts terep again in the same pane (replacing what runs there), e.g. to resume.
    func start(_ arguments: [String], environment: String = "env -u NO_COLOR TERM=xterm-256color") throws {
        runs += 1
        let command = try Self.command(survey: survey, db: db, arguments: arguments, environment: environment, run: runs)
        try tmux.run(["respawn-pane", "-k", "-t", "t", "clear; " + command])
    }

    private static func command(survey: String, db: String, arguments: [String], environment: String, run: Int) throws -> String {
        let binary = try TerepProcess.requireBinary().path
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        return "\(environment) '\(binary)' interview '\(survey)' --device-db '\(db)' \(quoted); echo EXIT\(run)=$?; sleep 120"
    }

    /// For each step: waits until the question on screen is `question` (its name as in `.u`,
    /// e.g. `m_age[2]`), then types `type` and Enter.
    func answer(_ steps: [(question: String, type: String)]) throws {
        for step in steps {
            try waitForQuestion(step.question)
            try tmux.type(step.type)
        }
    }

    /// Waits until the screen shows the question `name`: the last line ending in
    /// `name  12/52` (the question's place on the route), as both the full screen and the line
    /// view show it. The full screen's form also lists other questions, never with that ending.
    @discardableResult
    func waitForQuestion(_ name: String) throws -> String { try tmux.waitForQuestion(name) }

    /// The name on the last line that ends in `name  i/n` (a question's address: a variable name,
    /// maybe with rows, so the input line's `Válasz>  0/2000` counter is not taken for one).
    static func currentQuestion(in screen: String) -> String? {
        for untrimmed in screen.split(separator: "\n").reversed() {
            // capture-pane -J keeps trailing spaces (a highlighted row ends in them).
            let line = untrimmed.reversed().drop { $0 == " " }.reversed().map(String.init).joined()
            let words = line.split(separator: " ")
            guard words.count >= 2, let last = words.last, line.hasSuffix("  " + last),
                last.split(separator: "/").count == 2, last.split(separator: "/").allSatisfy({ Int($0) != nil })
            else { continue }
            let name = words[words.count - 2]
            guard let first = name.first, first.isLetter,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_[],".contains($0)) })
            else { continue }
            return String(name)
        }
        return nil
    }

    /// Waits for a text (a message), then types a line and Enter.
    func after(_ text: String, type line: String) throws {
        _ = try tmux.waitFor(text)
        try tmux.type(line)
    }

    /// Whether the terminal shows its alternate screen (the full screen is up).
    var alternateScreen: Bool {
        ((try? tmux.run(["display-message", "-p", "-t", "t", "#{alternate_on}"], capture: true)) ?? "").hasPrefix("1")
    }

    /// Sends tmux key names (`Left`, `C-c`, `PageDown`…) without Enter.
    func keys(_ names: String...) throws {
        try tmux.run(["send-keys", "-t", "t"] + names)
    }

    /// Types text without Enter.
    func text(_ text: String) throws {
        try tmux.run(["send-keys", "-t", "t", "-l", text])
    }

    /// Waits until the screen shows `text` and returns it.
    @discardableResult
    func waitFor(_ text: String) throws -> String { try tmux.waitFor(text) }

    /// Waits until the pane says the last terep started in it ended, and returns its exit status.
    func exitStatus() throws -> Int? {
        let marker = "EXIT\(runs)="
        let screen = try tmux.waitFor(marker)
        guard let line = screen.split(separator: "\n").last(where: { $0.hasPrefix(marker) }) else { return nil }
        return Int(line.dropFirst(marker.count))
    }

    /// The only interview in the device database, with every answer given to it in order.
    func stored() throws -> (record: DeviceInterview, answers: [Address: [Answer]], kinds: [InterviewEventKind]) {
        let store = try DeviceStore.open(path: db, readOnly: true)
        let record = try #require(try store.interviews().first)
        let events = try store.events(interview: record.id)
        return (record, answered(events), events.map(\.kind))
    }

    func stop() {
        tmux.stop()
        try? FileManager.default.removeItem(at: dir)
    }
}

/// A questionnaire with a long text, a date, a multiple choice whose codes are not 1 3 96, and
/// two languages: what the regression tests of the interviewer's defects need.
enum DefectSurvey {
    static let source = """
        survey defects {
          title hu "Próba kérdőív" en "Trial questionnaire"
          version "1"
          languages hu en
          specials dk rf
        }

        answers PETS {
          2 hu "kutya" en "dog"
          5 hu "macska" en "cat"
          7 hu "hal" en "fish"
          97 hu "egyik sem" en "none" exclusive
        }

        section A {
          title hu "A. Próba" en "A. Trial"
          question story text {
            maxlength 2000
            text hu "Meséljen a környékről!" en "Tell us about the area."
          }
          question visit_date date {
            text hu "Mikor volt a látogatás?" en "When was the visit?"
          }
          question pets multiple PETS {
            text hu "Milyen háziállatai vannak?" en "Which pets do you have?"
          }
          question last text {
            optional maxlength 20
            text hu "Utolsó kérdés" en "Last question"
          }
        }

        """

    static func write(into directory: URL) throws -> String {
        let url = directory.appendingPathComponent("defects.survey")
        try Data(source.utf8).write(to: url)
        return url.path
    }
}

/// The energy questionnaire's visit and screening questions, answered to reach `hh_size`.
enum EnergyPath {
    static let cases = ["--case", "cluster_id=K1", "--case", "address_id=A1", "--case", "district=1"]

    /// GPS skipped, a panel block observed without insulation, consent, the respondent handles the bills.
    static let toHouseholdSize: [(question: String, type: String)] = [
        ("gps_lat", ""), ("gps_lon", ""), ("bldg_obs", "1"), ("facade_insul_obs", "0"), ("consent", "1"), ("resp_role", "1"),
    ]
}

extension Tmux {
    /// Waits (up to 15 s) until the pane shows the question `name` (``TmuxInterview/currentQuestion(in:)``).
    @discardableResult
    func waitForQuestion(_ name: String) throws -> String {
        var last = ""
        for _ in 0..<300 {
            last = try screen()
            if TmuxInterview.currentQuestion(in: last) == name { return last }
            usleep(50_000)
        }
        Issue.record("timed out waiting for question \(name); screen:\n\(last)")
        return last
    }
}
