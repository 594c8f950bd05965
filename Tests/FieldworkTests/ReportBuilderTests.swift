import Foundation
import SurveyExport
import SurveyModel
import SurveyReport
import SurveyStore
import Testing

@testable import Fieldwork

/// `terep report` on simulated fieldwork with planted anomalies: each is found, clean
/// interviewers are not flagged, and the figures equal those recomputed from the export.
@Suite(.serialized) struct ReportBuilderTests {
    static let evening = TimeOfDay(hour: 20, minute: 0)

    static func report(_ f: ReportFixture, language: LanguageCode? = nil) throws -> FieldworkReport {
        try FieldworkReportBuilder(central: f.central, survey: "rep", language: language, today: ReportFixture.today, time: evening)
            .build()
    }

    static func alerts(_ r: FieldworkReport, _ kind: ReportAlert.Kind) -> [ReportAlert] { r.alerts.filter { $0.kind == kind } }

    @Test func eachPlantedAnomalyIsFoundAndNoCleanInterviewerIsFlagged() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let r = try Self.report(f)
        #expect(Self.alerts(r, .speeder).map(\.subject) == ["Csaba"])
        #expect(Self.alerts(r, .interviewerNonResponse).map(\.subject) == ["Dóra"])
        #expect(Self.alerts(r, .outsideHours).map(\.subject) == ["Anna"])
        #expect(Self.alerts(r, .outsideHours).first?.value == "1 / 30")
        #expect(Self.alerts(r, .missingBundles).map(\.subject) == ["lap-2"])
        #expect(Self.alerts(r, .missingBundles).first?.value == f.missingRange)
        #expect(Self.alerts(r, .rejectedBundle).map(\.subject) == ["lap-5.terepbundle"])
        #expect(Self.alerts(r, .conflicts).first?.subject == f.conflictInterview.rawValue)
        #expect(r.sync.conflicts == [f.conflictInterview.rawValue])
        #expect(Self.alerts(r, .quotaBehind).map(\.subject) == ["district: Déli oldal"])
        #expect(Self.alerts(r, .behindSchedule).isEmpty)
        // lap-5's only bundle was rejected: nothing from it nine days into the period.
        #expect(Self.alerts(r, .staleDevice).map { [$0.subject, $0.value] } == [["lap-5", "never"]])

        let byName = Dictionary(uniqueKeysWithValues: r.interviewers.map { ($0.interviewer, $0) })
        let csaba = try #require(byName["Csaba"])
        #expect(csaba.speeders == csaba.completed && csaba.completed > 10)
        for clean in ["Anna", "Béla", "Dóra"] { #expect(byName[clean]?.speeders == 0, "\(clean)") }
        #expect(byName["Anna"]?.outsideHours == 1 && byName["Béla"]?.outsideHours == 0)
        #expect(byName["Béla"]?.interviews == 28, "one interview lost with its bundle, one training")
        #expect(byName["Béla"]?.devices == ["lap-2"] && byName["Anna"]?.devices == ["lap-1"])
        #expect(r.selection.excluded == ["training": 1])
        #expect(r.selection.interviews == 119 && r.selection.included == 118 && r.selection.inProgress == 1)
        #expect(r.outcomes.inProgress == 1)

        let lap2 = try #require(r.sync.devices.first { $0.device == "lap-2" })
        #expect(lap2.missing == [f.missingRange] && lap2.daysSinceLastBundle == 0)
        let rejected = try #require(r.sync.rejectedBundles.first)
        #expect(rejected.file.hasSuffix("lap-5.terepbundle") && rejected.reason.contains("damaged"), "\(rejected.reason)")
        #expect(r.sync.speederRule == "median/3" && r.sync.workingHours == "07:00–21:00" && !r.sync.workingHoursDeclared)
    }

    @Test func alertsComeMostSeriousFirst() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let kinds = try Self.report(f).alerts.map(\.kind)
        let ranks = kinds.map { ReportAlerts.severity.firstIndex(of: $0) ?? 99 }
        #expect(ranks == ranks.sorted())
        #expect(kinds.first == .rejectedBundle)
    }

    @Test func progressFollowsTheEvenPaceOverTheDeclaredPeriod() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let p = try Self.report(f).progress
        #expect(p.days.first?.date == "2026-09-01" && (p.days.last?.date ?? "") >= "2026-09-10")
        #expect(p.days.first?.expected == 3.0, "60 over 20 days: 3 a day")
        #expect(p.days.first { $0.date == "2026-09-10" }?.expected == 30.0)
        #expect(p.expectedToday == 30.0 && p.target == 60)
        #expect(p.days.last?.cumulative == p.completed)
        #expect(p.days.map(\.completed).reduce(0, +) == p.completed)
        #expect(p.behindSchedule == (Double(p.completed) < 27))
    }

    @Test func ratesFollowTheAAPORFormulas() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let o = try Self.report(f).outcomes
        let count = { (code: Int) in Double(o.codes.first { $0.code == code }?.count ?? 0) }
        let (i, r, nc) = (count(11), count(21), count(31))
        #expect(i > 0 && r > 0 && nc > 0)
        #expect(o.rr1 == i / (i + r + nc) && o.ref1 == r / (i + r + nc) && o.con1 == (i + r) / (i + r + nc))
        #expect(o.dispositions == ["complete": Int(i), "refusal": Int(r), "noncontact": Int(nc)] && o.unclassified == 0)
        #expect(o.codes.map(\.label) == ["Teljes", "Elutasítás", "Nem volt otthon"])
    }

    @Test func labelsFollowTheLanguageAndAnUnknownOneIsRefused() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let en = try Self.report(f, language: "en")
        #expect(en.title == "Report test" && en.outcomes.codes.first?.label == "Complete")
        #expect(en.quotas.first?.cells.map(\.label) == ["North", "South side"])
        #expect(en.items.items.first { $0.variable == "age" }?.label == "Age")
        #expect(throws: FieldworkError.self) { try Self.report(f, language: "de") }
        #expect(throws: FieldworkError.self) {
            try FieldworkReportBuilder(central: f.central, survey: "nope", today: ReportFixture.today).build()
        }
    }

    @Test func jsonHasSortedKeysAndDecodesToTheSameReport() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let r = try Self.report(f)
        let json = FieldworkReportJSON.render(r)
        #expect(try JSONDecoder().decode(FieldworkReport.self, from: Data(json.utf8)) == r)
        let alerts = try #require(json.range(of: "\"alerts\""))
        let title = try #require(json.range(of: "\"title\""))
        #expect(alerts.lowerBound < title.lowerBound)
    }

    @Test func declaredSpeederLimitAndWorkingHoursAndCorrectionsAreApplied() throws {
        var targets = ReportFixture.targets
        targets.speederMinutes = 3
        targets.workingHours = TimeRange(from: TimeOfDay(hour: 9, minute: 0), to: TimeOfDay(hour: 12, minute: 0))
        let f = try ReportFixture(targets: targets)
        defer { f.cleanUp() }
        let excluded = ReportFixture.id("Dóra", 0)
        let r = try FieldworkReportBuilder(
            central: f.central, survey: "rep", correctionsText: "exclude \(excluded) : duplicate visit\n",
            correctionsFile: "rep.corrections", today: ReportFixture.today
        ).build()
        #expect(r.selection.excluded == ["training": 1, "corrections": 1] && r.selection.correctionsFile == "rep.corrections")
        #expect(r.sync.speederMinutes == 3 && r.sync.speederRule == "declared")
        #expect(r.sync.workingHours == "09:00–12:00" && r.sync.workingHoursDeclared)
        let byName = Dictionary(uniqueKeysWithValues: r.interviewers.map { ($0.interviewer, $0) })
        #expect(byName["Dóra"]?.interviews == 29)
        // Slots start at 09:00 (inside), 12:00 and 15:00 (outside: the end is exclusive); Anna's
        // 23:30 interview replaced a 15:00 one; Béla's lost and training interviews were at 12:00.
        #expect(["Anna", "Béla", "Csaba", "Dóra"].map { byName[$0]?.outsideHours } == [20, 18, 20, 20])
        #expect(byName["Csaba"]?.speeders == byName["Csaba"]?.completed)
        #expect(Self.alerts(r, .speeder).map(\.subject) == ["Csaba"])
    }

    @Test func aQuestionIsFlaggedAboveTheThresholdOnlyWithTenAnswersOrMore() {
        let figures = ItemFigures(
            threshold: 0.10,
            items: [
                ItemNonResponse(variable: "few", label: "", answered: 9, dontKnow: 5, refused: 0),
                ItemNonResponse(variable: "high", label: "", answered: 10, dontKnow: 1, refused: 1),
                ItemNonResponse(variable: "at", label: "", answered: 10, dontKnow: 1, refused: 0),
                ItemNonResponse(variable: "higher", label: "", answered: 40, dontKnow: 10, refused: 2),
            ])
        #expect(figures.flagged.map(\.variable) == ["higher", "high"])
    }

    @Test func devicesSilentForThreeDaysAreStale() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let later = try FieldworkReportBuilder(central: f.central, survey: "rep", today: LocalDate(year: 2026, month: 9, day: 13)).build()
        #expect(later.sync.devices.map(\.daysSinceLastBundle) == [3, 3, 3, 3, nil])
        #expect(
            Self.alerts(later, .staleDevice).map { [$0.subject, $0.value] } == [
                ["lap-1", "3"], ["lap-2", "3"], ["lap-3", "3"], ["lap-4", "3"], ["lap-5", "never"],
            ])
        let sooner = try FieldworkReportBuilder(central: f.central, survey: "rep", today: LocalDate(year: 2026, month: 9, day: 12)).build()
        #expect(Self.alerts(sooner, .staleDevice).map(\.subject) == ["lap-5"])
        #expect(sooner.progress.days.last?.date == "2026-09-12" && sooner.progress.days.suffix(2).allSatisfy { $0.completed == 0 })
        // A "today" before the bundles arrived (e.g. --today for an earlier report) never gives
        // negative days.
        let before = try FieldworkReportBuilder(central: f.central, survey: "rep", today: LocalDate(year: 2026, month: 8, day: 1)).build()
        #expect(before.sync.devices.compactMap(\.daysSinceLastBundle) == [0, 0, 0, 0])
    }
}
