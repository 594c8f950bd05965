/// The one rule for the header's details — which case, where in the questionnaire, how far —
/// at a given width: the case is never left out, so that the fieldworker always sees whom they
/// are interviewing.
///
/// In order, the first that fits:
/// 1. everything whole on one line (training mark · case · section · progress · interview);
/// 2. without the interview's id (the resume line and the review give it);
/// 3. the section's name shortened with a visible `…` (at least ``minimumName`` columns; the
///    question's own line shows it whole), then left out: its position (`4/11. szakasz`) stays;
/// 4. on a screen without room for a second line (under 24 rows), the case's fields in what
///    the section's position and the progress leave: the first ones whole, the next cut with
///    `…`, the rest left out (``fit(_:into:)``) — as long as the first field stays whole;
/// 5. else the case on a line of its own (cut the same way if it must be), the section,
///    progress and, if it fits, the id on the next.
/// Widths are display columns (``TextLayout``'s one width table: wide and combining characters).
struct HeaderLayout {
    var width: Int
    /// Whether a second line of details fits (the screen is at least 24 rows high).
    var room: Bool

    static let separator = " · "
    /// The fewest columns a shortened section name keeps, else it is left out.
    static let minimumName = 8
    /// The fewest columns a shortened case field keeps (its start and `…`).
    static let minimumField = 5

    /// The details' lines, each starting with a space.
    func lines(_ h: ScreenModel.Header) -> [String] {
        let sep = TextLayout.width(Self.separator)
        let training = h.details.first { $0.kind == .training }.map(\.text)
        let interview = h.details.first { $0.kind == .interview }.map(\.text)
        let section = h.details.first { $0.kind == .section }
        let progress = h.details.first { $0.kind == .progress }.map(\.text)
        let caseText = h.cases.isEmpty ? nil : h.cases.joined(separator: Self.separator)
        let lead = [training, caseText].compactMap { $0 }
        func line(_ parts: [String?]) -> String { " " + parts.compactMap { $0 }.joined(separator: Self.separator) }
        func fits(_ parts: [String?]) -> Bool { TextLayout.width(line(parts)) <= width }

        // 1 and 2: whole.
        if fits(lead + [section.map(whole), progress, interview]) { return [line(lead + [section.map(whole), progress, interview])] }
        if fits(lead + [section.map(whole), progress]) { return [line(lead + [section.map(whole), progress])] }
        // 3: the section's name shortened, then only its position.
        let fixed = TextLayout.width(line(lead + [progress])) + (section == nil ? 0 : sep)
        if let section, let shortened = shortened(section, in: width - fixed) {
            return [line(lead + [shortened, progress])]
        }
        let position = section?.fixed
        guard let caseText, let id = h.cases.first else {
            return TextLayout.pack([training, position, progress].compactMap { $0 }, width: width, indent: " ")
        }
        // 4: no room for a second line: the case's fields in what is left, its first one whole.
        if !room {
            let others = TextLayout.width(line([training, position, progress])) + sep
            if let cut = Self.fit(h.cases, into: width - others), cut.hasPrefix(id) { return [line([training, cut, position, progress])] }
        }
        // 5: the case on a line of its own (also when nothing else keeps its first field whole).
        let first = line([training, Self.fit(h.cases, into: width - 1 - (training.map { TextLayout.width($0) + sep } ?? 0)) ?? caseText])
        let rest: [String?] = [section.map(whole), progress]
        if fits(rest + [interview]) { return [first, line(rest + [interview])] }
        if fits(rest) { return [first, line(rest)] }
        let used = TextLayout.width(line([progress])) + (section == nil ? 0 : sep)
        if let section, let shortened = shortened(section, in: width - used) { return [first, line([shortened, progress])] }
        return [first] + TextLayout.pack([position, progress].compactMap { $0 }, width: width, indent: " ")
    }

    /// The section's name and position: `A háztartás tagjai (4/11. szakasz)`.
    private func whole(_ section: ScreenModel.Detail) -> String {
        guard let fixed = section.fixed else { return section.text }
        return section.text.isEmpty ? fixed : section.text + " (" + fixed + ")"
    }

    /// The section as its shortened name and position in `columns`, or its position alone; nil
    /// when not even that fits.
    private func shortened(_ section: ScreenModel.Detail, in columns: Int) -> String? {
        let fixed = section.fixed ?? ""
        let room = columns - TextLayout.width(fixed) - 3  // ` (` and `)`
        if room >= Self.minimumName, !section.text.isEmpty { return Self.cut(section.text, to: room) + " (" + fixed + ")" }
        return TextLayout.width(fixed) <= columns && !fixed.isEmpty ? fixed : nil
    }

    /// The case's fields in `columns`, joined by the separator, in their order of importance
    /// (the case id, the address, then the identifiers): each takes what it needs of what the
    /// ones before it left — the whole field, or, when that is too wide, the rest of the room cut
    /// with `…` if at least ``minimumField`` columns — and the fields after one that does not
    /// fit whole are left out, a last `…` saying so. Nil when fewer than ``minimumField`` columns.
    static func fit(_ fields: [String], into columns: Int) -> String? {
        let sep = TextLayout.width(separator)
        var shown: [String] = []
        var used = 0
        for (i, field) in fields.enumerated() {
            let lead = shown.isEmpty ? 0 : sep
            // The last field needs no room for the ` · …` that says more were left out.
            let reserve = i == fields.count - 1 ? 0 : sep + 1
            let whole = TextLayout.width(field)
            if used + lead + whole <= columns - reserve {
                shown.append(field)
                used += lead + whole
                continue
            }
            let room = columns - used - lead - reserve
            if room >= minimumField {
                shown.append(cut(field, to: room))
                if reserve > 0 { shown.append("…") }
            } else {
                shown.append("…")  // this field and those after it are left out
            }
            break
        }
        if shown.first == "…" { return columns >= minimumField ? cut(fields[0], to: columns) : nil }
        return shown.isEmpty ? nil : shown.joined(separator: separator)
    }

    /// The text in `columns`, ending in `…` when cut, without a comma, space or opening
    /// bracket before the `…` (`Látogatási adatok…`, not `Látogatási adatok (…`).
    static func cut(_ text: String, to columns: Int) -> String {
        let cut = TextLayout.truncate(text, to: columns)
        guard cut != text, cut.hasSuffix("…") else { return cut }
        var body = cut.dropLast()
        while let last = body.last, " ,(".contains(last) { body.removeLast() }
        return body + "…"
    }
}
