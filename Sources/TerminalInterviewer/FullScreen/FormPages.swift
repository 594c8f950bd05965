import InterviewEngine
import SurveyModel

/// The route cut into the pages of the form, and into sections, for one state of the interview.
///
/// A page is what the form pane shows at once: a section's own questions, every row of a roster
/// (a table: one row per member), or a grid (a table: one row per item). PgUp/PgDn move between
/// pages, the section menu between sections.
///
/// Cut once from a whole route (``init(route:index:isAnswered:)``), then brought up to date
/// after each answer by ``updated(route:answersChanged:index:isAnswered:)``, which only touches
/// the part of the route that changed and the answers that changed; whenever that would not
/// give exactly what cutting the new route whole gives (a page or section appears, disappears
/// or moves ahead of another), it cuts the route whole instead. The two are equal by test
/// (`FormPagesUpdateTests`, over random answer sequences).
public struct FormPages: Sendable, Equatable {
    public enum Key: Hashable, Sendable {
        case section(GroupID?)
        case roster(RosterKey)
        case grid(GroupID, rows: [Int])
    }

    /// A page or a section: addresses of the route, in route order, with their positions.
    protocol RouteStretch {
        var addresses: [Address] { get set }
        var positions: [Int] { get set }
    }

    public struct Page: Sendable, Equatable, RouteStretch {
        public var key: Key
        /// The page's questions and notes on the route, in route order.
        public var addresses: [Address]
        /// Where each of ``addresses`` stands in the route.
        var positions: [Int]
    }

    /// A top-level section on the route, with how far it is answered.
    public struct Section: Sendable, Equatable, RouteStretch {
        public var id: GroupID?
        public var addresses: [Address]
        /// Where each of ``addresses`` stands in the route.
        var positions: [Int]
        /// Questions (not notes) on route, and how many of them have an answer.
        public var questions: Int
        public var answered: Int
    }

    public private(set) var pages: [Page] = []
    public private(set) var sections: [Section] = []
    /// The route the pages were cut from.
    public private(set) var route: [Address] = []
    private var pageOf: [Address: Int] = [:]
    private var sectionOf: [Address: Int] = [:]
    private var pageIndex: [Key: Int] = [:]
    private var sectionIndex: [GroupID?: Int] = [:]
    /// The route's questions (as counted in ``Section/questions``) that have an answer.
    private var answered: Set<Address> = []
    /// How each variable met so far is paged: it depends on the definition alone, so it is kept
    /// from one update to the next.
    private var classes: [VariableName: Placement] = [:]

    /// Cuts a route into pages and sections; `isAnswered` says which addresses have an answer.
    /// Notes and the visit outcome (recorded when the visit ends) are not counted as questions.
    public init(route: [Address], index: SurveyIndex, isAnswered: (Address) -> Bool) {
        self.init(route: route, index: index, isAnswered: isAnswered, classes: [:])
    }

    private init(route: [Address], index: SurveyIndex, isAnswered: (Address) -> Bool, classes: [VariableName: Placement]) {
        self.classes = classes
        self.route = route
        for (position, address) in route.enumerated() {
            let place = placement(of: address.variable, index: index)
            let key = place.key(address)
            let p =
                pageIndex[key]
                ?? {
                    pages.append(Page(key: key, addresses: [], positions: []))
                    pageIndex[key] = pages.count - 1
                    return pages.count - 1
                }()
            pages[p].addresses.append(address)
            pages[p].positions.append(position)
            pageOf[address] = p
            let s =
                sectionIndex[place.section]
                ?? {
                    sections.append(Section(id: place.section, addresses: [], positions: [], questions: 0, answered: 0))
                    sectionIndex[place.section] = sections.count - 1
                    return sections.count - 1
                }()
            sections[s].addresses.append(address)
            sections[s].positions.append(position)
            sectionOf[address] = s
            if place.counted {
                sections[s].questions += 1
                if isAnswered(address) {
                    sections[s].answered += 1
                    answered.insert(address)
                }
            }
        }
    }

    public func page(of address: Address) -> Int? { pageOf[address] }
    public func section(of address: Address) -> Int? { sectionOf[address] }

    /// The pages of `route`, when only the answers at `answersChanged` differ from those these
    /// pages were cut with: equal to `FormPages(route: route, index: index, isAnswered: isAnswered)`,
    /// and made by changing only the stretch of the route that differs (and the sections' counts
    /// of the changed answers) whenever that gives the same pages.
    public func updated(
        route new: [Address], answersChanged: [Address], index: SurveyIndex, isAnswered: (Address) -> Bool
    ) -> FormPages {
        spliced(route: new, answersChanged: answersChanged, index: index, isAnswered: isAnswered)
            ?? FormPages(route: new, index: index, isAnswered: isAnswered, classes: classes)
    }

    /// The update made by changing what changed; nil when the pages must be cut whole.
    func spliced(
        route new: [Address], answersChanged: [Address], index: SurveyIndex, isAnswered: (Address) -> Bool
    ) -> FormPages? {
        var next = self
        guard next.splice(new, index: index, isAnswered: isAnswered) else { return nil }
        for address in answersChanged { next.recount(address, isAnswered: isAnswered) }
        return next
    }

    public static func == (a: FormPages, b: FormPages) -> Bool {
        a.route == b.route && a.pages == b.pages && a.sections == b.sections && a.pageOf == b.pageOf
            && a.sectionOf == b.sectionOf && a.pageIndex == b.pageIndex && a.sectionIndex == b.sectionIndex
            && a.answered == b.answered
    }

    // MARK: - Updating

    /// Replaces the stretch of the route between the common beginning and the common end of the
    /// old and the new route. False (and `self` half changed: drop it) when the change adds or
    /// empties a page or a section, or may change their order: every page and section it touches
    /// must have begun before the stretch.
    private mutating func splice(_ new: [Address], index: SurveyIndex, isAnswered: (Address) -> Bool) -> Bool {
        let old = route
        let shorter = min(old.count, new.count)
        var start = 0
        while start < shorter, old[start] == new[start] { start += 1 }
        if start == old.count, start == new.count { return true }
        var tail = 0
        while tail < shorter - start, old[old.count - 1 - tail] == new[new.count - 1 - tail] { tail += 1 }
        let removed = start..<(old.count - tail)
        let inserted = start..<(new.count - tail)

        var touchedPages = Set<Int>(), touchedSections = Set<Int>()
        var additions: [Int: [(Address, Int)]] = [:], sectionAdditions: [Int: [(Address, Int)]] = [:]
        for position in removed {
            guard let p = pageOf[old[position]], let s = sectionOf[old[position]] else { return false }
            touchedPages.insert(p)
            touchedSections.insert(s)
        }
        for position in inserted {
            let address = new[position]
            let place = placement(of: address.variable, index: index)
            guard let p = pageIndex[place.key(address)], let s = sectionIndex[place.section] else { return false }
            touchedPages.insert(p)
            touchedSections.insert(s)
            additions[p, default: []].append((address, position))
            sectionAdditions[s, default: []].append((address, position))
        }
        guard touchedPages.allSatisfy({ pages[$0].positions[0] < start }),
            touchedSections.allSatisfy({ sections[$0].positions[0] < start })
        else { return false }

        for position in removed {
            let address = old[position]
            if let s = sectionOf[address], placement(of: address.variable, index: index).counted {
                sections[s].questions -= 1
                if answered.remove(address) != nil { sections[s].answered -= 1 }
            }
            pageOf[address] = nil
            sectionOf[address] = nil
        }
        let shift = new.count - old.count
        for p in pages.indices {
            FormPages.splice(&pages[p], removed, additions[p] ?? [], shift: shift)
        }
        for s in sections.indices {
            FormPages.splice(&sections[s], removed, sectionAdditions[s] ?? [], shift: shift)
        }
        for (p, added) in additions { for (address, _) in added { pageOf[address] = p } }
        for (s, added) in sectionAdditions {
            for (address, _) in added {
                sectionOf[address] = s
                guard placement(of: address.variable, index: index).counted else { continue }
                sections[s].questions += 1
                if isAnswered(address) {
                    sections[s].answered += 1
                    answered.insert(address)
                }
            }
        }
        route = new
        return true
    }

    /// In one page's (or section's) addresses in route order: drops those in the `removed`
    /// stretch of the old route, puts `added` in their place, and moves the positions after them
    /// by `shift`.
    private static func splice<Part: RouteStretch>(_ part: inout Part, _ removed: Range<Int>, _ added: [(Address, Int)], shift: Int) {
        if added.isEmpty, (part.positions.last ?? -1) < removed.lowerBound { return }
        var at = part.positions.count
        while at > 0, part.positions[at - 1] >= removed.lowerBound { at -= 1 }
        var end = at
        while end < part.positions.count, part.positions[end] < removed.upperBound { end += 1 }
        for i in end..<part.positions.count { part.positions[i] += shift }
        part.addresses.replaceSubrange(at..<end, with: added.map(\.0))
        part.positions.replaceSubrange(at..<end, with: added.map(\.1))
    }

    /// Counts an answer that may have changed at an address of the route.
    private mutating func recount(_ address: Address, isAnswered: (Address) -> Bool) {
        guard let s = sectionOf[address], let place = classes[address.variable], place.counted else { return }
        let now = isAnswered(address)
        guard now != answered.contains(address) else { return }
        if now {
            answered.insert(address)
            sections[s].answered += 1
        } else {
            answered.remove(address)
            sections[s].answered -= 1
        }
    }

    // MARK: - Where a variable goes

    /// How the addresses of a variable are paged: its innermost grid or roster (with the rows of
    /// the rosters around it), else its innermost section; its top-level section; and whether it
    /// counts as a question (notes and the visit outcome do not).
    struct Placement: Sendable, Equatable {
        enum Page: Sendable, Equatable {
            case section(GroupID?)
            case grid(GroupID)
            case roster(GroupID, depth: Int)
        }

        var page: Page
        var section: GroupID?
        var counted: Bool

        func key(_ address: Address) -> Key {
            switch page {
            case .section(let id): .section(id)
            case .grid(let id): .grid(id, rows: address.rows)
            case .roster(let id, let depth): .roster(RosterKey(roster: id, parentRows: Array(address.rows.prefix(depth))))
            }
        }
    }

    private mutating func placement(of name: VariableName, index: SurveyIndex) -> Placement {
        if let known = classes[name] { return known }
        let made = FormPages.classify(name, index: index)
        classes[name] = made
        return made
    }

    private static func classify(_ name: VariableName, index: SurveyIndex) -> Placement {
        let outcome = name == index.definition.outcome?.variable
        guard let entry = index[name] else { return Placement(page: .section(nil), section: nil, counted: !outcome) }
        let counted = entry.question.kind != .note && !outcome
        let section = entry.ancestors.first { index.groups[$0]?.kind == .section }
        for id in entry.ancestors.reversed() {
            guard let group = index.groups[id] else { continue }
            switch group.kind {
            case .grid: return Placement(page: .grid(id), section: section, counted: counted)
            case .roster:
                return Placement(page: .roster(id, depth: index.groupRosters[id]?.count ?? 0), section: section, counted: counted)
            case .section: continue
            }
        }
        let innermost = entry.ancestors.last { index.groups[$0]?.kind == .section }
        return Placement(page: .section(innermost), section: section, counted: counted)
    }
}
