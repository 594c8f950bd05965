import Fieldwork
import Foundation
import InterviewEngine
import SurveyModel

/// Runs a prepared interview's session on the real terminal, saving through the device
/// database: the full screen when standard input and output are a terminal that can show it,
/// else (or with `plain`) line by line. The `notices` and the start-up lines are printed on the
/// normal screen and repeated on the full screen's first page, which covers it. A full screen
/// already open (the case list's) is taken over as it is, and with `keepOpen` given back open:
/// what the session said as it ended is then returned for the list instead of printed.
public enum SessionRunner {
    /// The full screen, when the session may use it: not `plain`, standard input and output a
    /// terminal, and ncurses able to drive it.
    public static func fullScreen(plain: Bool, terminal: StandardTerminal, environment: [String: String]) -> CursesScreen? {
        guard !plain, terminal.interactive, isatty(STDOUT_FILENO) == 1 else { return nil }
        return CursesScreen(environment: environment)
    }

    public static func run(
        _ prepared: PreparedInterview, device: InterviewerDevice, uiLanguage: UILanguage?, resumeCommand: String, plain: Bool,
        notices: [String] = [], terminal given: StandardTerminal? = nil, screen open: (any ScreenDevice)? = nil,
        keepOpen: Bool = false
    ) -> SessionRun {
        StandardTerminal.installSignalHandlers()
        let environment = ProcessInfo.processInfo.environment
        let terminal = given ?? StandardTerminal(environment: environment)
        let options = SessionOptions(
            uiLanguage: uiLanguage, interviewer: device.interviewer, resumeCommand: resumeCommand, resumeAt: prepared.resumeAt,
            review: device.reviewNotes(for: prepared.id))
        let controller = InterviewController(
            interview: prepared.interview, spent: prepared.spent, recorder: device.recorder(for: prepared.id), clock: .system,
            options: options)
        var opening = notices
        opening.append(prepared.resumeAt == nil ? controller.strings.started(prepared.id) : controller.strings.resumed(prepared.id))
        if prepared.interview.isTraining { opening.append(controller.strings.trainingInterview) }
        if open == nil { for line in opening { terminal.writeLine(line) } }
        let screen: (any ScreenDevice)? = open ?? fullScreen(plain: plain, terminal: terminal, environment: environment)
        guard let screen else {
            let end = InterviewSession(controller: controller, terminal: terminal).run()
            return SessionRun(end: end, farewell: [], resumeCommand: resumeCommand)
        }
        let session = FullScreenSession(
            controller: controller, device: screen, interviewID: prepared.id.rawValue, cases: device.caseValues(of: prepared.id),
            pendingSignal: { StandardTerminal.pendingSignal })
        session.opening = opening.map { ScreenModel.Message(text: $0, tone: .plain) }
        session.keepsDeviceOpen = keepOpen
        let end = session.run()
        let farewell = session.farewell.map(\.text)
        if keepOpen { return SessionRun(end: end, farewell: farewell, resumeCommand: resumeCommand) }
        // The terminal is back: what the session said as it ended stays on the normal screen.
        for text in farewell { terminal.writeLine(text) }
        return SessionRun(end: end, farewell: [], resumeCommand: resumeCommand)
    }

    /// An assigned case's interview session, started as `started` says (a visit or a fix said
    /// first): on the case list's full screen when given (kept open for the list), else as a
    /// single interview runs.
    public static func runCase(
        _ id: CaseID, _ started: CaseInterviewStart, device: InterviewerDevice, strings: UIStrings, uiLanguage: UILanguage?,
        resumeCommand: String, plain: Bool, terminal: StandardTerminal, screen: (any ScreenDevice)?
    ) -> SessionRun {
        var notices: [String] = []
        switch started {
        case .reopened(_, let visit): notices.append(strings.caseVisit(id, visit: visit))
        case .fixing: notices.append(strings.caseFix(id))
        case .began, .resumed: break
        }
        return run(
            started.prepared, device: device, uiLanguage: uiLanguage, resumeCommand: resumeCommand, plain: plain, notices: notices,
            terminal: terminal, screen: screen, keepOpen: screen != nil)
    }
}

/// How a session ended; what it said as it ended when the full screen stayed open for the case
/// list (else already printed); the command that resumes its interview.
public struct SessionRun: Hashable, Sendable {
    public var end: SessionEnd
    public var farewell: [String]
    public var resumeCommand: String

    public init(end: SessionEnd, farewell: [String], resumeCommand: String) {
        self.end = end
        self.farewell = farewell
        self.resumeCommand = resumeCommand
    }

    /// Says on the normal screen what is left to say about the session's end (how to resume
    /// its interview, when it can be) and returns what the end means for the command.
    public func close(strings: UIStrings, terminal: any Terminal) -> InterviewOutcome {
        switch end {
        case .ended: return .finished
        case .savedAndQuit:
            terminal.writeLine(strings.resumeHint(resumeCommand))
            return .finished
        case .endOfInput:
            terminal.writeLine(strings.endOfInput + " " + strings.resumeHint(resumeCommand))
            return .finished
        case .interrupted(let signal):
            terminal.writeLine("\n" + strings.interrupted(signal) + " " + strings.resumeHint(resumeCommand))
            return .interrupted(signal)
        case .storageFailed:
            terminal.writeLine(strings.resumeHint(resumeCommand))  // what happened was shown by the session
            return .storageFailed
        }
    }
}

/// How `terep interview` ended, as its exit status must say (the executable's one edge where
/// failures become exit statuses maps it; thrown when not ``finished``). What happened has
/// been said on the terminal already.
public enum InterviewOutcome: Error, Hashable, Sendable {
    /// The interview ended, was saved and left, or its input ended; or the case list was left.
    case finished
    /// A signal stopped the session or the case list (SIGINT, SIGTERM, SIGHUP); resumable.
    case interrupted(Int32)
    /// An event could not be saved; nothing after the last saved event was kept.
    case storageFailed
}
