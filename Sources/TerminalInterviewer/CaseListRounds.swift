import Fieldwork
import Foundation
import SurveyModel

/// `terep interview` on a device with assigned cases, neither a questionnaire nor `--case`
/// given: the case list, a case's interview, and the list again with the statuses it left —
/// until the fieldworker leaves the list (q, Esc, F10 or Ctrl-C on the full screen; q, an empty
/// line or the end of input on the line view's list). An interview that ends, a visit ended
/// with `.z CODE`, and an interview the fieldworker leaves (`.q`; on the full screen Ctrl-C
/// and yes) all come back to the list; a signal, input that is gone or a store that fails ends
/// the rounds as it ends a single interview, with the ``InterviewOutcome`` the command exits by.
public struct CaseListRounds {
    /// The device's cases now (read again after each interview).
    let cases: () throws -> [CaseListEntry]
    /// An assigned case's interview started or continued, or why not.
    let start: (CaseID) throws(CaseInterviewError) -> CaseInterviewStart
    /// Runs a case's started interview and returns how it ended: on the list's screen, kept
    /// open, when given; else on the terminal, line by line.
    let session: (CaseID, CaseInterviewStart, (any ScreenDevice)?) -> SessionRun
    let strings: UIStrings
    let terminal: any Terminal
    /// The full-screen list's title.
    let title: String
    /// Asked between keys and after each interview: a signal that asks the program to stop.
    let pendingSignal: () -> Int32?

    public init(
        cases: @escaping () throws -> [CaseListEntry], start: @escaping (CaseID) throws(CaseInterviewError) -> CaseInterviewStart,
        session: @escaping (CaseID, CaseInterviewStart, (any ScreenDevice)?) -> SessionRun, strings: UIStrings,
        terminal: any Terminal, title: String, pendingSignal: @escaping () -> Int32? = { nil }
    ) {
        self.cases = cases
        self.start = start
        self.session = session
        self.strings = strings
        self.terminal = terminal
        self.title = title
        self.pendingSignal = pendingSignal
    }

    /// The rounds on a device database and the real terminal; `resumeCommand` is the command
    /// line that continues a case's interview, as shown to the fieldworker.
    public init(
        device: InterviewerDevice, options: InterviewStartOptions, strings: UIStrings, uiLanguage: UILanguage?, plain: Bool,
        terminal: StandardTerminal, resumeCommand: @escaping (CaseID) -> String
    ) {
        self.init(
            cases: { try device.cases() }, start: { (id) throws(CaseInterviewError) in try device.start(case: id, options: options) },
            session: { id, started, screen in
                SessionRunner.runCase(
                    id, started, device: device, strings: strings, uiLanguage: uiLanguage, resumeCommand: resumeCommand(id),
                    plain: plain, terminal: terminal, screen: screen)
            }, strings: strings, terminal: terminal,
            title: strings.caseListTitle(
                interviewer: DisplayText.escaped(device.interviewer), device: DisplayText.escaped(device.deviceID.rawValue)),
            pendingSignal: { StandardTerminal.pendingSignal })
    }

    /// The full-screen list on `screen`; the interviews open on the same screen, which is
    /// closed (the terminal given back) before the rounds return or throw.
    public func run(on screen: any ScreenDevice, entries: [CaseListEntry]) throws -> InterviewOutcome {
        let list = CaseListSession(entries: entries, device: screen, strings: strings, title: title, pendingSignal: pendingSignal)
        defer { screen.close() }  // before an error is printed, or what a stopped interview said
        while true {
            switch list.run() {
            case .open(let entry):
                let id = entry.deviceCase.id
                let started: CaseInterviewStart
                do { started = try start(id) } catch {
                    list.refuse(strings.caseRefused(error))
                    continue
                }
                let run = session(id, started, screen)
                guard let back = backOnList(run.end) else {
                    screen.close()
                    for text in run.farewell { terminal.writeLine(text) }
                    return run.close(strings: strings, terminal: terminal)
                }
                let entries = try cases()
                let message = message(id, back: back, said: run.farewell.last, entries: entries)
                list.reload(entries, message: .init(text: message, tone: back == .ended ? .success : .plain))
            case .quit, .closed: return .finished
            case .interrupted(let signal): return .interrupted(signal)
            }
        }
    }

    /// The numbered list on the line view, read from the terminal (piped input after a picked
    /// line is left for the interview); a case that cannot be opened is said in one line and
    /// the list is asked again.
    public func runPlain(entries first: [CaseListEntry]) throws -> InterviewOutcome {
        var entries = first
        while true {
            let id: CaseID
            switch CasePicker.pick(entries, strings: strings, terminal: terminal) {
            case .picked(let picked): id = picked
            case .none: return .finished
            case .interrupted(let signal): return .interrupted(signal)
            }
            let started: CaseInterviewStart
            do { started = try start(id) } catch {
                terminal.writeLine(strings.caseRefused(error))
                continue
            }
            let run = session(id, started, nil)
            guard let back = backOnList(run.end) else { return run.close(strings: strings, terminal: terminal) }
            entries = try cases()
            terminal.writeLine("")
            terminal.writeLine(message(id, back: back, said: nil, entries: entries))
        }
    }

    enum Back { case ended, left }

    /// Whether an interview's end brings the fieldworker back to the list: its end, or leaving
    /// it with everything saved. A Ctrl-C the full screen asked about ends the session as
    /// SIGINT would, but no signal arrived: the fieldworker chose to leave the interview.
    func backOnList(_ end: SessionEnd) -> Back? {
        switch end {
        case .ended: return .ended
        case .savedAndQuit: return .left
        case .interrupted(2) where pendingSignal() == nil: return .left
        case .interrupted, .endOfInput, .storageFailed: return nil
        }
    }

    func message(_ id: CaseID, back: Back, said: String?, entries: [CaseListEntry]) -> String {
        let status = entries.first { $0.deviceCase.id == id }?.status
        switch back {
        case .ended: return strings.caseBack(id, said: said, status: status)
        case .left: return strings.caseLeft(id, status: status)
        }
    }
}

/// The plain case list: the numbered table, then one typed line picks a case by number or id
/// (q, an empty line or the end of input: none; a signal stops the rounds).
enum CasePicker {
    enum Pick: Equatable {
        case picked(CaseID)
        case none
        case interrupted(Int32)
    }

    static func pick(_ entries: [CaseListEntry], strings: UIStrings, terminal: any Terminal) -> Pick {
        for line in CaseListView.lines(entries, strings: strings, numbered: true) { terminal.writeLine(line) }
        while true {
            terminal.write(strings.casePrompt + " ")
            let typed: String
            switch terminal.readLine() {
            case .line(let line): typed = line
            case .endOfInput: return .none
            case .interrupted(let signal): return .interrupted(signal)
            }
            let text = typed.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.lowercased() == "q" { return .none }
            if let entry = CaseListView.pick(text, in: entries) { return .picked(entry.deviceCase.id) }
            terminal.writeLine(strings.noSuchCase(DisplayText.escaped(typed)))
        }
    }
}
