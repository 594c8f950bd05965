import ArgumentParser
import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import TerminalInterviewer

/// `terep interview` on a device with assigned cases, neither a questionnaire nor `--case`
/// given: the case list, a case's interview, and the list again with the statuses it left —
/// until the fieldworker leaves the list (q, Esc, F10 or Ctrl-C on the full screen; q, an empty
/// line or the end of input on the line view's list). An interview that ends, a visit ended
/// with `.z CODE`, and an interview the fieldworker leaves (`.q`; on the full screen Ctrl-C
/// and yes) all come back to the list; a signal, input that is gone or a store that fails ends
/// the command as it ends a single interview.
struct CaseListRounds {
    let store: DeviceStore
    let strings: UIStrings
    let options: InterviewStartOptions
    let terminal: StandardTerminal
    /// Starts a case's prepared interview and returns how it ended (the full screen given, kept open).
    let session: (CaseID, CaseInterviewStart, CursesScreen?) -> SessionRun

    /// The full-screen list on `screen`; the interviews open on the same screen.
    func run(on screen: CursesScreen, entries: [CaseListEntry]) throws {
        let title = strings.caseListTitle(
            interviewer: DisplayText.escaped(store.interviewer), device: DisplayText.escaped(store.deviceID.rawValue))
        let list = CaseListSession(
            entries: entries, device: screen, strings: strings, title: title, pendingSignal: { StandardTerminal.pendingSignal })
        do {
            while true {
                switch list.run() {
                case .open(let entry):
                    let id = entry.deviceCase.id
                    let started: CaseInterviewStart
                    do { started = try InterviewStart.forCase(id, store: store, options: options) } catch {
                        list.refuse(strings.caseRefused(error))
                        continue
                    }
                    let run = session(id, started, screen)
                    guard let back = backOnList(run.end) else {
                        screen.close()
                        for text in run.farewell { terminal.writeLine(text) }
                        throw InterviewOutcome.exitCode(run.end, strings: strings, resumeCommand: run.resumeCommand)
                    }
                    let entries = try CaseList.load(store: store)
                    let message = message(id, back: back, said: run.farewell.last, entries: entries)
                    list.reload(entries, message: .init(text: message, tone: back == .ended ? .success : .plain))
                case .quit, .closed:
                    screen.close()
                    return
                case .interrupted(let signal):
                    screen.close()
                    throw ExitCode(128 + signal)
                }
            }
        } catch {
            screen.close()  // before the error is printed
            throw error
        }
    }

    /// The numbered list on the line view, read from the session's own terminal (piped input
    /// after a picked line is left for the interview); a case that cannot be opened is said in
    /// one line and the list is asked again.
    func runPlain(entries first: [CaseListEntry]) throws {
        var entries = first
        while true {
            guard let id = try CasePicker.pick(entries, strings: strings, terminal: terminal) else { return }
            let started: CaseInterviewStart
            do { started = try InterviewStart.forCase(id, store: store, options: options) } catch {
                terminal.writeLine(strings.caseRefused(error))
                continue
            }
            let run = session(id, started, nil)
            guard let back = backOnList(run.end) else {
                throw InterviewOutcome.exitCode(run.end, strings: strings, resumeCommand: run.resumeCommand)
            }
            entries = try CaseList.load(store: store)
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
        case .interrupted(2) where StandardTerminal.pendingSignal == nil: return .left
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
/// (q, an empty line or the end of input: none).
enum CasePicker {
    static func pick(_ entries: [CaseListEntry], strings: UIStrings, terminal: StandardTerminal) throws -> CaseID? {
        for line in CaseListView.lines(entries, strings: strings, numbered: true) { terminal.writeLine(line) }
        while true {
            terminal.write(strings.casePrompt + " ")
            guard case .line(let typed) = terminal.readLine() else { return nil }
            let text = typed.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.lowercased() == "q" { return nil }
            if let entry = CaseListView.pick(text, in: entries) { return entry.deviceCase.id }
            terminal.writeLine(strings.noSuchCase(DisplayText.escaped(typed)))
        }
    }
}
