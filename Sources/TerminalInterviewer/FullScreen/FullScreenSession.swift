import InterviewEngine
import SurveyModel

/// The full-screen view of an interview: a form on the terminal's alternate screen, over the
/// same ``InterviewController`` as the line view.
///
/// Each key edits the input line, moves between fields and pages, opens a list, or hands a
/// typed line to the controller (an answer, a dot command, the reply to a question); then the
/// screen is rebuilt from the controller's state (``ScreenModelBuilder``), drawn into cells
/// (``ScreenRenderer``) and painted by the ``ScreenDevice``. Every confirmed answer is saved
/// by the controller before the screen changes.
public final class FullScreenSession {
    public let controller: InterviewController
    let device: any ScreenDevice
    let interviewID: String
    /// What says which case the interview is (case id, address, identifiers), for the header.
    let cases: [String]
    /// Asked between keys: a signal that asks the program to stop (SIGTERM, SIGHUP, SIGINT).
    let pendingSignal: () -> Int32?
    public internal(set) var state = ScreenState()
    private var cachedPages: (revision: Int, pages: FormPages)?
    /// What the session said as it ended, to print on the normal screen after leaving.
    public private(set) var farewell: [(text: String, tone: MessageTone)] = []
    /// What was said before the screen opened (the interview started, resumed or reopened; other
    /// unfinished interviews): shown on the first screen, which hides the normal screen.
    public var opening: [ScreenModel.Message] = []
    /// Whether the device stays open when the session ends: the case list it was opened from
    /// takes the screen back (the list closes it when the fieldworker leaves).
    public var keepsDeviceOpen = false
    /// The input line put aside while the session asks a question, restored after a "no".
    private var stashed: (address: Address?, state: LineEditor, original: String)?

    public init(
        controller: InterviewController, device: any ScreenDevice, interviewID: String, cases: [String],
        pendingSignal: @escaping () -> Int32? = { nil }
    ) {
        self.controller = controller
        self.device = device
        self.interviewID = interviewID
        self.cases = cases
        self.pendingSignal = pendingSignal
    }

    var strings: UIStrings { controller.strings }

    /// The route cut into pages and sections: after the interview changed, the pages it had are
    /// brought up to date with the new route and the answers that changed.
    var pages: FormPages {
        let revision = controller.revision
        if let cached = cachedPages, cached.revision == revision { return cached.pages }
        let interview = controller.interview
        let isAnswered = { (address: Address) in interview.answer(at: address) != nil }
        let pages: FormPages
        if let cached = cachedPages, let changed = controller.answersChanged(since: cached.revision) {
            pages = cached.pages.updated(route: controller.route, answersChanged: changed, index: controller.index, isAnswered: isAnswered)
        } else {
            pages = FormPages(route: controller.route, index: controller.index, isAnswered: isAnswered)
        }
        cachedPages = (revision, pages)
        return pages
    }

    /// Runs until the interview ends or the fieldworker leaves; the terminal is given back on
    /// every way out (unless ``keepsDeviceOpen``: then whoever opened it gives it back).
    public func run() -> SessionEnd {
        controller.start()
        // A crash restores the terminal and says this first, in the interview's UI language.
        device.sayOnCrash(strings.crashed(resumeCommand: controller.options.resumeCommand))
        absorb()
        if controller.end == nil { state.messages = opening + state.messages }
        var dirty = true
        while controller.end == nil {
            // Drawn only after something happened: an idle screen costs nothing (a laptop's battery).
            if dirty { redraw() }
            if let signal = pendingSignal() {
                controller.stop(.interrupted(signal))
                break
            }
            switch device.read(waiting: true) {
            case .idle: dirty = false
            case .closed: controller.stop(.endOfInput)
            case .key(let key):
                #if DEBUG
                    TestCrash.check(key)
                #endif
                handle(key)
                // Keys that came together (typing fast, a paste) are handled before drawing again.
                while controller.end == nil, case .key(let next) = device.read(waiting: false) { handle(next) }
                dirty = true
            }
        }
        device.sayOnCrash(nil)
        if !keepsDeviceOpen { device.close() }
        return controller.end ?? .endOfInput
    }

    // MARK: - Drawing

    /// The model of the screen as it is now.
    ///
    /// Header, body and status keys change only with the interview, the question, an open list
    /// or the screen's height; while only the input line changes (typing), they are reused.
    public func model() -> ScreenModel {
        let builder = ScreenModelBuilder(
            controller: controller, pages: pages, interviewID: interviewID, cases: cases, rows: device.size.height)
        let key = FrameKey(
            revision: controller.revision, cursor: controller.cursor, list: state.list, prompt: controller.prompt != nil,
            ended: controller.end != nil, rows: device.size.height)
        if let cached = frame, cached.key == key {
            var model = cached.model
            builder.refresh(&model, state)
            return model
        }
        state.percent = max(state.percent, builder.progress().percent)
        let model = builder.build(state)
        frame = (key, model)
        return model
    }

    /// What the reusable part of the screen depends on.
    private struct FrameKey: Equatable {
        var revision: Int
        var cursor: Address?
        var list: ScreenState.List?
        var prompt: Bool
        var ended: Bool
        var rows: Int
    }

    private var frame: (key: FrameKey, model: ScreenModel)?

    /// Builds, renders and paints the screen.
    func redraw() {
        let (width, height) = device.size
        device.paint(ScreenRenderer(width: width, height: height, colour: device.colour).render(model()))
    }

    // MARK: - What the controller said

    /// Takes the controller's output after an action: messages for the message area (or, once the
    /// session ended, for the normal screen), lists to open; then fits the input line to the
    /// question now current.
    func absorb() {
        let (outputs, _) = controller.takeOutputs()
        var messages: [ScreenModel.Message] = []
        for output in outputs {
            switch output {
            case .notice(let text, let tone): messages.append(.init(text: text, tone: tone))
            case .help: state.list = .help(top: 0)
            case .review: state.list = .review(selected: firstSelectableReviewLine())
            case .closingProblems(let report): state.list = .closing(report, top: 0)
            case .outcomeCodes(let codes):
                messages += codes.map { .init(text: "  \($0.code)  \($0.label)", tone: .plain) }
            }
        }
        // A prompt is shown on its own line, the supervisor's comments and a stale answer's notice
        // with their question: their texts are not repeated as messages.
        if let prompt = controller.prompt { messages.removeAll { $0.text == prompt.text } }
        if let at = controller.cursor {
            let comments = Set(controller.reviewComments(at: at).map(strings.reviewComment))
            if !comments.isEmpty { messages.removeAll { comments.contains($0.text) } }
            // A stale answer at the question now shown is said under it: the notice that it went
            // stale would say it again (six lines at 80 columns).
            if controller.staleNotice(at: at) != nil {
                let said = strings.answerNoLongerFits(at.description)
                messages.removeAll { $0.text.hasPrefix(said) }
            }
        }
        if controller.end != nil {
            farewell += messages.map { ($0.text, $0.tone) }
            state.messages = []
        } else {
            state.messages = messages
        }
        syncEditor()
    }

    /// Fits the input line to what is asked now: a question brings its answer as typed; a
    /// prompt gets an empty line (what was typed is put aside and comes back after a "no").
    private func syncEditor() {
        let at = controller.cursor
        if controller.prompt != nil {
            if stashed == nil {
                stashed = (state.editing, state.editor, state.original)
                state.editor = LineEditor()
                state.original = ""
            }
            return
        }
        if let put = stashed {
            stashed = nil
            if put.address == at {
                state.editor = LineEditor(put.state.text, limit: put.state.limit, fresh: true)
                state.original = put.original
                state.editing = at
                return
            }
        }
        guard at != state.editing else { return }
        state.editing = at
        state.original = at.flatMap { address in controller.interview.answer(at: address).map { typed($0, at: address) } } ?? ""
        state.editor = LineEditor(state.original, limit: at.flatMap(textLimit), fresh: true)
    }

    /// A text question's length limit.
    private func textLimit(_ at: Address) -> Int? {
        if case .text(let maxLength, _)? = controller.interview.question(at.variable)?.kind { return maxLength }
        return nil
    }

    /// An answer as it would be typed, so that the input line starts with it.
    func typed(_ answer: Answer, at: Address) -> String {
        guard case .value(let value) = answer else { return "" }
        switch value {
        case .choices(let codes): return codes.map(String.init).joined(separator: " ")
        case .decimal(let d):
            if case .decimal(_, _, let places)? = controller.interview.question(at.variable)?.kind {
                return strings.number(d, places: places)
            }
            return Interview.display(value)
        case .text(let text): return text.hasPrefix(".") ? "." + text : text
        default: return Interview.display(value)
        }
    }

    private func firstSelectableReviewLine() -> Int {
        ScreenLists(controller: controller, pages: pages).review().firstIndex { $0.line.selectable } ?? 0
    }
}
