import SurveyReport
import Testing

/// How quota cells behind schedule become alerts.
struct QuotaAlertTests {
    @Test func aQuotaWithManyCellsBehindGetsOneAlertAndOneWithFewGetsOnePerCell() throws {
        var report = ReportRenderFixtures.realistic(language: "en")
        let district = try #require(report.quotas.first)
        let behind = district.cells.filter(\.behindSchedule)
        try #require(behind.count > ReportAlerts.cellsListed)
        let grouped = ReportAlerts.alerts(for: report).filter { $0.subject.hasPrefix(district.name) }
        #expect(grouped.map(\.kind) == [.quotaCellsBehind])
        #expect(grouped.first?.value == "\(behind.count) / \(district.cells.count { $0.target != nil })")

        // Only two cells behind: each is named, with its completes against what is expected.
        report.quotas[0].cells = district.cells.enumerated().map { index, cell in
            var c = cell
            c.behindSchedule = index < 2
            return c
        }
        let single = ReportAlerts.alerts(for: report).filter { $0.subject.hasPrefix(district.name) }
        #expect(single.map(\.kind) == [.quotaBehind, .quotaBehind])
        #expect(single.map(\.subject) == district.cells.prefix(2).map { "\(district.name): \($0.label)" })
    }
}
