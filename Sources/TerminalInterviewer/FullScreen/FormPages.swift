import InterviewEngine
import SurveyModel

/// The route cut into the pages of the form, and into sections, for one state of the interview.
///
/// A page is what the form pane shows at once: a section's own questions, every row of a roster
/// (a table: one row per member), or a grid (a table: one row per item). PgUp/PgDn move between
/// pages, the section menu between sections.
public struct FormPages: Sendable {
    public enum Key: Hashable, Sendable {
        case section(GroupID?)
        case roster(RosterKey)
        case grid(GroupID, rows: [Int])
    }

    public struct Page: Sendable {
        public var key: Key
        /// The page's questions and notes on the route, in route order.
        public var addresses: [Address]
    }

    /// A top-level section on the route, with how far it is answered.
    public struct Section: Sendable {
        public var id: GroupID?
        public var addresses: [Address]
        /// Questions (not notes) on route, and how many of them have an answer.
        public var questions: Int
        public var answered: Int
    }

    public private(set) var pages: [Page] = []
    public private(set) var sections: [Section] = []
    private var pageOf: [Address: Int] = [:]
    private var sectionOf: [Address: Int] = [:]

    /// Cuts a route into pages and sections; `isAnswered` says which addresses have an answer.
    /// Notes and the visit outcome (recorded when the visit ends) are not counted as questions.
    public init(route: [Address], index: SurveyIndex, isAnswered: (Address) -> Bool) {
        let outcome = index.definition.outcome?.variable
        var pageIndex: [Key: Int] = [:]
        var sectionIndex: [GroupID?: Int] = [:]
        var keys: [VariableName: (page: (Address) -> Key, section: GroupID?, note: Bool)] = [:]
        for address in route {
            let info =
                keys[address.variable]
                ?? {
                    let made = FormPages.classify(address.variable, index: index)
                    keys[address.variable] = made
                    return made
                }()
            let key = info.page(address)
            let p =
                pageIndex[key]
                ?? {
                    pages.append(Page(key: key, addresses: []))
                    pageIndex[key] = pages.count - 1
                    return pages.count - 1
                }()
            pages[p].addresses.append(address)
            pageOf[address] = p
            let s =
                sectionIndex[info.section]
                ?? {
                    sections.append(Section(id: info.section, addresses: [], questions: 0, answered: 0))
                    sectionIndex[info.section] = sections.count - 1
                    return sections.count - 1
                }()
            sections[s].addresses.append(address)
            sectionOf[address] = s
            if !info.note, address.variable != outcome {
                sections[s].questions += 1
                if isAnswered(address) { sections[s].answered += 1 }
            }
        }
    }

    public func page(of address: Address) -> Int? { pageOf[address] }
    public func section(of address: Address) -> Int? { sectionOf[address] }

    /// How an address of a variable is paged: its innermost grid or roster (with the rows of the
    /// rosters around it), else its section; and its top-level section.
    private static func classify(_ name: VariableName, index: SurveyIndex) -> (page: (Address) -> Key, section: GroupID?, note: Bool) {
        guard let entry = index[name] else { return ({ _ in .section(nil) }, nil, false) }
        let note = entry.question.kind == .note
        let section = entry.ancestors.first { index.groups[$0]?.kind == .section }
        for id in entry.ancestors.reversed() {
            guard let group = index.groups[id] else { continue }
            switch group.kind {
            case .grid:
                return ({ .grid(id, rows: $0.rows) }, section, note)
            case .roster:
                let depth = index.groupRosters[id]?.count ?? 0
                return ({ .roster(RosterKey(roster: id, parentRows: Array($0.rows.prefix(depth)))) }, section, note)
            case .section:
                continue
            }
        }
        let innermost = entry.ancestors.last { index.groups[$0]?.kind == .section }
        return ({ _ in .section(innermost) }, section, note)
    }
}
