import ArgumentParser
import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import TerminalInterviewer

/// `terep cases`: the fieldworker's case list.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "List this device's cases: status, last visit and what to do next.",
        discussion: """
            The cases are those of the newest package received (terep device receive). Status: new, \
            visited N times, appointment, in progress, completed, rejected — to fix, final (and moved \
            or withdrawn for cases taken from the device). Start or continue one with terep interview \
            --case CASE. --format json prints one object per case for scripts. See docs/interviewer.md.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var database: DeviceDatabaseOptions

    @ArgumentParser.Option(help: "text or json (default: text).")
    var format: Format = .text

    @ArgumentParser.Option(name: .customLong("ui-lang"), help: "The table's language: hu or en (default: hu).")
    var uiLanguage: String?

    func validate() throws {
        if let uiLanguage, UILanguage(rawValue: uiLanguage) == nil {
            throw ValidationError("--ui-lang must be hu or en, not '\(uiLanguage)'.")
        }
    }

    func run() throws {
        let store = try DeviceStore.open(path: database.path, readOnly: true)
        let entries = try CaseList.load(store: store)
        switch format {
        case .json: print(try CaseListJSON.encode(entries))
        case .text:
            let strings = UIStrings(uiLanguage.flatMap(UILanguage.init(rawValue:)) ?? .hu)
            for line in CaseListView.lines(entries, strings: strings) { print(line) }
        }
    }
}

/// The plain case list `terep interview` starts from on a device with assigned cases: the
/// numbered table, then one typed line picks a case by number or id (an empty line or the end
/// of input: none). It reads through the session's own terminal, so piped input after the
/// picked line is left for the interview.
enum CasePicker {
    static func pick(_ entries: [CaseListEntry], strings: UIStrings, terminal: StandardTerminal) throws -> CaseID? {
        for line in CaseListView.lines(entries, strings: strings, numbered: true) { terminal.writeLine(line) }
        while true {
            terminal.write(strings.casePrompt + " ")
            guard case .line(let typed) = terminal.readLine(), !typed.trimmingCharacters(in: .whitespaces).isEmpty else {
                return nil
            }
            if let entry = CaseListView.pick(typed, in: entries) { return entry.deviceCase.id }
            terminal.writeLine(strings.noSuchCase(DisplayText.escaped(typed)))
        }
    }
}

/// The full-screen case list `terep interview` starts from on a terminal: the picked case's
/// interview started, or the refusal (a final case, one awaiting review…) shown on the list,
/// which goes on where it was. Leaving the list closes the screen; a signal ends the command
/// with 128 + its number.
enum CaseListPicker {
    static func pick(
        _ entries: [CaseListEntry], store: DeviceStore, device: CursesScreen, strings: UIStrings, options: InterviewStartOptions
    ) throws -> (CaseID, CaseInterviewStart)? {
        let title = strings.caseListTitle(
            interviewer: DisplayText.escaped(store.interviewer), device: DisplayText.escaped(store.deviceID.rawValue))
        let session = CaseListSession(
            entries: entries, device: device, strings: strings, title: title, pendingSignal: { StandardTerminal.pendingSignal })
        while true {
            switch session.run() {
            case .open(let entry):
                do { return (entry.deviceCase.id, try InterviewStart.forCase(entry.deviceCase.id, store: store, options: options)) } catch {
                    session.refuse(strings.caseRefused(error))
                }
            case .quit, .closed:
                device.close()
                return nil
            case .interrupted(let signal):
                device.close()
                throw ExitCode(128 + signal)
            }
        }
    }
}
