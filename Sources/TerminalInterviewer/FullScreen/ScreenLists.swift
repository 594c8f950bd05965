import InterviewEngine
import SurveyModel

/// The lists that cover the body: the section menu, the review, the help and the closing check,
/// each line with where Enter goes (if anywhere).
struct ScreenLists {
    let controller: InterviewController
    let pages: FormPages

    private var strings: UIStrings { controller.strings }

    /// The sections on the route with their completion; Enter goes to the first unanswered question.
    func sections() -> [(line: ListPane.Line, target: Address?)] {
        pages.sections.map { section in
            let title =
                section.id.flatMap { controller.index.groups[$0]?.title }.map { controller.interview.render($0) }
                ?? section.id?.rawValue ?? "—"
            let target = controller.entryPoint(of: section.addresses)
            let done = section.questions > 0 && section.answered == section.questions
            let line = ListPane.Line(
                text: title, trailing: strings.sectionProgress(section.answered, of: section.questions),
                tone: done ? .success : .plain, selectable: true)
            return (line, target)
        }
    }

    /// The review: a heading per part, then its entries; Enter goes to an entry's question.
    func review() -> [(line: ListPane.Line, target: Address?)] {
        let review = controller.review()
        var lines: [(ListPane.Line, Address?)] = []
        for section in Review.Section.allCases {
            let entries = review.entries(in: section)
            if section == .stale, entries.isEmpty { continue }
            lines.append((ListPane.Line(text: strings.reviewHeading(section) + " (\(entries.count))", heading: true), nil))
            if entries.isEmpty { lines.append((ListPane.Line(text: "  " + strings.reviewNone), nil)) }
            let tone: MessageTone = section == .errors ? .error : section == .warnings ? .warning : .plain
            // The names in a column (at most 16 wide: a longer one pushes its own line only).
            let names = min(16, entries.map { TextLayout.width($0.place) }.max() ?? 0)
            for entry in entries {
                var text = "  " + TextLayout.pad(entry.place, to: names)
                // An answer or a missing question is named by its label too (`district  Városrész:
                // 1 Belváros`): the variable name alone says little to a fieldworker.
                if section == .answers || section == .unanswered, let label = label(of: entry.address) {
                    text += "  " + label + (entry.text.isEmpty ? "" : ": " + entry.text)
                } else if !entry.text.isEmpty {
                    text += "  " + entry.text
                }
                lines.append((ListPane.Line(text: text, tone: tone, selectable: entry.address != nil), entry.address))
            }
        }
        return lines
    }

    /// A question's short label (the export's variable label), in the interview's language.
    private func label(of address: Address?) -> String? {
        guard let address, let label = controller.interview.question(address.variable)?.label else { return nil }
        let text = controller.interview.render(label)
        return text.isEmpty ? nil : text
    }

    /// The keys of the full screen, then the dot commands.
    func help() -> [ListPane.Line] {
        var lines = [ListPane.Line(text: strings.helpTitle, heading: true)]
        let keys = strings.screenKeys + strings.commands
        let width = keys.map { TextLayout.width($0.0) }.max() ?? 0
        for (key, meaning) in keys { lines.append(ListPane.Line(text: "  " + TextLayout.pad(key, to: width) + "  " + meaning)) }
        lines.append(ListPane.Line(text: strings.helpFooter))
        return lines
    }

    /// What blocks closing the interview as complete.
    func closing(_ report: ClosingReport) -> [ListPane.Line] {
        var lines = [ListPane.Line(text: strings.closingBlocked, tone: .warning)]
        lines.append(ListPane.Line(text: strings.reviewErrors, heading: true))
        if report.errors.isEmpty { lines.append(ListPane.Line(text: "  " + strings.reviewNone)) }
        lines += report.errors.map { ListPane.Line(text: "  \($0.place): \($0.message)", tone: .error) }
        lines.append(ListPane.Line(text: strings.reviewUnanswered, heading: true))
        lines.append(
            ListPane.Line(
                text: "  " + (report.missing.isEmpty ? strings.reviewNone : report.missing.map(\.description).joined(separator: ", "))))
        if !report.warnings.isEmpty {
            lines.append(ListPane.Line(text: strings.reviewWarnings, heading: true))
            lines += report.warnings.map { ListPane.Line(text: "  \($0.place): \($0.message)", tone: .warning) }
        }
        return lines
    }
}

extension InterviewController {
    /// Where a jump into a section or page lands: its first unanswered question, else its
    /// first question (the visit outcome, which closes the visit, only when there is nothing else).
    func entryPoint(of addresses: [Address]) -> Address? {
        let outcome = interview.definition.outcome?.variable
        let questions = addresses.filter { interview.question($0.variable)?.kind != .note }
        return questions.first { interview.answer(at: $0) == nil && $0.variable != outcome }
            ?? questions.first { $0.variable != outcome } ?? addresses.first
    }
}

extension ScreenModelBuilder {
    func listPane(_ list: ScreenState.List) -> ListPane {
        let lists = ScreenLists(controller: controller, pages: pages)
        switch list {
        case .sections(let selected):
            return ListPane(
                kind: .sections, title: controller.strings.sectionsTitle, lines: lists.sections().map(\.line), selected: selected)
        case .review(let selected):
            return ListPane(kind: .review, title: controller.strings.reviewTitle, lines: lists.review().map(\.line), selected: selected)
        case .help(let top):
            return ListPane(kind: .help, title: controller.strings.helpTitle, lines: Array(lists.help().dropFirst(top)), selected: nil)
        case .closing(let report, let top):
            return ListPane(
                kind: .closing, title: controller.strings.closingTitle, lines: Array(lists.closing(report).dropFirst(top)), selected: nil)
        }
    }
}
