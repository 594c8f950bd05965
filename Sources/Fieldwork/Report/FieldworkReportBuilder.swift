import Foundation
import InterviewEngine
import SurveyExport
import SurveyModel
import SurveyReport
import SurveyStore

/// Builds the figures of `terep report` for one survey of a central dataset.
///
/// Reads the interviews through ``CleanedDataset`` with every status selected (the cleaning of
/// `terep export --status all`: training interviews, interviews a corrections file excludes
/// and interviews whose `started` event has not arrived are left out and counted in
/// ``ReportSelection/excluded``), in one streaming pass that keeps only running totals per
/// interviewer, question, day, outcome code and quota cell. Sync figures come from the central
/// dataset's device and bundle records. The clock is not read: ``today`` and ``time`` say when
/// "now" is.
public struct FieldworkReportBuilder: Sendable {
    public var central: any CentralDataset
    public var survey: SurveyID
    /// The label language; nil: the survey's first.
    public var language: LanguageCode?
    /// The corrections file's text (as `terep export` applies it) and its name for messages.
    public var correctionsText: String?
    public var correctionsFile: String
    /// The local day and time the report is made at.
    public var today: LocalDate
    public var time: TimeOfDay
    /// Questions with a (DK + RF) share above this are flagged.
    public var threshold: Double
    /// An open case with no visit for this many days is listed (``CaseFigures/stale``).
    public var staleDays = 7

    /// Completed below this share of the expected count is behind schedule.
    public static let behindShare = 0.9
    /// The working day when the questionnaire declares none.
    public static let defaultWorkingHours = TimeRange(from: TimeOfDay(hour: 7, minute: 0), to: TimeOfDay(hour: 21, minute: 0))

    public init(
        central: any CentralDataset, survey: SurveyID, language: LanguageCode? = nil, correctionsText: String? = nil,
        correctionsFile: String = "corrections", today: LocalDate, time: TimeOfDay = TimeOfDay(hour: 0, minute: 0),
        threshold: Double = 0.10
    ) {
        self.central = central
        self.survey = survey
        self.language = language
        self.correctionsText = correctionsText
        self.correctionsFile = correctionsFile
        self.today = today
        self.time = time
        self.threshold = threshold
    }

    /// Reads the dataset once and computes every figure.
    public func build() throws(FieldworkError) -> FieldworkReport {
        guard threshold >= 0, threshold <= 1 else { throw .usage("--threshold: \(threshold) is not a share between 0 and 1") }
        guard (1...3_650).contains(staleDays) else { throw .usage("--stale-days: \(staleDays) is not a number of days from 1 to 3650") }
        var dataset = try CleanedDataset(
            central: central, survey: survey, version: .all, statuses: .all, correctionsText: correctionsText,
            correctionsFile: correctionsFile)
        dataset.withParadata = false
        let definition = dataset.schemaDefinition.definition
        let lang = try resolvedLanguage(definition)
        let targets = definition.targets ?? FieldworkTargets()
        var codes: [DefinitionHash: Int] = [:]
        for d in dataset.definitions { codes[d.hash] = d.definition.outcome?.completeCode }
        let index = SurveyIndex(definition)
        let labels = ReportLabels(index: index, language: lang)
        let schedule = Schedule(period: targets.period, today: today)
        var totals = ReportAccumulator(
            index: index, completeCodes: codes, periodOver: schedule.isOver, targets: targets,
            workingHours: targets.workingHours ?? Self.defaultWorkingHours, plan: InterviewPlan(definition))
        var tally = CaseTally()
        let summary = try dataset.forEach { record in
            totals.add(record)
            tally.add(record, completed: totals.status(of: record) == .completed)
        }
        let sample: [SampleCaseRecord]
        do { sample = try central.sampleCases(survey: survey) } catch { throw .store(error) }

        let selection = ReportSelection(
            interviews: dataset.interviewCount, included: totals.included, completed: totals.completed, ended: totals.ended,
            inProgress: totals.inProgress, excluded: Self.excludedCounts(summary),
            versions: dataset.definitions.filter { (summary.byDefinition[$0.hash] ?? 0) > 0 }
                .map { "\($0.definition.version) (\($0.hash.short))" },
            correctionsFile: dataset.correctionsFile)
        let progress = Self.progress(totals, target: targets.total, schedule: schedule)
        let quotas = targets.quotas.enumerated().map { q, quota in
            var figures = Self.quotaFigures(quota, counts: totals.quotaCells[q], labels: labels, schedule: schedule)
            if let s = quota.scope {
                figures.condition = s.text
                figures.leftOut = totals.quotaLeftOut[q]
            }
            return figures
        }
        let scope = targets.scope.map { s in
            ScopeFigures(
                condition: s.text, label: s.leftOut?.text(in: lang, fallbacks: definition.languages),
                interviews: totals.leftOut.interviews, completed: totals.leftOut.completed, ended: totals.leftOut.ended,
                inProgress: totals.leftOut.inProgress)
        }
        let outcomes = Self.outcomeFigures(totals, targets: targets, labels: labels)
        let (interviewers, limit) = Self.interviewerFigures(totals, declaredSpeederMinutes: targets.speederMinutes)
        let sync = try syncFigures(targets: targets, speederMinutes: limit)
        let items = ItemFigures(threshold: threshold, items: Self.itemFigures(totals, labels: labels))
        var report = FieldworkReport(
            survey: survey.rawValue, title: definition.title.text(in: lang, fallbacks: definition.languages) ?? survey.rawValue,
            language: lang.rawValue, generatedAt: "\(today)T\(time)", today: today.description, selection: selection,
            progress: progress, quotas: quotas, outcomes: outcomes, interviewers: interviewers, sync: sync, items: items,
            alerts: [], scope: scope)
        if !sample.isEmpty {
            report.cases = tally.figures(
                sample: sample, definition: definition, scope: totals.scope, today: today, periodOver: schedule.isOver,
                staleDays: staleDays, language: lang)
        }
        report.alerts = ReportAlerts.alerts(for: report)
        return report
    }

    private func resolvedLanguage(_ definition: SurveyDefinition) throws(FieldworkError) -> LanguageCode {
        guard let language else { return definition.languages.first ?? LanguageCode("en") }
        guard definition.languages.contains(language) else {
            throw .usage(
                "--lang: survey \(survey) has no language '\(language)' (it has \(definition.languages.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return language
    }

    static func excludedCounts(_ summary: CleaningSummary) -> [String: Int] {
        var out: [String: Int] = [:]
        for (reason, count) in summary.excluded {
            let key: String
            switch reason {
            case .training: key = "training"
            case .corrections: key = "corrections"
            case .notStarted: key = "not_started"
            case .version: key = "version"
            case .status(let s): key = "status_\(s.rawValue)"
            }
            out[key, default: 0] += count
        }
        return out
    }

    // MARK: - Progress and quotas

    static func progress(_ totals: ReportAccumulator, target: Int?, schedule: Schedule) -> ProgressFigures {
        let seen = totals.completesPerDay.keys
        let first = [seen.min(), schedule.period?.first].compactMap { $0 }.min()
        let last = [seen.max(), schedule.today].compactMap { $0 }.max() ?? schedule.today
        var days: [ProgressDay] = []
        if let first, first <= last {
            var cumulative = 0
            var day = first
            while day <= last {
                let n = totals.completesPerDay[day] ?? 0
                cumulative += n
                days.append(
                    ProgressDay(
                        date: day.description, completed: n, cumulative: cumulative, expected: schedule.expected(target, by: day)))
                day = day.adding(days: 1)
            }
        }
        let expected = schedule.expected(target, by: schedule.today)
        return ProgressFigures(
            completed: totals.scopedCompleted, target: target, periodFirst: schedule.period?.first.description,
            periodLast: schedule.period?.last.description, expectedToday: expected,
            behindSchedule: isBehind(totals.scopedCompleted, expected: expected), days: days)
    }

    static func isBehind(_ completed: Int, expected: Double?) -> Bool {
        guard let expected, expected > 0 else { return false }
        return Double(completed) < behindShare * expected
    }

    /// Declared cells (declaration order), then, for a quota with `each` on choice variables,
    /// every other combination of their options, then cells seen only in the data (sorted).
    static func quotaFigures(_ quota: Quota, counts: [[QuotaValue]: Int], labels: ReportLabels, schedule: Schedule) -> QuotaFigures {
        var order = quota.cells.map(\.values)
        var listed = Set(order)
        if quota.each != nil || labels.isMultipleChoiceBreakdown(quota), let all = labels.optionProduct(quota.variables) {
            for values in all where !listed.contains(values) {
                order.append(values)
                listed.insert(values)
            }
        }
        order += counts.keys.filter { !listed.contains($0) }.sorted { $0.lexicographicallyPrecedes($1) }
        let cells = order.map { values in
            let completed = counts[values] ?? 0
            let target = quota.target(of: values)
            let expected = schedule.expected(target, by: schedule.today)
            return QuotaCellFigures(
                values: values.map(\.description), label: labels.cellLabel(quota, values), completed: completed,
                target: target, expectedToday: expected, behindSchedule: isBehind(completed, expected: expected))
        }
        return QuotaFigures(name: quota.name, variables: quota.variables.map(\.rawValue), cells: cells)
    }

    // MARK: - Outcomes

    static func outcomeFigures(_ totals: ReportAccumulator, targets: FieldworkTargets, labels: ReportLabels) -> OutcomeFigures {
        let codes = Set(totals.outcomes.keys).union(totals.notFinal.keys).union(targets.dispositions.map(\.code)).sorted()
        var byClass: [Disposition: Int] = [:]
        var unclassified = 0
        for (code, count) in totals.outcomes {
            if let d = targets.disposition(of: code) { byClass[d, default: 0] += count } else { unclassified += count }
        }
        let rates = AAPORRates(byClass, declared: !targets.dispositions.isEmpty)
        return OutcomeFigures(
            codes: codes.map { code in
                OutcomeCount(
                    code: code, label: labels.outcomeLabel(code), disposition: targets.disposition(of: code)?.rawValue,
                    count: totals.outcomes[code] ?? 0, notFinal: totals.notFinal[code] ?? 0)
            },
            inProgress: totals.inProgress - totals.leftOut.inProgress, notFinal: totals.notFinal.values.reduce(0, +),
            dispositions: Dictionary(uniqueKeysWithValues: byClass.map { ($0.key.rawValue, $0.value) }),
            unclassified: unclassified, rr1: rates.rr1, ref1: rates.ref1, con1: rates.con1)
    }

    // MARK: - Interviewers and items

    /// Per-interviewer figures (by id) and the speeder limit used.
    static func interviewerFigures(
        _ totals: ReportAccumulator, declaredSpeederMinutes: Int?
    ) -> ([InterviewerFigures], Double?) {
        let limit =
            declaredSpeederMinutes.map(Double.init)
            ?? median(totals.interviewers.values.flatMap(\.minutes)).map { $0 / 3 }
        let figures = totals.interviewers.keys.sorted().map { id in
            let t = totals.interviewers[id] ?? InterviewerTally()
            return InterviewerFigures(
                interviewer: id, devices: t.devices.sorted(), interviews: t.interviews, completed: t.completed,
                medianMinutes: median(t.minutes), answers: t.answers, dontKnow: t.dontKnow, refused: t.refused,
                softChecksConfirmed: t.softChecks, speeders: limit.map { l in t.minutes.count { $0 < l } } ?? 0,
                outsideHours: t.outsideHours)
        }
        return (figures, limit)
    }

    static func itemFigures(_ totals: ReportAccumulator, labels: ReportLabels) -> [ItemNonResponse] {
        totals.index.questionsInOrder.compactMap { name in
            guard let t = totals.item(name), t.answered > 0 else { return nil }
            return ItemNonResponse(
                variable: name.rawValue, label: labels.variableLabel(name), answered: t.answered, dontKnow: t.dontKnow,
                refused: t.refused)
        }
    }

    // MARK: - Sync

    func syncFigures(targets: FieldworkTargets, speederMinutes: Double?) throws(FieldworkError) -> SyncFigures {
        let status: CentralStatus
        let bundles: [BundleRecord]
        let conflicts: [InterviewID]
        do {
            status = try central.status()
            bundles = try central.bundles()
            conflicts = try central.conflictIDs(survey: survey)
        } catch { throw .store(error) }
        let devices = status.devices.map { d in
            let last = bundles.first { $0.accepted && $0.device == d.device.id }
            return DeviceFigures(
                device: d.device.id.rawValue, status: d.device.status.rawValue, events: d.eventCount,
                lastBundleAt: last.map { LocalClock.text($0.receivedAt) }, lastBundleFile: last?.fileName,
                daysSinceLastBundle: last.map { max(0, today.daysSinceEpoch - LocalClock.moment(at: $0.receivedAt).date.daysSinceEpoch) },
                missing: d.missing.map(SequenceRanges.text))
        }
        let rejected = bundles.filter { !$0.accepted }.map {
            RejectedBundle(file: $0.fileName, device: $0.device?.rawValue, reason: $0.reason ?? "", at: LocalClock.text($0.receivedAt))
        }
        let hours = targets.workingHours ?? Self.defaultWorkingHours
        return SyncFigures(
            devices: devices, rejectedBundles: rejected, acceptedBundles: bundles.count(where: \.accepted),
            conflicts: conflicts.map(\.rawValue),
            speederMinutes: speederMinutes, speederRule: targets.speederMinutes == nil ? "median/3" : "declared",
            workingHours: "\(hours.from)–\(hours.to)", workingHoursDeclared: targets.workingHours != nil)
    }
}

/// The declared fieldwork period against today: the share of it elapsed by the end of a day.
struct Schedule {
    var period: DateRange?
    var today: LocalDate

    /// The share of the period elapsed at the end of `day` (0 before it starts, 1 after it ends).
    func elapsed(by day: LocalDate) -> Double? {
        guard let period else { return nil }
        let length = period.last.daysSinceEpoch - period.first.daysSinceEpoch + 1
        guard length > 0 else { return nil }
        let done = day.daysSinceEpoch - period.first.daysSinceEpoch + 1
        return min(1, max(0, Double(done) / Double(length)))
    }

    /// Whether the declared period ended before today.
    var isOver: Bool { period.map { $0.last < today } ?? false }

    /// A target × the elapsed share by the end of `day`, when both are known.
    func expected(_ target: Int?, by day: LocalDate) -> Double? {
        guard let target, let share = elapsed(by: day) else { return nil }
        return Double(target) * share
    }
}
