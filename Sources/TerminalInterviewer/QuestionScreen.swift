import Fieldwork

/// Everything shown for one question, already piped and in the interview's language.
///
/// Built by the session from the engine's state and rendered by ``render(width:colour:)``;
/// keeping the two apart lets tests check the layout without an interview.
public struct QuestionScreen: Hashable, Sendable {
    /// One numbered option: its code and label.
    public struct OptionLine: Hashable, Sendable {
        public var code: Int
        public var label: String
        /// Ticked in the current answer (multiple choice) or chosen (single choice).
        public var selected: Bool

        public init(code: Int, label: String, selected: Bool = false) {
            self.code = code
            self.label = label
            self.selected = selected
        }
    }

    /// A question's place on the route: `index` of `count`, from 1.
    public struct Position: Hashable, Sendable {
        public var index: Int
        public var count: Int

        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
    }

    /// The enclosing section titles, outermost first.
    public var sections: [String] = []
    /// The roster row, e.g. `2/4 — Anna`, innermost roster last.
    public var rosterRows: [String] = []
    /// For a grid item: the grid's stem text.
    public var gridStem: String?
    /// The question's address as typed in `.u`, e.g. `hh_size`, `m_age[2]`.
    public var name: String
    /// Where the question stands on the route, e.g. 12 of 52.
    public var position: Position?
    public var text: String
    public var hint: String?
    public var interviewerOnly = false
    public var options: [OptionLine] = []
    /// What may be typed: range, length, date format…
    public var allowed: String?
    /// Which special answers may be recorded, e.g. `.nt = nem tudja, .nv = nem válaszol`.
    public var specials: String?
    /// The current answer, shown so that Enter keeps it.
    public var current: String?
    /// A proposed (default) value.
    public var proposed: String?

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The screen as lines of text wrapped to `width`, with ANSI styles when `colour` is set.
    public func render(width: Int, colour: Bool, strings: UIStrings) -> String {
        let style = Style(enabled: colour)
        var out: [String] = []
        let width = max(width, 20)
        out.append(style.dim(String(repeating: "─", count: min(width, 72))))
        var heading = sections.last ?? ""
        let tag = position.map { "\(name)  \($0.index)/\($0.count)" } ?? name
        if TextLayout.width(heading) + TextLayout.width(tag) + 2 <= width {
            heading = TextLayout.pad(heading, to: width - TextLayout.width(tag))
            out.append(style.bold(heading.trimmingSpaces.isEmpty ? "" : heading) + style.dim(tag))
        } else {
            out += TextLayout.wrap(heading, width: width).map(style.bold)
            out.append(style.dim(tag))
        }
        for row in rosterRows { out += TextLayout.wrap(row, width: width).map(style.cyan) }
        if interviewerOnly { out.append(style.yellow("[\(strings.interviewerOnly)]")) }
        if let gridStem { out += TextLayout.wrap(gridStem, width: width) }
        out += TextLayout.wrap(text, width: width, indent: gridStem == nil ? "" : "  ", firstIndent: gridStem == nil ? "" : "  ")
            .map(style.bold)
        if let hint { out += TextLayout.wrap(hint, width: width, indent: "  ").map(style.italic) }
        out += renderOptions(width: width, style: style)
        let footer = [allowed, specials, strings.helpHint].compactMap { $0 }.joined(separator: " · ")
        out += TextLayout.wrap(footer, width: width).map(style.dim)
        if let proposed { out += TextLayout.wrap(strings.proposedValue(proposed), width: width).map(style.green) }
        if let current { out += TextLayout.wrap(strings.currentAnswer(current), width: width).map(style.green) }
        return out.joined(separator: "\n") + "\n"
    }

    private func renderOptions(width: Int, style: Style) -> [String] {
        guard !options.isEmpty else { return [] }
        let codeWidth = options.map { String($0.code).count }.max() ?? 1
        var lines: [String] = []
        for option in options {
            let code = String(option.code)
            let mark = option.selected ? "*" : " "
            let lead = " " + mark + String(repeating: " ", count: codeWidth - code.count) + code + "  "
            let indent = String(repeating: " ", count: TextLayout.width(lead))
            let wrapped = TextLayout.wrap(option.label, width: width, indent: indent, firstIndent: lead)
            lines += wrapped.map { option.selected ? style.green($0) : $0 }
        }
        return lines
    }
}

/// ANSI styles that vanish when colour is off.
struct Style {
    var enabled: Bool

    private func wrap(_ code: String, _ text: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ s: String) -> String { wrap("1", s) }
    func dim(_ s: String) -> String { wrap("2", s) }
    func italic(_ s: String) -> String { wrap("3", s) }
    func red(_ s: String) -> String { wrap("31", s) }
    func green(_ s: String) -> String { wrap("32", s) }
    func yellow(_ s: String) -> String { wrap("33", s) }
    func cyan(_ s: String) -> String { wrap("36", s) }
}
