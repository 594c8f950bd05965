import Fieldwork
import InterviewEngine
import SurveyModel

/// The line-by-line view of an interview (`terep interview --plain`, and whenever standard input
/// or output is not a terminal): shows a question, reads a line, hands it to the
/// ``InterviewController`` and prints what it says.
///
/// Piped input works the same as typing, so scripted interviews, training demos and the tests
/// drive the same controller the full screen does.
public final class InterviewSession {
    public let controller: InterviewController
    let terminal: any Terminal
    /// The question whose screen is the last thing drawn; nil after other output (help, review).
    private var drawn: Address?

    /// The line view over a controller made by the caller.
    public init(controller: InterviewController, terminal: any Terminal) {
        self.controller = controller
        self.terminal = terminal
    }

    /// Creates a session on an interview already started (and, when resuming, replayed).
    public init(
        interview: Interview, spent: ActiveTime, terminal: any Terminal, recorder: any InterviewRecorder,
        clock: InterviewClock, options: SessionOptions
    ) {
        self.terminal = terminal
        self.controller = InterviewController(interview: interview, spent: spent, recorder: recorder, clock: clock, options: options)
    }

    public var interview: Interview { controller.interview }
    public var strings: UIStrings { controller.strings }
    /// The question on screen.
    public var cursor: Address? { controller.cursor }

    /// Runs the interview until it ends or the fieldworker stops; never throws.
    public func run() -> SessionEnd {
        controller.start()
        // A crash says this before the runtime's (English) report, in the interview's UI language.
        terminal.sayOnCrash(strings.crashed(resumeCommand: controller.options.resumeCommand))
        defer { terminal.sayOnCrash(nil) }
        while true {
            show(controller.takeOutputs())
            if let end = controller.end { return end }
            if let prompt = controller.prompt {
                if prompt.marker { terminal.write(strings.prompt + "> ") }
            } else if let at = controller.cursor {
                if drawn != at {
                    terminal.write(controller.screen(for: at).render(width: terminal.width, colour: terminal.colour, strings: strings))
                    drawn = at
                    if let stale = controller.staleNotice(at: at) { say(stale, style: .error) }
                }
                terminal.write(strings.prompt + "> ")
            }
            switch terminal.readLine() {
            case .endOfInput: controller.stop(.endOfInput)
            case .interrupted(2) where terminal.interactive:
                // Ctrl-C at a terminal asks first (a second one leaves); a script is stopped at once.
                terminal.takeInterrupt()
                terminal.writeLine()  // the terminal echoed ^C after the prompt: the question starts a line
                controller.askToLeave(oneKey: false)
                drawn = nil  // staying shows the question again, which the Ctrl-C question pushed up
            case .interrupted(let signal): controller.stop(.interrupted(signal))
            case .line(let line):
                #if DEBUG
                    TestCrash.check(line: line)
                #endif
                controller.enter(line)
            }
        }
    }

    // MARK: - Output

    private func show(_ feedback: (outputs: [SessionOutput], redraw: Bool)) {
        if feedback.redraw { drawn = nil }
        for output in feedback.outputs {
            switch output {
            case .notice(let text, let tone): say(text, style: tone)
            case .help: showHelp()
            case .review: showReview(controller.review())
            case .closingProblems(let report): showClosingProblems(report)
            case .outcomeCodes(let codes):
                for option in codes { terminal.writeLine("  \(option.code)  \(option.label)") }
            }
        }
    }

    /// Writes a message wrapped to the terminal, coloured by tone when colour is on.
    func say(_ text: String, style tone: MessageTone, indent: String = "") {
        let style = Style(enabled: terminal.colour)
        for line in TextLayout.wrap(text, width: terminal.width, indent: indent, firstIndent: indent) {
            switch tone {
            case .plain: terminal.writeLine(line)
            case .error: terminal.writeLine(style.red(line))
            case .warning: terminal.writeLine(style.yellow(line))
            case .success: terminal.writeLine(style.green(line))
            }
        }
    }

    private func showHelp() {
        let commands = strings.commands
        let keyWidth = commands.map { TextLayout.width($0.0) }.max() ?? 0
        terminal.writeLine(Style(enabled: terminal.colour).bold(strings.helpTitle))
        for (keys, meaning) in commands {
            let lead = "  " + TextLayout.pad(keys, to: keyWidth) + "  "
            let indent = String(repeating: " ", count: TextLayout.width(lead))
            for line in TextLayout.wrap(meaning, width: terminal.width, indent: indent, firstIndent: lead) {
                terminal.writeLine(line)
            }
        }
        say(strings.helpFooter, style: .plain)
    }

    /// The review: answers by question name, then notes, checks and what is missing.
    private func showReview(_ review: Review) {
        let style = Style(enabled: terminal.colour)
        terminal.writeLine(style.bold("== \(strings.reviewTitle) =="))
        for section in Review.Section.allCases {
            let entries = review.entries(in: section)
            if section == .stale, entries.isEmpty { continue }
            terminal.writeLine(style.bold(strings.reviewHeading(section)))
            guard !entries.isEmpty else {
                terminal.writeLine("  " + strings.reviewNone)
                continue
            }
            switch section {
            case .answers:
                let nameWidth = min(24, entries.map { TextLayout.width($0.place) }.max() ?? 0)
                for entry in entries {
                    let lead = "  " + TextLayout.pad(entry.place, to: nameWidth) + "  "
                    let indent = String(repeating: " ", count: TextLayout.width(lead))
                    for line in TextLayout.wrap(entry.text, width: terminal.width, indent: indent, firstIndent: lead) {
                        terminal.writeLine(line)
                    }
                }
            case .unanswered:
                say(entries.map(\.place).joined(separator: ", "), style: .plain, indent: "  ")
            case .notes, .confirmed, .warnings, .errors, .stale:
                let tone: MessageTone = section == .errors || section == .stale ? .error : section == .warnings ? .warning : .plain
                for entry in entries { say("\(entry.place): \(entry.text)", style: tone, indent: "  ") }
            }
        }
    }

    /// The closing review: what blocks completion, in the UI language.
    private func showClosingProblems(_ report: ClosingReport) {
        let style = Style(enabled: terminal.colour)
        terminal.writeLine(style.bold("== \(strings.closingTitle) =="))
        say(strings.closingBlocked, style: .warning)
        terminal.writeLine(style.bold(strings.reviewErrors))
        if report.errors.isEmpty { terminal.writeLine("  " + strings.reviewNone) }
        for line in report.errors { say("\(line.place): \(line.message)", style: .error, indent: "  ") }
        terminal.writeLine(style.bold(strings.reviewUnanswered))
        say(
            report.missing.isEmpty ? strings.reviewNone : report.missing.map(\.description).joined(separator: ", "),
            style: .plain, indent: "  ")
        if !report.stale.isEmpty {
            terminal.writeLine(style.bold(strings.reviewStale))
            for line in report.stale { say("\(line.place): \(line.message)", style: .error, indent: "  ") }
        }
        if !report.warnings.isEmpty {
            terminal.writeLine(style.bold(strings.reviewWarnings))
            for line in report.warnings { say("\(line.place): \(line.message)", style: .warning, indent: "  ") }
        }
    }
}
