/// The sample's cases in the report (`"cases"` in `terep report --format json`): how far the
/// fieldwork has got through the sample, the AAPOR rates over the whole sample, each device's
/// workload, cases left without a visit, and when the visits were made (to audit the visit rules).
///
/// A case's visits are those of every interview started for it (on any device), in time order;
/// the questionnaire's `final` rules over them say whether it is final. Withdrawn cases are out
/// of the sample; the targets' `where` (evaluated on the preloaded values) leaves cases out of
/// the rates, counted apart in ``leftOut`` (the well-being study's event booster).
public struct CaseFigures: Codable, Hashable, Sendable {
    /// Cases of the sample in scope (withdrawn ones not counted).
    public var sampled: Int
    /// Of those, assigned to a device now.
    public var assigned: Int
    /// Visited at least once.
    public var visited: Int
    /// Whose last outcome closes the case (the `final` rules).
    public var final: Int
    /// Visited, not final yet (an appointment, a revisit, a visit in progress, a non-contact
    /// before its visits are enough).
    public var open: Int
    /// Never visited (assigned or not): not yet worked while the period runs; of unknown
    /// eligibility in the rates once it is over.
    public var notVisited: Int
    /// Taken out of the sample (their data stay).
    public var withdrawn: Int
    /// Interviews of the survey started for no case of the sample (not in these figures).
    public var interviewsWithoutCase: Int
    /// Whether the declared period is over (open and unvisited cases then count in the rates).
    public var periodOver: Bool
    /// Cases per disposition class in the rates (keys: ``Disposition`` raw values; open and
    /// unvisited cases as `unknown` once the period is over).
    public var dispositions: [String: Int]
    /// AAPOR RR1, REF1, CON1 over the sample (nil without declared dispositions or with a 0
    /// denominator).
    public var rr1: Double?
    public var ref1: Double?
    public var con1: Double?
    /// The same counts for the cases the targets' `where` leaves out (nil when it leaves none
    /// or there is no `where`).
    public var leftOut: CaseCounts?
    /// One row per device that holds or worked cases.
    public var workload: [CaseWorkload]
    /// Open cases (visited or assigned, not final) with no visit for ``staleDays`` days or more.
    public var stale: [StaleCase]
    public var staleDays: Int
    /// Visits (of every case in scope) by the hour they began, 0–23.
    public var visitsByHour: [Int]
    /// Visits by the day of the week they began, Monday first.
    public var visitsByWeekday: [Int]

    public init(
        sampled: Int, assigned: Int, visited: Int, final: Int, open: Int, notVisited: Int, withdrawn: Int,
        interviewsWithoutCase: Int, periodOver: Bool, dispositions: [String: Int], rr1: Double?, ref1: Double?,
        con1: Double?, leftOut: CaseCounts?, workload: [CaseWorkload], stale: [StaleCase], staleDays: Int,
        visitsByHour: [Int], visitsByWeekday: [Int]
    ) {
        self.sampled = sampled
        self.assigned = assigned
        self.visited = visited
        self.final = final
        self.open = open
        self.notVisited = notVisited
        self.withdrawn = withdrawn
        self.interviewsWithoutCase = interviewsWithoutCase
        self.periodOver = periodOver
        self.dispositions = dispositions
        self.rr1 = rr1
        self.ref1 = ref1
        self.con1 = con1
        self.leftOut = leftOut
        self.workload = workload
        self.stale = stale
        self.staleDays = staleDays
        self.visitsByHour = visitsByHour
        self.visitsByWeekday = visitsByWeekday
    }
}

/// Case counts of a part of the sample.
public struct CaseCounts: Codable, Hashable, Sendable {
    public var sampled: Int
    public var assigned: Int
    public var visited: Int
    public var final: Int
    /// The label of the part (the targets' `else` label), if declared.
    public var label: String?

    public init(sampled: Int, assigned: Int, visited: Int, final: Int, label: String?) {
        self.sampled = sampled
        self.assigned = assigned
        self.visited = visited
        self.final = final
        self.label = label
    }
}

/// One device's cases: those it holds now and what has been done with them.
public struct CaseWorkload: Codable, Hashable, Sendable {
    public var device: String
    /// The interviewers whose interviews of these cases came from the device.
    public var interviewers: [String]
    /// Cases assigned to it now.
    public var assigned: Int
    /// Of those, visited, with a completed interview, final.
    public var visited: Int
    public var completed: Int
    public var final: Int
    /// Visits made on the device to cases of the sample the targets count (its own now or not);
    /// the visits to the cases outside the targets (the event booster) are ``leftOutVisits``,
    /// like the booster's cases, which are outside the other columns.
    public var visits: Int
    /// Visits made on the device to the cases outside the targets (``CaseFigures/leftOut``).
    public var leftOutVisits: Int

    public init(
        device: String, interviewers: [String], assigned: Int, visited: Int, completed: Int, final: Int, visits: Int,
        leftOutVisits: Int = 0
    ) {
        self.device = device
        self.interviewers = interviewers
        self.assigned = assigned
        self.visited = visited
        self.completed = completed
        self.final = final
        self.visits = visits
        self.leftOutVisits = leftOutVisits
    }
}

/// A case still open that nobody has visited for a while.
public struct StaleCase: Codable, Hashable, Sendable {
    public var caseID: String
    /// The device holding it (nil: not assigned).
    public var device: String?
    /// The local date of its last visit (nil: never visited; then counted from its assignment).
    public var lastVisit: String?
    /// Days since the last visit (or since it was assigned).
    public var days: Int

    public init(caseID: String, device: String?, lastVisit: String?, days: Int) {
        self.caseID = caseID
        self.device = device
        self.lastVisit = lastVisit
        self.days = days
    }
}
