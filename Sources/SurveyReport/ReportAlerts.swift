import Foundation
import SurveyModel

/// The findings a coordinator should act on, derived from a report's figures.
public enum ReportAlerts {
    /// Kinds from most to least serious: data refused or not arrived, then data that may not
    /// be genuine, then schedule, then housekeeping.
    public static let severity: [ReportAlert.Kind] = [
        .rejectedBundle, .missingBundles, .speeder, .interviewerNonResponse, .outsideHours, .behindSchedule,
        .quotaBehind, .quotaCellsBehind, .staleDevice, .conflicts, .highNonResponse,
    ]

    /// A quota with more cells behind schedule than this gets one alert instead of one per
    /// cell (early in fieldwork every cell is behind; the quota section shows which).
    public static let cellsListed = 3

    /// An interviewer is flagged when their DK + RF share is above the item threshold and
    /// above this many times the share over all interviewers.
    public static let interviewerFactor = 2.0

    /// A device whose last accepted bundle is this many days old (or older) is stale.
    public static let staleDays = 3

    /// Every alert of a report, most serious first (within a kind, in the figures' order).
    public static func alerts(for report: FieldworkReport) -> [ReportAlert] {
        var out: [ReportAlert] = []
        let sync = report.sync
        for b in sync.rejectedBundles {
            let name = URL(fileURLWithPath: b.file).lastPathComponent
            out.append(ReportAlert(kind: .rejectedBundle, subject: name, value: b.reason))
        }
        for d in sync.devices where !d.missing.isEmpty {
            out.append(ReportAlert(kind: .missingBundles, subject: d.device, value: d.missing.joined(separator: ", ")))
        }
        out += interviewerAlerts(report)
        let p = report.progress
        if p.behindSchedule, let expected = p.expectedToday {
            out.append(ReportAlert(kind: .behindSchedule, subject: report.survey, value: "\(p.completed) / \(number(expected))"))
        }
        for quota in report.quotas {
            let behind = quota.cells.filter(\.behindSchedule)
            guard behind.count <= cellsListed else {
                let targeted = quota.cells.count { $0.target != nil }
                out.append(ReportAlert(kind: .quotaCellsBehind, subject: quota.name, value: "\(behind.count) / \(targeted)"))
                continue
            }
            for cell in behind {
                out.append(
                    ReportAlert(
                        kind: .quotaBehind, subject: "\(quota.name): \(cell.label)",
                        value: "\(cell.completed) / \(cell.expectedToday.map(number) ?? "?")"))
            }
        }
        out += staleDevices(report)
        if !sync.conflicts.isEmpty {
            let shown = sync.conflicts.prefix(3).joined(separator: ", ") + (sync.conflicts.count > 3 ? ", …" : "")
            out.append(ReportAlert(kind: .conflicts, subject: shown, value: "\(sync.conflicts.count)"))
        }
        for item in report.items.flagged {
            out.append(ReportAlert(kind: .highNonResponse, subject: item.variable, value: percent(item.share)))
        }
        let rank = Dictionary(uniqueKeysWithValues: severity.enumerated().map { ($0.element, $0.offset) })
        return out.enumerated().sorted { a, b in
            (rank[a.element.kind] ?? 99, a.offset) < (rank[b.element.kind] ?? 99, b.offset)
        }.map(\.element)
    }

    /// Active devices whose last accepted bundle is ``staleDays`` days
    /// old or more, and, once the declared period has run that long, those that never sent one.
    private static func staleDevices(_ report: FieldworkReport) -> [ReportAlert] {
        let limit = staleDays
        let today = LocalDate(iso: report.today)
        let started = report.progress.periodFirst.flatMap(LocalDate.init(iso:))
        var silentSinceStart = false
        if let today, let started { silentSinceStart = today.daysSinceEpoch - started.daysSinceEpoch >= limit }
        return report.sync.devices.compactMap { d in
            guard d.status == "active" else { return nil }
            if let days = d.daysSinceLastBundle {
                return days >= limit ? ReportAlert(kind: .staleDevice, subject: d.device, value: "\(days)") : nil
            }
            return silentSinceStart ? ReportAlert(kind: .staleDevice, subject: d.device, value: "never") : nil
        }
    }

    private static func interviewerAlerts(_ report: FieldworkReport) -> [ReportAlert] {
        var out: [ReportAlert] = []
        let answers = report.interviewers.reduce(0) { $0 + $1.answers }
        let missing = report.interviewers.reduce(0) { $0 + $1.dontKnow + $1.refused }
        let overall = answers == 0 ? 0 : Double(missing) / Double(answers)
        let limit = max(report.items.threshold, interviewerFactor * overall)
        for i in report.interviewers {
            if i.speeders > 0 {
                out.append(ReportAlert(kind: .speeder, subject: i.interviewer, value: "\(i.speeders) / \(i.completed)"))
            }
            let share = i.answers == 0 ? 0 : Double(i.dontKnow + i.refused) / Double(i.answers)
            if share > limit {
                out.append(ReportAlert(kind: .interviewerNonResponse, subject: i.interviewer, value: percent(share)))
            }
            if i.outsideHours > 0 {
                out.append(ReportAlert(kind: .outsideHours, subject: i.interviewer, value: "\(i.outsideHours) / \(i.interviews)"))
            }
        }
        return out
    }

    /// A share as a percentage with one decimal, e.g. `12.5%`.
    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    /// A count that may be fractional, with one decimal.
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
