import SurveyModel

/// The figures of `terep report`: fieldwork progress, quotas, visit outcomes and response
/// rates, per-interviewer data quality, sync health and item non-response of one survey.
///
/// Built by ``FieldworkReportBuilder`` from one pass over a ``CleanedDataset`` (the cleaning of
/// `terep export`, so every count equals what the export holds) plus the central dataset's
/// sync records. Language-neutral apart from the labels, which are resolved in ``language``.
/// Rendered as 80-column text (``FieldworkReportText``), one self-contained HTML file
/// (``FieldworkReportHTML``) or JSON (its `Codable` form, sorted keys).
public struct FieldworkReport: Codable, Hashable, Sendable {
    /// The survey id.
    public var survey: String
    /// The survey title in ``language``.
    public var title: String
    /// The language of labels and of the rendered report (`hu` or `en`).
    public var language: String
    /// When the report was made, local time `YYYY-MM-DDTHH:MM` (passed in, not read inside).
    public var generatedAt: String
    /// The local day the report counts "today" for schedules, `YYYY-MM-DD`.
    public var today: String
    /// Which interviews the figures cover.
    public var selection: ReportSelection
    /// The interviews the targets' `where` leaves out of the progress, quotas and rates,
    /// counted apart (nil when the targets count every interview).
    public var scope: ScopeFigures?
    public var progress: ProgressFigures
    public var quotas: [QuotaFigures]
    public var outcomes: OutcomeFigures
    public var interviewers: [InterviewerFigures]
    public var sync: SyncFigures
    public var items: ItemFigures
    /// The sample's cases (nil when the survey has no sample in the central dataset).
    public var cases: CaseFigures?
    /// Everything the coordinator should look at, most serious first.
    public var alerts: [ReportAlert]

    public init(
        survey: String, title: String, language: String, generatedAt: String, today: String,
        selection: ReportSelection, progress: ProgressFigures, quotas: [QuotaFigures], outcomes: OutcomeFigures,
        interviewers: [InterviewerFigures], sync: SyncFigures, items: ItemFigures, alerts: [ReportAlert],
        scope: ScopeFigures? = nil
    ) {
        self.scope = scope
        self.survey = survey
        self.title = title
        self.language = language
        self.generatedAt = generatedAt
        self.today = today
        self.selection = selection
        self.progress = progress
        self.quotas = quotas
        self.outcomes = outcomes
        self.interviewers = interviewers
        self.sync = sync
        self.items = items
        self.alerts = alerts
    }
}

/// The interviews behind the figures: the central dataset's interviews of the survey, minus
/// training interviews, interviews not started and interviews a corrections file excludes.
public struct ReportSelection: Codable, Hashable, Sendable {
    /// Interviews of the survey in the central dataset.
    public var interviews: Int
    /// Interviews the figures cover (every status).
    public var included: Int
    /// Of those, completed (the complete outcome code): what `terep export` exports by default.
    public var completed: Int
    /// Ended with another outcome.
    public var ended: Int
    /// Still in progress (no final outcome yet).
    public var inProgress: Int
    /// Left out, by reason (`training`, `corrections`, `not_started`, `version`).
    public var excluded: [String: Int]
    /// Definition versions seen, e.g. `2026.1 (3f2a…)`.
    public var versions: [String]
    /// The corrections file applied, if any.
    public var correctionsFile: String?

    public init(
        interviews: Int, included: Int, completed: Int, ended: Int, inProgress: Int, excluded: [String: Int],
        versions: [String], correctionsFile: String?
    ) {
        self.interviews = interviews
        self.included = included
        self.completed = completed
        self.ended = ended
        self.inProgress = inProgress
        self.excluded = excluded
        self.versions = versions
        self.correctionsFile = correctionsFile
    }
}

/// The interviews a `where` condition leaves out of the figures it limits, counted apart (the
/// well-being survey's event booster beside the address sample).
public struct ScopeFigures: Codable, Hashable, Sendable {
    /// The condition as written in the questionnaire, e.g. `sample_source == 1`.
    public var condition: String
    /// What the questionnaire calls the interviews left out, in the report language.
    public var label: String?
    /// Left out, by status.
    public var interviews: Int
    public var completed: Int
    public var ended: Int
    public var inProgress: Int

    public init(condition: String, label: String?, interviews: Int, completed: Int, ended: Int, inProgress: Int) {
        self.condition = condition
        self.label = label
        self.interviews = interviews
        self.completed = completed
        self.ended = ended
        self.inProgress = inProgress
    }
}

/// Completed interviews per day against the target.
public struct ProgressFigures: Codable, Hashable, Sendable {
    /// Completed interviews (status completed).
    public var completed: Int
    /// The declared total target, if any.
    public var target: Int?
    /// The declared fieldwork period, `YYYY-MM-DD`.
    public var periodFirst: String?
    public var periodLast: String?
    /// Completes expected by ``FieldworkReport/today`` at an even pace over the period.
    public var expectedToday: Double?
    /// Completed below 90 % of the expected count.
    public var behindSchedule: Bool
    /// One entry per day from the first completion (or the period's start) to today or the
    /// last completion, whichever is later; days without completions included.
    public var days: [ProgressDay]

    public init(
        completed: Int, target: Int?, periodFirst: String?, periodLast: String?, expectedToday: Double?,
        behindSchedule: Bool, days: [ProgressDay]
    ) {
        self.completed = completed
        self.target = target
        self.periodFirst = periodFirst
        self.periodLast = periodLast
        self.expectedToday = expectedToday
        self.behindSchedule = behindSchedule
        self.days = days
    }
}

/// One day of progress: completions that day (by local end date) and the running total.
public struct ProgressDay: Codable, Hashable, Sendable {
    /// `YYYY-MM-DD`.
    public var date: String
    public var completed: Int
    public var cumulative: Int
    /// The target line at the end of this day (even pace over the period), if a period and a
    /// total are declared.
    public var expected: Double?

    public init(date: String, completed: Int, cumulative: Int, expected: Double?) {
        self.date = date
        self.completed = completed
        self.cumulative = cumulative
        self.expected = expected
    }
}

/// Completed interviews per cell of one quota (or monitored breakdown).
public struct QuotaFigures: Codable, Hashable, Sendable {
    public var name: String
    public var variables: [String]
    /// Declared cells first (declaration order), then cells seen only in the data (sorted);
    /// completes with a variable unanswered, DK or RF fall in a cell whose values say so
    /// (`-8`, `-9`, `.`).
    public var cells: [QuotaCellFigures]
    /// The quota's own `where` condition, when it has one.
    public var condition: String?
    /// Completes (counted by the targets) that the quota's own condition leaves out.
    public var leftOut: Int?

    public init(name: String, variables: [String], cells: [QuotaCellFigures], condition: String? = nil, leftOut: Int? = nil) {
        self.name = name
        self.variables = variables
        self.cells = cells
        self.condition = condition
        self.leftOut = leftOut
    }
}

/// One quota cell.
public struct QuotaCellFigures: Codable, Hashable, Sendable {
    /// The cell's value per variable, as exported (`2`, `-8`, an interviewer id…).
    public var values: [String]
    /// The values' labels in the report language, joined with " × ".
    public var label: String
    public var completed: Int
    public var target: Int?
    /// Target × elapsed share of the period, when a period is declared.
    public var expectedToday: Double?
    /// Completed below 90 % of the expected count (false without a period or target).
    public var behindSchedule: Bool

    public init(values: [String], label: String, completed: Int, target: Int?, expectedToday: Double?, behindSchedule: Bool) {
        self.values = values
        self.label = label
        self.completed = completed
        self.target = target
        self.expectedToday = expectedToday
        self.behindSchedule = behindSchedule
    }
}

/// Visit outcomes and AAPOR rates over the ended interviews.
public struct OutcomeFigures: Codable, Hashable, Sendable {
    /// One row per outcome code seen or declared in the dispositions.
    public var codes: [OutcomeCount]
    /// Interviews still in progress (not in any rate).
    public var inProgress: Int
    /// Ended interviews whose last outcome does not close the case yet under the questionnaire's
    /// `final` rules (an appointment, a revisit, a non-contact before its visits are enough):
    /// still being worked, so in no rate until the period is over.
    public var notFinal: Int
    /// Ended interviews by class: keys are ``Disposition`` raw values.
    public var dispositions: [String: Int]
    /// Ended interviews whose outcome code has no declared disposition (not in any rate).
    public var unclassified: Int
    /// AAPOR RR1 = I / ((I + P) + (R + NC + O) + (UH + UO)); nil when the denominator is 0
    /// or no dispositions are declared.
    public var rr1: Double?
    /// AAPOR REF1 = R / ((I + P) + (R + NC + O) + (UH + UO)).
    public var ref1: Double?
    /// AAPOR CON1 = ((I + P) + R + O) / ((I + P) + R + O + NC + (UH + UO)).
    public var con1: Double?

    public init(
        codes: [OutcomeCount], inProgress: Int, notFinal: Int = 0, dispositions: [String: Int], unclassified: Int,
        rr1: Double?, ref1: Double?, con1: Double?
    ) {
        self.codes = codes
        self.inProgress = inProgress
        self.notFinal = notFinal
        self.dispositions = dispositions
        self.unclassified = unclassified
        self.rr1 = rr1
        self.ref1 = ref1
        self.con1 = con1
    }
}

/// Interviews ended with one outcome code.
public struct OutcomeCount: Codable, Hashable, Sendable {
    public var code: Int
    public var label: String
    /// The declared ``Disposition`` raw value, if any.
    public var disposition: String?
    /// Those whose case the code closes (what the rates count).
    public var count: Int
    /// Those whose case stays open after it (``OutcomeFigures/notFinal``).
    public var notFinal: Int

    public init(code: Int, label: String, disposition: String?, count: Int, notFinal: Int = 0) {
        self.code = code
        self.label = label
        self.disposition = disposition
        self.count = count
        self.notFinal = notFinal
    }
}

/// One interviewer's figures (by the interviewer id the interviews were started under).
public struct InterviewerFigures: Codable, Hashable, Sendable {
    public var interviewer: String
    /// Devices the interviewer's interviews started on.
    public var devices: [String]
    /// Interviews of every status.
    public var interviews: Int
    public var completed: Int
    /// Median minutes from start to end of the completed interviews (`iv_minutes`).
    public var medianMinutes: Double?
    /// Answers given (on route, not -7), and of those don't know and refused.
    public var answers: Int
    public var dontKnow: Int
    public var refused: Int
    /// Soft checks confirmed (each `chk_*` = 1).
    public var softChecksConfirmed: Int
    /// Completed interviews shorter than the speeder limit.
    public var speeders: Int
    /// Interviews started outside working hours.
    public var outsideHours: Int

    public init(
        interviewer: String, devices: [String], interviews: Int, completed: Int, medianMinutes: Double?, answers: Int,
        dontKnow: Int, refused: Int, softChecksConfirmed: Int, speeders: Int, outsideHours: Int
    ) {
        self.interviewer = interviewer
        self.devices = devices
        self.interviews = interviews
        self.completed = completed
        self.medianMinutes = medianMinutes
        self.answers = answers
        self.dontKnow = dontKnow
        self.refused = refused
        self.softChecksConfirmed = softChecksConfirmed
        self.speeders = speeders
        self.outsideHours = outsideHours
    }
}

/// Devices, bundles and conflicts of the central dataset.
public struct SyncFigures: Codable, Hashable, Sendable {
    public var devices: [DeviceFigures]
    /// Rejected bundles, newest first.
    public var rejectedBundles: [RejectedBundle]
    public var acceptedBundles: Int
    /// Interviews of the survey with events from more than one device (resolved by the
    /// central rule; listed for review).
    public var conflicts: [String]
    /// The speeder limit used, in minutes, and how it was set (`declared` or `median/3`).
    public var speederMinutes: Double?
    public var speederRule: String
    /// The working hours used, `HH:MM–HH:MM`, and whether declared.
    public var workingHours: String
    public var workingHoursDeclared: Bool

    public init(
        devices: [DeviceFigures], rejectedBundles: [RejectedBundle], acceptedBundles: Int, conflicts: [String],
        speederMinutes: Double?, speederRule: String, workingHours: String, workingHoursDeclared: Bool
    ) {
        self.devices = devices
        self.rejectedBundles = rejectedBundles
        self.acceptedBundles = acceptedBundles
        self.conflicts = conflicts
        self.speederMinutes = speederMinutes
        self.speederRule = speederRule
        self.workingHours = workingHours
        self.workingHoursDeclared = workingHoursDeclared
    }
}

/// One registered device.
public struct DeviceFigures: Codable, Hashable, Sendable {
    public var device: String
    /// `active` or `revoked`.
    public var status: String
    public var events: Int
    /// The last accepted bundle's local receive time `YYYY-MM-DDTHH:MM` and file name.
    public var lastBundleAt: String?
    public var lastBundleFile: String?
    /// Whole days since the last accepted bundle (nil: none received).
    public var daysSinceLastBundle: Int?
    /// Sequence ranges never received although later ones were, e.g. `41-80`.
    public var missing: [String]

    public init(
        device: String, status: String, events: Int, lastBundleAt: String?, lastBundleFile: String?,
        daysSinceLastBundle: Int?, missing: [String]
    ) {
        self.device = device
        self.status = status
        self.events = events
        self.lastBundleAt = lastBundleAt
        self.lastBundleFile = lastBundleFile
        self.daysSinceLastBundle = daysSinceLastBundle
        self.missing = missing
    }
}

/// A bundle the merge refused.
public struct RejectedBundle: Codable, Hashable, Sendable {
    public var file: String
    public var device: String?
    public var reason: String
    /// Local time `YYYY-MM-DDTHH:MM`.
    public var at: String

    public init(file: String, device: String?, reason: String, at: String) {
        self.file = file
        self.device = device
        self.reason = reason
        self.at = at
    }
}

/// Item non-response per question over every included interview.
public struct ItemFigures: Codable, Hashable, Sendable {
    /// Questions whose DK + RF share is above this (0–1) are flagged.
    public var threshold: Double
    /// Every question with at least one answer, in questionnaire order.
    public var items: [ItemNonResponse]

    public init(threshold: Double, items: [ItemNonResponse]) {
        self.threshold = threshold
        self.items = items
    }

    /// Fewer answers than this are too few to flag a question (one "don't know" in three answers
    /// early in fieldwork is no finding).
    public static let minimumAnswers = 10

    /// The questions above the threshold with at least ``minimumAnswers`` answers, highest
    /// share first.
    public var flagged: [ItemNonResponse] {
        items.filter { $0.share > threshold && $0.answered >= Self.minimumAnswers }
            .sorted { ($0.share, $1.variable) > ($1.share, $0.variable) }
    }
}

/// One question's (or one roster question's, over all rows) answers.
public struct ItemNonResponse: Codable, Hashable, Sendable {
    public var variable: String
    public var label: String
    /// Answers given on route (values, DK and RF; not -7 and not unanswered).
    public var answered: Int
    public var dontKnow: Int
    public var refused: Int

    public init(variable: String, label: String, answered: Int, dontKnow: Int, refused: Int) {
        self.variable = variable
        self.label = label
        self.answered = answered
        self.dontKnow = dontKnow
        self.refused = refused
    }

    /// (DK + RF) / answered, 0 when nothing was answered.
    public var share: Double { answered == 0 ? 0 : Double(dontKnow + refused) / Double(answered) }
}

/// One finding the coordinator should act on.
public struct ReportAlert: Codable, Hashable, Sendable {
    /// What kind of problem; the renderers word it in the report language.
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case behindSchedule = "behind_schedule"
        case quotaBehind = "quota_behind"
        /// More than ``ReportAlerts/cellsListed`` cells of one quota behind: one alert for the
        /// quota, its value "behind / cells with a target".
        case quotaCellsBehind = "quota_cells_behind"
        case speeder
        case outsideHours = "outside_hours"
        case highNonResponse = "high_nonresponse"
        case interviewerNonResponse = "interviewer_nonresponse"
        case missingBundles = "missing_bundles"
        case staleDevice = "stale_device"
        case rejectedBundle = "rejected_bundle"
        case conflicts
    }

    public var kind: Kind
    /// What it is about: an interviewer, device, variable, quota cell, bundle file…
    public var subject: String
    /// The figure behind it (a count, share or number of days), as shown.
    public var value: String

    public init(kind: Kind, subject: String, value: String) {
        self.kind = kind
        self.subject = subject
        self.value = value
    }
}
