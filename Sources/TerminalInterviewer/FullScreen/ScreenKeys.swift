import InterviewEngine
import SurveyModel

extension FullScreenSession {
    /// Reacts to one key.
    func handle(_ key: KeyEvent) {
        if let list = state.list { return handleList(key, list) }
        if controller.prompt?.reply == .leaveKey { return leaveKey(key) }
        switch key {
        case .text(let text): edit { $0.insert(text) }
        case .enter: submit()
        case .backspace, .control("h"): edit { $0.backspace() }
        case .delete, .control("d"): edit { $0.delete() }
        case .left, .control("b"): state.editor.left()
        case .right, .control("f"): state.editor.right()
        case .home, .control("a"): state.editor.home()
        case .end, .control("e"): state.editor.end()
        case .control("u"): edit { $0.killToStart() }
        case .control("k"): edit { $0.killToEnd() }
        case .control("w"): edit { $0.deleteWord() }
        case .up, .control("p"), .backTab: moveField(by: -1)
        case .down, .control("n"), .tab: moveField(by: 1)
        case .pageUp: movePage(by: -1)
        case .pageDown: movePage(by: 1)
        case .function(1): open(.help(top: 0))
        case .function(2), .control("g"): openSections()
        case .function(3), .control("r"): open(.review(selected: 0), review: true)
        case .function(5), .insert: addRow()
        case .function(8): removeRow()
        case .control("l"): device.invalidate()
        case .escape: escape()
        case .interrupt:
            controller.askToLeave(oneKey: true)
            absorb()
        case .resize: break
        case .unreadable: state.messages = [.init(text: strings.unreadableKey, tone: .error)]
        default: state.messages = [.init(text: strings.keyRefused, tone: .plain)]
        }
    }

    /// A key while the Ctrl-C question is up: it answers at once, no Enter. `i`/`y` leaves, a
    /// second Ctrl-C too; a resize or Ctrl-L only redraws; any other key stays.
    private func leaveKey(_ key: KeyEvent) {
        switch key {
        case .resize: return
        case .control("l"): return device.invalidate()
        case .interrupt: controller.askToLeave(oneKey: true)
        case .text(let text): controller.leaveKey(text)
        default: controller.leaveKey("")
        }
        absorb()
    }

    /// An edit of the input line; input past a text's limit is refused with a message.
    private func edit(_ change: (inout LineEditor) -> LineEditor.Outcome) {
        switch change(&state.editor) {
        case .full: state.messages = [.init(text: strings.limitReached(state.editor.limit ?? 0), tone: .warning)]
        case .refused: state.messages = [.init(text: strings.unreadableInput(.controlCharacter), tone: .error)]
        case .changed, .unchanged: break
        }
    }

    /// Enter: the typed line goes to the controller. A line that still holds the answer the
    /// question came up with keeps it, as Enter alone does, instead of saving it again.
    private func submit() {
        let replying = controller.prompt != nil
        let line = !replying && !state.edited ? "" : state.editor.text
        let revision = controller.revision
        let before = controller.cursor
        let command: Bool
        if case .command = DotCommand.parse(line) { command = controller.prompt == nil } else { command = false }
        controller.enter(line)
        // Something saved, or a command done: the input line starts again from the question's
        // answer. An answer refused stays as typed, to be corrected.
        if command || controller.revision != revision {
            state.editing = nil
        } else if !replying, controller.prompt == nil, controller.cursor == before {
            // Refused: the text stays to be corrected, and typing anew replaces it; at a note,
            // which takes no answer, it goes, so that Enter goes on.
            let note = before.flatMap { controller.interview.question($0.variable) }?.kind == .note
            state.editor = note ? LineEditor() : LineEditor(state.editor.text, limit: state.editor.limit, fresh: true)
        }
        // A reply is used up: asked again, the line is empty; answered, the question's line comes back.
        if replying { state.editor = LineEditor() }
        absorb()
    }

    /// Esc: cancels the session's question, else drops what was typed.
    private func escape() {
        if controller.prompt != nil {
            controller.cancelPrompt()
            absorb()
            return
        }
        state.editor = LineEditor(state.original, limit: state.editor.limit, fresh: true)
        state.messages = []
    }

    // MARK: - Moving

    /// Up/Down: the previous or next field of the page, and across into the next page at its ends.
    private func moveField(by step: Int) {
        guard controller.prompt == nil, let at = controller.cursor else { return }
        guard !state.edited else { return state.messages = [.init(text: strings.saveOrDiscardFirst, tone: .warning)] }
        let route = controller.route
        guard let i = route.firstIndex(of: at) else { return }
        let target = i + step
        guard route.indices.contains(target) else { return }
        go(to: route[target])
    }

    /// PgUp/PgDn: the first question of the previous or next page.
    private func movePage(by step: Int) {
        guard controller.prompt == nil, let at = controller.cursor, let p = pages.page(of: at) else { return }
        guard !state.edited else { return state.messages = [.init(text: strings.saveOrDiscardFirst, tone: .warning)] }
        let target = p + step
        guard pages.pages.indices.contains(target), let entry = controller.entryPoint(of: pages.pages[target].addresses) else {
            return
        }
        go(to: entry)
    }

    func go(to address: Address) {
        controller.go(to: address)
        absorb()
    }

    // MARK: - Rows

    private func addRow() {
        guard let at = controller.cursor else { return }
        guard state.edited == false else { return state.messages = [.init(text: strings.saveOrDiscardFirst, tone: .warning)] }
        controller.addRowToOpenRoster(at: at)
        absorb()
    }

    private func removeRow() {
        guard let at = controller.cursor else { return }
        guard state.edited == false else { return state.messages = [.init(text: strings.saveOrDiscardFirst, tone: .warning)] }
        controller.askToRemoveRow(at: at)
        absorb()
    }

    // MARK: - Lists

    private func open(_ list: ScreenState.List, review: Bool = false) {
        guard controller.prompt == nil else { return }
        state.list = list
        if review {
            let lines = ScreenLists(controller: controller, pages: pages).review()
            state.list = .review(selected: lines.firstIndex { $0.line.selectable } ?? 0)
        }
    }

    private func openSections() {
        guard controller.prompt == nil else { return }
        let current = controller.cursor.flatMap { pages.section(of: $0) } ?? 0
        state.list = .sections(selected: current)
    }

    /// Keys while a list covers the body.
    private func handleList(_ key: KeyEvent, _ list: ScreenState.List) {
        let lists = ScreenLists(controller: controller, pages: pages)
        switch (list, key) {
        case (_, .escape), (.help, .enter), (.closing, .enter), (_, .function(1)), (_, .interrupt):
            state.list = nil
            if case .interrupt = key { handle(key) }
        case (.sections(let selected), _):
            let items = lists.sections()
            switch key {
            case .up: state.list = .sections(selected: max(0, selected - 1))
            case .down: state.list = .sections(selected: min(items.count - 1, selected + 1))
            case .enter:
                state.list = nil
                if items.indices.contains(selected), let target = items[selected].target { go(to: target) }
            default: break
            }
        case (.review(let selected), _):
            let lines = lists.review()
            let selectable = lines.indices.filter { lines[$0].line.selectable }
            func moved(_ steps: Int) -> Int {
                guard let here = selectable.firstIndex(of: selected) ?? selectable.first.map({ _ in 0 }) else { return selected }
                return selectable[max(0, min(selectable.count - 1, here + steps))]
            }
            switch key {
            case .up: state.list = .review(selected: moved(-1))
            case .down: state.list = .review(selected: moved(1))
            case .pageUp: state.list = .review(selected: moved(-10))
            case .pageDown: state.list = .review(selected: moved(10))
            case .home: state.list = .review(selected: selectable.first ?? 0)
            case .end: state.list = .review(selected: selectable.last ?? 0)
            case .enter:
                state.list = nil
                if lines.indices.contains(selected), let target = lines[selected].target { go(to: target) }
            default: break
            }
        case (.help(let top), _):
            state.list = .help(top: scrolled(top, key, count: lists.help().count))
        case (.closing(let report, let top), _):
            state.list = .closing(report, top: scrolled(top, key, count: lists.closing(report).count))
        }
    }

    private func scrolled(_ top: Int, _ key: KeyEvent, count: Int) -> Int {
        let step: Int
        switch key {
        case .up: step = -1
        case .down: step = 1
        case .pageUp: step = -10
        case .pageDown: step = 10
        default: step = 0
        }
        return max(0, min(count - 1, top + step))
    }
}
