import InterviewEngine
import SurveyExport
import SurveyModel
import SurveyReport
import SurveyStore

/// The report's figures over the sample (``CaseFigures``): fed the cleaned interviews of the
/// report's one pass (only their case, device, interviewer, visits and outcome are kept, per
/// case), then joined with the sample's cases.
struct CaseTally {
    /// What the interviews of one case did.
    struct Worked {
        /// (visit, the device it was made on), of every interview of the case.
        var visits: [(visit: Visit, device: String)] = []
        var completed = false
        var interviewers: Set<String> = []
    }

    var byCase: [CaseID: Worked] = [:]
    var interviewsWithoutCase = 0
    /// Per device, the interviewers seen and the visits made (to any case, in the targets or not).
    var deviceVisits: [String: Int] = [:]
    var deviceInterviewers: [String: Set<String>] = [:]

    mutating func add(_ record: InterviewRecord, completed: Bool) {
        guard let id = record.caseID else {
            interviewsWithoutCase += 1
            return
        }
        var worked = byCase[id] ?? Worked()
        let device = record.device.rawValue
        for visit in record.visits { worked.visits.append((visit, device)) }
        worked.completed = worked.completed || completed
        worked.interviewers.insert(record.interviewer)
        byCase[id] = worked
        deviceVisits[device, default: 0] += record.visits.count
        deviceInterviewers[device, default: []].insert(record.interviewer)
    }

    /// The figures, over `sample` (the survey's cases), by `definition`'s targets and `final`
    /// rules, as of `today` (`periodOver`: the declared period ended before today).
    func figures(
        sample: [SampleCaseRecord], definition: SurveyDefinition, scope: AnswerCondition?, today: LocalDate, periodOver: Bool,
        staleDays: Int, language: LanguageCode
    ) -> CaseFigures {
        let targets = definition.targets ?? FieldworkTargets()
        var inScope = CaseCounts(sampled: 0, assigned: 0, visited: 0, final: 0, label: nil)
        var leftOut = CaseCounts(
            sampled: 0, assigned: 0, visited: 0, final: 0,
            label: targets.scope?.leftOut?.text(in: language, fallbacks: definition.languages))
        var open = 0, notVisited = 0, withdrawn = 0
        var byClass: [Disposition: Int] = [:]
        var workload: [String: CaseWorkload] = [:]
        var stale: [StaleCase] = []
        var byHour = Array(repeating: 0, count: 24), byWeekday = Array(repeating: 0, count: 7)
        // Per device, the visits to the cases outside the targets (the booster): apart from `visits`.
        var leftOutVisits: [String: Int] = [:]
        for c in sample {
            let worked = byCase[c.id]
            let counted = scope?.holds { c.values[$0].map(Answer.value) } ?? true
            if !counted { for (_, device) in worked?.visits ?? [] { leftOutVisits[device, default: 0] += 1 } }
            if c.withdrawn {
                withdrawn += 1
                continue
            }
            let visits = (worked?.visits ?? []).sorted { ($0.visit.start, $0.device) < ($1.visit.start, $1.device) }.map(\.visit)
            let standing = definition.standing(of: visits)
            func count(_ counts: inout CaseCounts) {
                counts.sampled += 1
                if c.device != nil { counts.assigned += 1 }
                if !visits.isEmpty { counts.visited += 1 }
                if standing.isFinal { counts.final += 1 }
            }
            guard counted else {
                count(&leftOut)
                continue
            }
            count(&inScope)
            for visit in visits {
                byHour[min(23, max(0, visit.start.time.minutes / 60))] += 1
                byWeekday[visit.start.date.isoWeekday - 1] += 1
            }
            if let device = c.device?.rawValue {
                var w =
                    workload[device]
                    ?? CaseWorkload(device: device, interviewers: [], assigned: 0, visited: 0, completed: 0, final: 0, visits: 0)
                w.assigned += 1
                if !visits.isEmpty { w.visited += 1 }
                if worked?.completed == true { w.completed += 1 }
                if standing.isFinal { w.final += 1 }
                workload[device] = w
            }
            switch standing {
            case .final(let code):
                if let d = targets.disposition(of: code) { byClass[d, default: 0] += 1 }
            case .notVisited:
                notVisited += 1
                if periodOver { byClass[.unknown, default: 0] += 1 }
            case .visitOpen, .appointment, .revisit:
                open += 1
                if periodOver { byClass[standing.outcome.flatMap(targets.disposition(of:)) ?? .unknown, default: 0] += 1 }
            }
            if !standing.isFinal, c.device != nil || !visits.isEmpty {
                let since = visits.last?.start.date ?? c.assignedAt.map { LocalClock.moment(at: $0).date }
                if let since, today.daysSinceEpoch - since.daysSinceEpoch >= staleDays {
                    stale.append(
                        StaleCase(
                            caseID: c.id.rawValue, device: c.device?.rawValue, lastVisit: visits.last.map { $0.start.date.description },
                            days: today.daysSinceEpoch - since.daysSinceEpoch))
                }
            }
        }
        for device in Set(deviceVisits.keys).union(workload.keys) {
            var w =
                workload[device]
                ?? CaseWorkload(device: device, interviewers: [], assigned: 0, visited: 0, completed: 0, final: 0, visits: 0)
            w.leftOutVisits = leftOutVisits[device] ?? 0
            w.visits = (deviceVisits[device] ?? 0) - w.leftOutVisits
            w.interviewers = (deviceInterviewers[device] ?? []).sorted()
            workload[device] = w
        }
        let rates = AAPORRates(byClass, declared: !targets.dispositions.isEmpty)
        return CaseFigures(
            sampled: inScope.sampled, assigned: inScope.assigned, visited: inScope.visited, final: inScope.final, open: open,
            notVisited: notVisited, withdrawn: withdrawn, interviewsWithoutCase: interviewsWithoutCase, periodOver: periodOver,
            dispositions: Dictionary(uniqueKeysWithValues: byClass.map { ($0.key.rawValue, $0.value) }), rr1: rates.rr1,
            ref1: rates.ref1, con1: rates.con1, leftOut: leftOut.sampled > 0 ? leftOut : nil,
            workload: workload.values.sorted { $0.device < $1.device },
            stale: stale.sorted { ($1.days, $0.caseID) < ($0.days, $1.caseID) }, staleDays: staleDays,
            visitsByHour: byHour, visitsByWeekday: byWeekday)
    }
}

/// AAPOR RR1, REF1 and CON1 from counts per disposition class (Standard Definitions): nil
/// without declared dispositions or with a 0 denominator.
struct AAPORRates {
    var rr1: Double?
    var ref1: Double?
    var con1: Double?

    init(_ byClass: [Disposition: Int], declared: Bool) {
        let n = { (d: Disposition) in Double(byClass[d] ?? 0) }
        let interviews = n(.complete) + n(.partial)
        let eligible = interviews + n(.refusal) + n(.noncontact) + n(.other) + n(.unknown)
        func rate(_ numerator: Double, _ denominator: Double) -> Double? {
            declared && denominator > 0 ? numerator / denominator : nil
        }
        rr1 = rate(n(.complete), eligible)
        ref1 = rate(n(.refusal), eligible)
        con1 = rate(interviews + n(.refusal) + n(.other), eligible)
    }
}
