import InterviewEngine
import SurveyModel

/// Builds the ``ScreenModel`` for the controller's state and the screen's own state: a pure
/// function of both (plus the interview's identity), so it can be tested and timed without a
/// terminal.
public struct ScreenModelBuilder {
    public let controller: InterviewController
    public let pages: FormPages
    /// The interview's id and what says which case it is, for the header.
    public let interviewID: String
    public let cases: [String]

    /// How many rows of a page the model carries around the current one: as many as the screen
    /// has (a 200-row roster is windowed; the renderer shows what fits of them).
    let window: Int

    public init(controller: InterviewController, pages: FormPages, interviewID: String, cases: [String], rows: Int = 60) {
        self.controller = controller
        self.pages = pages
        self.interviewID = interviewID
        self.cases = cases
        window = max(10, rows)
    }

    private var interview: Interview { controller.interview }
    private var strings: UIStrings { controller.strings }

    /// Questions answered and left on the route, and the share answered (0…100).
    public func progress() -> (answered: Int, remaining: Int, percent: Int) {
        let answered = pages.sections.reduce(0) { $0 + $1.answered }
        let total = pages.sections.reduce(0) { $0 + $1.questions }
        let remaining = total - answered
        return (answered, remaining, total == 0 ? 0 : answered * 100 / total)
    }

    /// Brings a model built for the same question up to date with the input line and messages.
    public func refresh(_ model: inout ScreenModel, _ state: ScreenState) {
        model.messages = state.messages
        model.editor = editor(state)
        model.prompt = controller.prompt.map { .init(text: $0.text, tone: $0.tone) }
    }

    public func build(_ state: ScreenState) -> ScreenModel {
        let body: ScreenModel.Body
        if let list = state.list {
            body = .list(listPane(list))
        } else if let at = controller.cursor {
            let screen = controller.screen(for: at)
            let pane = QuestionPane(
                screen: screen, current: screen.current.map(strings.currentAnswer),
                proposed: screen.proposed.map(strings.proposedValue),
                interviewerOnly: screen.interviewerOnly ? strings.interviewerOnly : nil, stale: controller.staleNotice(at: at),
                comments: controller.reviewComments(at: at).map { strings.commentFlag + " " + strings.reviewComment($0) })
            body = .form(pane, formPane(at))
        } else {
            body = .empty
        }
        return ScreenModel(
            header: header(state), body: body, messages: state.messages,
            prompt: controller.prompt.map { .init(text: $0.text, tone: $0.tone) }, editor: editor(state), keys: keys(state))
    }

    /// The input line, unless a list has the keyboard.
    private func editor(_ state: ScreenState) -> ScreenModel.EditorLine? {
        guard state.list == nil, controller.end == nil else { return nil }
        var counter: String?
        if controller.prompt == nil, let limit = state.editor.limit { counter = "\(state.editor.count)/\(limit)" }
        var hint: String?
        if controller.prompt == nil, state.editor.isEmpty, let at = controller.cursor, let question = interview.question(at.variable) {
            if interview.answer(at: at) != nil {
                hint = strings.keepsAnswerHint
            } else if !question.required, question.kind != .note, interview.defaultValue(at: at) == nil {
                hint = strings.skipsOptionalHint
            }
        }
        return .init(label: strings.inputLabel, editor: state.editor, counter: counter, hint: hint)
    }

    // MARK: - Header

    private func header(_ state: ScreenState) -> ScreenModel.Header {
        let (answered, remaining, _) = progress()
        var section: String?
        var number = 0
        if let at = controller.cursor, let s = pages.section(of: at) {
            number = s + 1
            section = pages.sections[s].id.flatMap { controller.index.groups[$0]?.title }.map { interview.render($0) }
        }
        var details: [ScreenModel.Detail] = []
        if interview.isTraining { details.append(.init(kind: .training, text: "[\(strings.headerTraining)]")) }
        // From the package or the command line: escaped before they reach the screen.
        let cases = cases.map(DisplayText.escaped)
        if !cases.isEmpty { details.append(.init(kind: .cases, text: cases.joined(separator: HeaderLayout.separator))) }
        if number > 0 {
            details.append(.init(kind: .section, text: section ?? "", fixed: strings.headerSection(number, of: pages.sections.count)))
        }
        details.append(.init(kind: .progress, text: strings.headerProgress(answered: answered, remaining: remaining)))
        details.append(.init(kind: .interview, text: strings.headerInterview(String(interviewID.prefix(8)))))
        return ScreenModel.Header(
            title: interview.render(interview.definition.title), interview: String(interviewID.prefix(8)), cases: cases,
            language: interview.language.rawValue.uppercased(), section: section, sectionNumber: number,
            sectionCount: pages.sections.count, answered: answered, remaining: remaining, percent: state.percent,
            training: interview.isTraining, details: details)
    }

    // MARK: - Status line

    private func keys(_ state: ScreenState) -> [ScreenModel.KeyHint] {
        if let list = state.list {
            switch list {
            case .sections: return [strings.keyMove, strings.keyJump, strings.keyBack]
            case .review: return [strings.keyScroll, strings.keyJump, strings.keyBack]
            case .help, .closing: return [strings.keyScroll, strings.keyBack]
            }
        }
        if let prompt = controller.prompt {
            switch prompt.reply {
            case .yesNo, .yesWithReason: return [strings.keyYes, strings.keyNo, strings.keyCancel]
            case .rows: return [strings.keyRowNumbers, strings.keyEnterLastRows, strings.keyNo, strings.keyCancel]
            case .leaveKey: return [strings.keyLeaveNow, strings.keyStay]
            }
        }
        var keys = [strings.keyEnterSaves, strings.keyFields, strings.keyPages, strings.keySections, strings.keyReview]
        if let at = controller.cursor, controller.openRoster(containing: at) != nil {
            keys += [strings.keyAddRow, strings.keyRemoveRow]
        }
        return keys + [strings.keyHelp, strings.keyLeave]
    }

    // MARK: - Form pane

    func formPane(_ at: Address) -> FormPane? {
        guard let p = pages.page(of: at) else { return nil }
        let page = pages.pages[p]
        switch page.key {
        case .section(let id): return fieldsPane(page, title: id.flatMap(title(of:)) ?? "", at: at)
        case .grid(let id, _): return gridPane(page, grid: id, at: at)
        case .roster(let key): return rosterPane(key, at: at)
        }
    }

    private func title(of group: GroupID) -> String? {
        controller.index.groups[group]?.title.map { interview.render($0) }
    }

    /// A window of `count` items around `focus`.
    private func window(_ count: Int, focus: Int) -> Range<Int> {
        let half = window / 2
        let start = max(0, min(focus - half, count - window))
        return start..<min(count, start + window)
    }

    private func value(at address: Address) -> String {
        interview.answer(at: address).map { controller.describe($0, at: address) } ?? ""
    }

    /// A form cell of an answer the supervisor commented on, flagged so the page shows where the
    /// comments are (the comment itself is shown with its question).
    private func flagged(_ text: String, at address: Address) -> String {
        controller.reviewComments(at: address).isEmpty ? text : strings.commentFlag + " " + text
    }

    /// A question's text in the form, which also lists questions not reached yet: a piped answer
    /// not given yet shows as `…`, not as nothing (`(…)`, not `()`).
    private func formText(_ address: Address) -> String {
        interview.question(address.variable).map { interview.render($0.text, at: address, missing: "…") } ?? ""
    }

    private func fieldsPane(_ page: FormPages.Page, title: String, at: Address) -> FormPane {
        let focus = page.addresses.firstIndex(of: at) ?? 0
        let shown = window(page.addresses.count, focus: focus)
        let rows = page.addresses[shown].map { address -> FormPane.Row in
            let text = formText(address)
            return FormPane.Row(cells: [flagged(address.description, at: address), text, value(at: address)], offRoute: [])
        }
        return FormPane(
            kind: .fields, title: title, columns: [], rows: rows, focusRow: focus - shown.lowerBound, focusColumn: nil,
            hiddenAbove: shown.lowerBound, hiddenBelow: page.addresses.count - shown.upperBound)
    }

    private func gridPane(_ page: FormPages.Page, grid: GroupID, at: Address) -> FormPane {
        let focus = page.addresses.firstIndex(of: at) ?? 0
        let shown = window(page.addresses.count, focus: focus)
        let rows = page.addresses[shown].map { address -> FormPane.Row in
            FormPane.Row(cells: [flagged(formText(address), at: address), value(at: address)], offRoute: [])
        }
        let group = controller.index.groups[grid]
        let stem = group?.text.map { interview.render($0, at: at) } ?? group?.title.map { interview.render($0) } ?? ""
        return FormPane(
            kind: .grid, title: stem, columns: ["", ""], rows: rows, focusRow: focus - shown.lowerBound, focusColumn: 1,
            hiddenAbove: shown.lowerBound, hiddenBelow: page.addresses.count - shown.upperBound)
    }

    private func rosterPane(_ key: RosterKey, at: Address) -> FormPane {
        let members = controller.directMembers(of: key.roster).filter { interview.question($0)?.kind != .note }
        let count = interview.rowCount(of: key.roster, parentRows: key.parentRows)
        let depth = key.parentRows.count
        let focus = at.rows.count > depth ? at.rows[depth] - 1 : 0
        let shown = window(count, focus: focus)
        let rows = shown.map { index -> FormPane.Row in
            var cells = [String(index + 1)]
            var offRoute: Set<Int> = []
            for (column, name) in members.enumerated() {
                let address = Address(name, rows: key.parentRows + [index + 1])
                if interview.isOnRoute(address) {
                    cells.append(flagged(value(at: address), at: address))
                } else {
                    cells.append(strings.notAsked)
                    offRoute.insert(column + 1)
                }
            }
            return FormPane.Row(cells: cells, offRoute: offRoute)
        }
        var heading = title(of: key.roster) ?? key.roster.rawValue
        if let parent = key.parentRows.last, let enclosing = controller.index.groupRosters[key.roster]?.last {
            let label = interview.rowLabel(enclosing, rows: key.parentRows) ?? ""
            heading += " — " + strings.rosterRow(parent, of: nil, label: label)
        }
        return FormPane(
            kind: .roster, title: heading, columns: ["#"] + members.map(\.rawValue), rows: rows,
            focusRow: count == 0 ? nil : focus - shown.lowerBound,
            focusColumn: members.firstIndex(of: at.variable).map { $0 + 1 }, hiddenAbove: shown.lowerBound,
            hiddenBelow: count - shown.upperBound)
    }
}
