import Fieldwork
import Foundation
import SurveyModel

/// The case list's texts (`terep cases`, the list `terep interview` starts from).
extension UIStrings {
    public func caseStatus(_ status: CaseStatus) -> String {
        switch status {
        case .new: t("új", "new")
        case .visited(let n): t("\(n)× felkeresve", "visited \(n) time\(n == 1 ? "" : "s")")
        case .appointment: t("időpont egyeztetve", "appointment")
        case .inProgress: t("folyamatban", "in progress")
        case .completed: t("kész", "completed")
        case .rejected: t("visszaküldve — javítandó", "rejected — to fix")
        case .final: t("lezárt", "final")
        case .moved: t("átadva", "moved")
        case .withdrawn: t("visszavonva", "withdrawn")
        }
    }

    public func nextAction(_ action: NextAction) -> String {
        switch action {
        case .firstVisit: t("első látogatás", "first visit")
        case .visitAgain: t("újra felkeresni", "visit again")
        case .keepAppointment: t("időpontra menni", "keep the appointment")
        case .continueInterview: t("folytatni", "continue")
        case .fix: t("javítani", "fix")
        case .awaitReview: t("ellenőrzésre vár", "awaiting review")
        case .handBack: t("szinkronizálni és átadni", "sync and hand back")
        case .none: "—"
        }
    }

    var caseColumns: [String] {
        [
            t("Eset", "Case"), t("Cím", "Address"), t("Állapot", "Status"), t("Utolsó látogatás", "Last visit"),
            t("Teendő", "Next"),
        ]
    }

    public var noCases: String {
        t(
            "Ezen az eszközön nincs kiosztott eset; a koordinátor csomagját a terep device receive FÁJL veszi át.",
            "This device has no assigned cases; receive the coordinator's package with terep device receive FILE.")
    }

    public var casePrompt: String {
        t("Melyik eset? (sorszám vagy esetazonosító; q vagy üres sor = kilépés)", "Which case? (number or case id; q or empty line = quit)")
    }

    public func noSuchCase(_ typed: String) -> String {
        t("Nincs ilyen eset a listában: \(typed)", "No such case in the list: \(typed)")
    }

    public func lastVisit(_ visit: Visit) -> String {
        let code = visit.outcome.map { " (\($0))" } ?? ""
        return "\(visit.start.date) \(visit.start.time)" + code
    }

    public func caseVisit(_ id: CaseID, visit: Int) -> String {
        t("\(id): \(visit). látogatás (az interjú folytatódik)", "\(id): visit \(visit) (the interview continues)")
    }

    public func caseFix(_ id: CaseID) -> String {
        t("\(id): javítás az ellenőr kérésére (nem új látogatás)", "\(id): the fix the supervisor asked for (not a new visit)")
    }

    public var startWithoutCase: String {
        t(
            "Eset nélküli interjúhoz adja meg a kérdőívet: terep interview FÁJL.",
            "To start without a case, give the questionnaire: terep interview FILE.")
    }

    public func rejectionReason(_ text: String) -> String { t("Visszaküldés oka: \(text)", "Rejected: \(text)") }
}

/// The case list as lines of plain text: a numbered table, one case a line, columns by display
/// width (names and addresses from files escaped). The full screen may draw the same entries
/// its own way.
public enum CaseListView {
    public static func lines(_ entries: [CaseListEntry], strings: UIStrings, numbered: Bool = false) -> [String] {
        guard !entries.isEmpty else { return [strings.noCases] }
        var rows = [[numbered ? "#" : nil].compactMap { $0 } + strings.caseColumns]
        for (i, e) in entries.enumerated() {
            let c = e.deviceCase
            var row = numbered ? ["\(i + 1)"] : []
            row += [
                DisplayText.escaped(c.id.rawValue), DisplayText.escaped(c.address ?? "—"), strings.caseStatus(e.status),
                e.lastVisit.map(strings.lastVisit) ?? "—",
                strings.nextAction(e.next) + (e.rejection.map { ": " + DisplayText.escaped($0) } ?? ""),
            ]
            rows.append(row)
        }
        let widths = rows[0].indices.map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - DisplayWidth.of(cell))
            }.joined(separator: "  ")
        }
    }

    /// The entry a typed line picks: its number in the list (from 1) or its case id.
    public static func pick(_ typed: String, in entries: [CaseListEntry]) -> CaseListEntry? {
        let text = typed.trimmingCharacters(in: .whitespaces)
        if let n = Int(text), n >= 1, n <= entries.count { return entries[n - 1] }
        return entries.first { $0.deviceCase.id.rawValue == text }
    }
}
