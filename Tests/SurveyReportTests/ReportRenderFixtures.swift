import SurveyReport

/// Hand-built ``FieldworkReport`` values for the renderer tests: a realistic mid-fieldwork
/// report with planted anomalies, an empty one, and one whose labels are hostile markup.
enum ReportRenderFixtures {
    /// The Miskolc well-being survey three weeks into fieldwork: behind schedule, a speeding
    /// interviewer, off-hours interviews, a device with a sequence gap, a stale device, a
    /// rejected bundle, conflicts and questions with high item non-response.
    static func realistic(language: String = "hu") -> FieldworkReport {
        let days = (0..<25).map { index -> ProgressDay in
            let completed = index % 7 == 6 ? 0 : 14 + (index * 5) % 11
            return ProgressDay(
                date: date(2026, 11, 2 + index), completed: completed, cumulative: 0, expected: 800.0 * Double(index + 1) / 40)
        }
        var running = 0
        let cumulative = days.map { day -> ProgressDay in
            running += day.completed
            return ProgressDay(date: day.date, completed: day.completed, cumulative: running, expected: day.expected)
        }
        let districts = [
            "Belváros", "Avas", "Győri kapu", "Kilián-Észak", "Kilián-Dél", "Bulgárföld", "Diósgyőr–Újdiósgyőr–Vasgyár",
            "Szentpéteri kapu–Selyemrét", "Hejőcsaba–Görömböly", "Tapolca–Egyetemváros", "Martin-kertváros–Szirma",
        ]
        let districtCells = districts.enumerated().map { index, name in
            let completed = [41, 12, 30, 35, 28, 33, 44, 19, 25, 31, 27][index]
            return QuotaCellFigures(
                values: [String(index + 1)], label: name, completed: completed, target: 73, expectedToday: 37.2,
                behindSchedule: Double(completed) < 0.9 * 37.2)
        }
        let sexAge = [
            "Férfi × 16–29", "Férfi × 30–44", "Férfi × 45–64", "Férfi × 65+", "Nő × 16–29", "Nő × 30–44", "Nő × 45–64", "Nő × 65+",
        ]
        let sexAgeCells = sexAge.enumerated().map { index, label in
            let completed = [38, 44, 52, 29, 41, 47, 58, 46][index]
            return QuotaCellFigures(
                values: [String(index / 4 + 1), String(index % 4 + 1)], label: label, completed: completed,
                target: [84, 98, 117, 91, 80, 96, 122, 112][index], expectedToday: nil, behindSchedule: false)
        }
        let unanswered = QuotaCellFigures(
            values: ["-9", "1"], label: "nem válaszol × 16–29", completed: 2, target: nil, expectedToday: nil, behindSchedule: false)
        return FieldworkReport(
            survey: "wellbeing", title: language == "hu" ? "Miskolci közérzet-felmérés 2026" : "Miskolc well-being survey 2026",
            language: language, generatedAt: "2026-11-26T19:05", today: "2026-11-26",
            selection: ReportSelection(
                interviews: 1_318, included: 1_290, completed: running, ended: 652, inProgress: 3,
                excluded: ["training": 21, "corrections": 4, "not_started": 3], versions: ["2026.1 (3f2a9c1e)"],
                correctionsFile: "corrections-2026-11-25.csv"),
            progress: ProgressFigures(
                completed: running, target: 800, periodFirst: "2026-11-02", periodLast: "2026-12-20",
                expectedToday: 500, behindSchedule: true, days: cumulative),
            quotas: [
                QuotaFigures(name: "district", variables: ["district"], cells: districtCells),
                QuotaFigures(name: "sex_age", variables: ["sex", "age_group"], cells: sexAgeCells + [unanswered]),
            ],
            outcomes: outcomes(completed: running),
            interviewers: interviewers(),
            sync: sync(),
            items: items(),
            alerts: [
                ReportAlert(kind: .behindSchedule, subject: "wellbeing", value: "\(running) / 500.0"),
                ReportAlert(kind: .speeder, subject: "K07", value: "14 / 84"),
                ReportAlert(kind: .missingBundles, subject: "laptop-03", value: "41-80"),
                ReportAlert(kind: .rejectedBundle, subject: "laptop-05-0012.terep", value: "signature does not verify"),
                ReportAlert(kind: .quotaBehind, subject: "district = Avas", value: "12 / 37.2"),
                ReportAlert(kind: .quotaBehind, subject: "district = Szentpéteri kapu–Selyemrét", value: "19 / 37"),
                ReportAlert(kind: .outsideHours, subject: "K03", value: "6 / 169"),
                ReportAlert(kind: .interviewerNonResponse, subject: "K05", value: "18.4%"),
                ReportAlert(kind: .staleDevice, subject: "laptop-06", value: "6"),
                ReportAlert(kind: .highNonResponse, subject: "income_net", value: "31.5%"),
                ReportAlert(kind: .conflicts, subject: "iv-0f3a21, iv-11b9c4, iv-7d2e08", value: "3"),
            ])
    }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> String {
        let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var (month, day) = (month, day)
        while day > days[month - 1] {
            day -= days[month - 1]
            month += 1
        }
        return "\(year)-" + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
    }

    private static func outcomes(completed: Int) -> OutcomeFigures {
        let codes = [
            OutcomeCount(code: 11, label: "Teljes", disposition: "complete", count: completed),
            OutcomeCount(code: 12, label: "Részleges, B–F kész", disposition: "partial", count: 9),
            OutcomeCount(code: 21, label: "Visszautasítás", disposition: "refusal", count: 212),
            OutcomeCount(code: 22, label: "Megszakadt", disposition: "refusal", count: 17),
            OutcomeCount(code: 23, label: "Senki sincs otthon", disposition: "noncontact", count: 241),
            OutcomeCount(code: 24, label: "Betegség, nyelv", disposition: "other", count: 22),
            OutcomeCount(code: 31, label: "Nem jutott be (zárt lépcsőház)", disposition: "unknown", count: 64),
            OutcomeCount(code: 41, label: "Üres, nem lakás", disposition: "ineligible", count: 71),
            OutcomeCount(code: 42, label: "Nincs 16+ lakos", disposition: "ineligible", count: 13),
            OutcomeCount(code: 99, label: "Egyéb (nincs besorolva)", disposition: nil, count: 3),
        ]
        return OutcomeFigures(
            codes: codes, inProgress: 3,
            dispositions: [
                "complete": completed, "partial": 9, "refusal": 229, "noncontact": 241, "other": 22, "unknown": 64, "ineligible": 84,
            ],
            unclassified: 3, rr1: 0.4213, ref1: 0.2301, con1: 0.6921)
    }

    private static func interviewers() -> [InterviewerFigures] {
        (1...8).map { index in
            let id = "K0\(index)"
            let speeding = index == 7
            return InterviewerFigures(
                interviewer: id, devices: ["laptop-0\((index + 1) / 2)"], interviews: 160 + index * 3, completed: 70 + index * 2,
                medianMinutes: speeding ? 6.5 : 19.5 + Double(index) * 0.8, answers: 4_000 + index * 100,
                dontKnow: index == 5 ? 520 : 120 + index * 5, refused: index == 5 ? 260 : 40 + index,
                softChecksConfirmed: index * 3, speeders: speeding ? 14 : (index == 2 ? 1 : 0), outsideHours: index == 3 ? 6 : 0)
        }
    }

    private static func sync() -> SyncFigures {
        let devices = (1...6).map { index in
            DeviceFigures(
                device: "laptop-0\(index)", status: index == 4 ? "revoked" : "active", events: 21_000 + index * 1_234,
                lastBundleAt: index == 6 ? "2026-11-20T18:40" : "2026-11-26T18:\(10 + index)",
                lastBundleFile: "laptop-0\(index)-00\(40 + index).terep", daysSinceLastBundle: index == 6 ? 6 : 0,
                missing: index == 3 ? ["41-80", "122"] : [])
        }
        return SyncFigures(
            devices: devices,
            rejectedBundles: [
                RejectedBundle(
                    file: "laptop-05-0012.terep", device: "laptop-05", reason: "signature does not verify", at: "2026-11-25T20:11")
            ],
            acceptedBundles: 212, conflicts: ["iv-0f3a21", "iv-11b9c4", "iv-7d2e08"], speederMinutes: 8, speederRule: "declared",
            workingHours: "08:00–20:00", workingHoursDeclared: true)
    }

    private static func items() -> ItemFigures {
        let names = [
            ("life_sat", "Mennyire elégedett az életével?"), ("income_net", "Havi nettó háztartási jövedelem (forint)"),
            ("trust_people", "Általában meg lehet bízni az emberekben?"), ("who5_1", "Vidámnak és jókedvűnek érezte magát"),
            ("safe_dark", "Mennyire érzi magát biztonságban sötétedés után a lakókörnyezetében egyedül sétálva?"),
            ("pb_aware", "Hallott a részvételi költségvetésről?"), ("health", "Milyen az egészségi állapota?"),
        ]
        let items = names.enumerated().map { index, pair in
            ItemNonResponse(
                variable: pair.0, label: pair.1, answered: 1_200 - index, dontKnow: [12, 251, 80, 9, 140, 30, 6][index],
                refused: [3, 127, 15, 2, 21, 4, 1][index])
        }
        return ItemFigures(threshold: 0.1, items: items)
    }

    /// A survey declared but not yet in the field: no interviews, no targets, no period,
    /// no devices.
    static func empty(language: String = "en") -> FieldworkReport {
        FieldworkReport(
            survey: "energy", title: "Household energy study", language: language, generatedAt: "2026-11-26T08:00", today: "2026-11-26",
            selection: ReportSelection(
                interviews: 0, included: 0, completed: 0, ended: 0, inProgress: 0, excluded: [:], versions: [], correctionsFile: nil),
            progress: ProgressFigures(
                completed: 0, target: nil, periodFirst: nil, periodLast: nil, expectedToday: nil, behindSchedule: false, days: []),
            quotas: [],
            outcomes: OutcomeFigures(codes: [], inProgress: 0, dispositions: [:], unclassified: 0, rr1: nil, ref1: nil, con1: nil),
            interviewers: [],
            sync: SyncFigures(
                devices: [], rejectedBundles: [], acceptedBundles: 0, conflicts: [], speederMinutes: nil, speederRule: "median/3",
                workingHours: "07:00–21:00", workingHoursDeclared: false),
            items: ItemFigures(threshold: 0.1, items: []),
            alerts: [])
    }

    /// Fieldwork under way with nothing declared: no total, no period, quotas as monitored
    /// breakdowns without targets, no durations.
    static func untargeted(language: String = "en") -> FieldworkReport {
        var report = realistic(language: language)
        report.progress.target = nil
        report.progress.periodFirst = nil
        report.progress.periodLast = nil
        report.progress.expectedToday = nil
        report.progress.behindSchedule = false
        for index in report.progress.days.indices { report.progress.days[index].expected = nil }
        for quota in report.quotas.indices {
            for cell in report.quotas[quota].cells.indices {
                report.quotas[quota].cells[cell].target = nil
                report.quotas[quota].cells[cell].expectedToday = nil
                report.quotas[quota].cells[cell].behindSchedule = false
            }
        }
        for index in report.interviewers.indices { report.interviewers[index].medianMinutes = nil }
        report.sync.speederMinutes = nil
        report.alerts = report.alerts.filter { $0.kind != .behindSchedule && $0.kind != .quotaBehind }
        return report
    }

    /// The label every user-supplied text carries in ``hostile(language:)``.
    static let hostileLabel = "<script>alert('x')</script> & \"quoted\" 'single' </svg>]]>"

    /// A label of double-width characters (CJK, emoji), which take two terminal columns each.
    static let wideLabel = "東京都 🏠🏠 Ünnepi 日本語の長いラベル テスト 🎉"

    /// A label with terminal control sequences (clear screen, colour, bell) and line breaks.
    static let controlLabel = "K\u{1B}[2J\u{1B}[31mred\u{07}\nnext\tline\u{0}"

    /// Labels, ids and reasons full of markup, plus figures that are not finite (which no
    /// renderer may print as `NaN` or `inf`) and a target of 0.
    static func hostile(language: String = "en") -> FieldworkReport {
        var report = realistic(language: language)
        let label = hostileLabel
        report.title = label
        report.survey = label
        report.selection.versions = [label]
        report.progress.target = 0
        report.progress.expectedToday = .nan
        report.progress.days[3].expected = .infinity
        report.quotas[0].name = label
        report.quotas[0].cells[0].label = label
        report.quotas[0].cells[1].expectedToday = -.infinity
        report.quotas[1].cells[0].target = 0
        report.outcomes.codes[0].label = label
        report.outcomes.rr1 = .nan
        report.interviewers[0].interviewer = label
        report.interviewers[1].medianMinutes = .nan
        report.interviewers[2].answers = 0
        report.sync.devices[0].device = label
        report.sync.devices[0].missing = [label]
        report.sync.rejectedBundles[0].reason = label
        report.sync.conflicts.append(label)
        report.sync.speederMinutes = .infinity
        report.items.items[1].label = label
        report.items.items[2].answered = 0
        report.alerts.append(ReportAlert(kind: .highNonResponse, subject: label, value: label))
        report.quotas[1].cells[1].label = wideLabel
        report.interviewers[3].interviewer = controlLabel
        report.items.items[4].label = controlLabel + wideLabel
        return report
    }
}
