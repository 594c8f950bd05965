/// One instance of a roster: the roster under given rows of its enclosing rosters (empty for
/// a top-level roster). The engine lists the open ones; a cleaned interview counts their rows.
public struct RosterInstance: Hashable, Sendable {
    public var roster: GroupID
    public var parentRows: [Int]

    public init(_ roster: GroupID, parentRows: [Int] = []) {
        self.roster = roster
        self.parentRows = parentRows
    }
}
