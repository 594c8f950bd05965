/// When a case is final, as declared in the questionnaire's `targets { final { … } }` block:
/// which outcome codes keep the case open (an appointment, a revisit), and which become final
/// only after enough visits (brief 1 §9: a non-contact only after 3 visits on different days,
/// at least one of them from 17:00 or at a weekend). Every other code is final at once.
public struct VisitRules: Hashable, Sendable, Codable {
    /// Codes meaning an appointment was made: the case stays open ("appointment").
    public var appointment: [Int]
    /// Codes after which the case is visited again: it stays open ("visited N times").
    public var revisit: [Int]
    /// Codes final only once their visits are enough.
    public var requirements: [VisitRequirement]

    public init(appointment: [Int] = [], revisit: [Int] = [], requirements: [VisitRequirement] = []) {
        self.appointment = appointment
        self.revisit = revisit
        self.requirements = requirements
    }

    /// Where a case stands after these visits (in order; the last one decides).
    public func standing(of visits: [Visit]) -> CaseStanding {
        guard let last = visits.last else { return .notVisited }
        guard let outcome = last.outcome else { return .visitOpen }
        if appointment.contains(outcome) { return .appointment(outcome) }
        if revisit.contains(outcome) { return .revisit(outcome) }
        if let rule = requirements.first(where: { $0.codes.contains(outcome) }), !rule.isMet(by: visits) {
            return .revisit(outcome)
        }
        return .final(outcome)
    }
}

/// `23 after 3 visits on different days, 1 from @17:00 or weekend`: the codes are final only
/// after this many visits (counting each local day once when `differentDays`), of which at
/// least `late` began from `eveningFrom` or on a Saturday or Sunday (when `weekend`).
public struct VisitRequirement: Hashable, Sendable, Codable {
    public var codes: [Int]
    public var visits: Int
    public var differentDays: Bool
    /// How many of the visits must be late ones (0: no such condition).
    public var late: Int
    /// A visit beginning at or after this time of day is a late one.
    public var eveningFrom: TimeOfDay?
    /// A visit on a Saturday or Sunday is a late one.
    public var weekend: Bool

    public init(
        codes: [Int], visits: Int, differentDays: Bool = false, late: Int = 0, eveningFrom: TimeOfDay? = nil,
        weekend: Bool = false
    ) {
        self.codes = codes
        self.visits = visits
        self.differentDays = differentDays
        self.late = late
        self.eveningFrom = eveningFrom
        self.weekend = weekend
    }

    /// Whether a visit counts toward `late`.
    public func isLate(_ visit: Visit) -> Bool {
        if let eveningFrom, visit.start.time >= eveningFrom { return true }
        return weekend && visit.start.date.isoWeekday >= 6
    }

    /// Whether the visits satisfy the requirement.
    public func isMet(by visits: [Visit]) -> Bool {
        let count = differentDays ? Set(visits.map(\.start.date)).count : visits.count
        return count >= self.visits && visits.count(where: isLate) >= late
    }
}

/// Where a case stands, from its visits and the questionnaire's ``VisitRules``.
public enum CaseStanding: Hashable, Sendable {
    /// No visit yet.
    case notVisited
    /// A visit has begun and has no outcome yet (an interview in progress).
    case visitOpen
    /// The last visit ended with an appointment code: the case stays open.
    case appointment(Int)
    /// The last visit's code keeps the case open for another visit.
    case revisit(Int)
    /// The last visit's code is final.
    case final(Int)

    /// The last visit's outcome code, if it has one.
    public var outcome: Int? {
        switch self {
        case .notVisited, .visitOpen: nil
        case .appointment(let c), .revisit(let c), .final(let c): c
        }
    }

    public var isFinal: Bool { if case .final = self { true } else { false } }
}

extension SurveyDefinition {
    /// Where a case stands after these visits: by the declared `final` rules, else every
    /// outcome code is final.
    public func standing(of visits: [Visit]) -> CaseStanding {
        (targets?.visitRules ?? VisitRules()).standing(of: visits)
    }
}
