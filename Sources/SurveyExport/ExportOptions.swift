import SurveyModel

/// Choices an analyst makes for one export run.
public struct ExportOptions: Sendable {
    /// The language of labels; nil means the survey's first language.
    public var language: LanguageCode?
    public var pii: PIIMode
    /// Observed maximum UTF-8 byte lengths by variable name (e.g. from a `max(length(…))` query),
    /// used instead of the worst case derived from `maxlength` (4 bytes per character).
    public var stringWidths: [String: Int]
    /// Small top-level rosters exported wide: their variables go into the interview table once
    /// per possible row (`m_age_1`, `m_age_2`, …) instead of a table of their own.
    public var wideRosters: [GroupID]
    /// How identifiers (`pii pseudonym` questions and `iv_interviewer`) are pseudonymised under
    /// ``PIIMode/drop``; nil leaves them out too. Under ``PIIMode/pseudonymise(width:_:)`` they
    /// use that mode's function, under ``PIIMode/keep`` they are kept.
    public var identifiers: Pseudonyms?

    public init(
        language: LanguageCode? = nil, pii: PIIMode = .drop, stringWidths: [String: Int] = [:], wideRosters: [GroupID] = [],
        identifiers: Pseudonyms? = nil
    ) {
        self.language = language
        self.pii = pii
        self.stringWidths = stringWidths
        self.wideRosters = wideRosters
        self.identifiers = identifiers
    }

    /// How a variable holding personal data of `kind` is exported.
    func handling(_ kind: PersonalData) -> PIIHandling {
        switch (pii, kind) {
        case (_, .notPersonal), (.keep, _): .keep
        case (.pseudonymise(let width, let f), _): .pseudonymise(Pseudonyms(width: width, f))
        case (.drop, .direct): .drop
        case (.drop, .pseudonym): identifiers.map(PIIHandling.pseudonymise) ?? .drop
        }
    }
}

/// A keyed pseudonym function and the width of its pseudonyms in bytes (64 for hex SHA-256).
public struct Pseudonyms: Sendable {
    public var width: Int
    public var make: @Sendable (String) -> String

    public init(width: Int, _ make: @escaping @Sendable (String) -> String) {
        self.width = width
        self.make = make
    }
}

/// What happens to one personal-data variable in an export.
enum PIIHandling {
    case keep, drop
    case pseudonymise(Pseudonyms)
}

/// What happens to personal data (`pii`, `pii pseudonym`, `iv_interviewer`).
public enum PIIMode: Sendable {
    /// `pii` variables are left out of every file (the default); identifiers are pseudonymised
    /// with ``ExportOptions/identifiers`` (left out without it).
    case drop
    /// Every personal-data variable is replaced by a keyed pseudonym of the answer's text (the
    /// CLI injects HMAC-SHA256 with a secret key); `width` is the pseudonym's length in bytes.
    case pseudonymise(width: Int, @Sendable (String) -> String)
    /// Kept as collected; only with an explicit `--pii keep`.
    case keep

    var treatment: PIITreatment {
        switch self {
        case .drop: .dropped
        case .pseudonymise: .pseudonymised
        case .keep: .kept
        }
    }
}

/// Names and texts the schema adds on its own.
enum BuiltinLabels {
    static let special = "tp_special"
    static let selected = "tp_selected"
    static let confirmed = "tp_confirmed"
    static let boolean = "tp_bool"
    /// `iv_review`: where the interview stands in the supervisor's review loop.
    static let review = "tp_review"
    /// Yes/no with the special answers: a calculated condition, which is -7 off route.
    static let flag = "tp_flag"

    static func review(_ state: ReviewState, _ lang: LanguageCode) -> String {
        let hu = lang.rawValue == "hu"
        switch state {
        case .notReviewed: return hu ? "nincs ellenőrizve" : "not reviewed"
        case .approved: return hu ? "jóváhagyva" : "approved"
        case .rejected: return hu ? "visszaküldve javításra" : "rejected, to fix"
        case .fixed: return hu ? "javítva, újra ellenőrzésre vár" : "fixed, waiting for review again"
        }
    }

    /// The label of a special answer in a language (Hungarian or English).
    static func special(_ s: SpecialAnswer, _ lang: LanguageCode) -> String {
        let hu = lang.rawValue == "hu"
        switch s {
        case .notApplicable: return hu ? "nem vonatkozik rá" : "not applicable"
        case .dontKnow: return hu ? "nem tudja" : "don't know"
        case .refused: return hu ? "nem válaszol" : "refused"
        }
    }

    static func yesNo(_ yes: Bool, _ lang: LanguageCode) -> String {
        lang.rawValue == "hu" ? (yes ? "igen" : "nem") : (yes ? "yes" : "no")
    }

    static func selected(_ yes: Bool, _ lang: LanguageCode) -> String {
        lang.rawValue == "hu" ? (yes ? "megjelölve" : "nincs megjelölve") : (yes ? "selected" : "not selected")
    }

    static func confirmed(_ yes: Bool, _ lang: LanguageCode) -> String {
        lang.rawValue == "hu" ? (yes ? "megerősítve" : "nem jelzett") : (yes ? "confirmed" : "not flagged")
    }

    static func provenance(_ f: ProvenanceField, _ lang: LanguageCode) -> String {
        let hu = lang.rawValue == "hu"
        switch f {
        case .definitionHash: return hu ? "Kérdőív-definíció hash" : "Definition hash"
        case .surveyVersion: return hu ? "Kérdőív verzió" : "Questionnaire version"
        case .device: return hu ? "Eszköz" : "Device"
        case .interviewer: return hu ? "Kérdezőbiztos" : "Interviewer"
        case .startTime: return hu ? "Interjú kezdete (UTC)" : "Interview start (UTC)"
        case .endTime: return hu ? "Interjú vége (UTC)" : "Interview end (UTC)"
        case .durationMinutes: return hu ? "Időtartam (perc)" : "Duration (minutes)"
        case .outcome: return hu ? "Látogatás eredménykódja" : "Visit outcome code"
        case .conflict: return hu ? "Egyesítési konfliktus volt" : "Had a merge conflict"
        case .visits: return hu ? "Látogatások száma" : "Number of visits"
        case .final:
            return hu ? "Végleges kimenet (a kérdőív final szabályai szerint)" : "Final outcome (by the questionnaire's final rules)"
        case .review: return hu ? "Ellenőrzés állapota" : "Review state"
        }
    }

    static func interviewID(_ lang: LanguageCode) -> String {
        lang.rawValue == "hu" ? "Interjú azonosító" : "Interview identifier"
    }

    static func row(_ roster: String, _ lang: LanguageCode) -> String {
        lang.rawValue == "hu" ? "Sor sorszáma: \(roster)" : "Row number in \(roster)"
    }
}

extension PIIMode {
    /// The permissions of every file an export writes, its log included (never wider than the
    /// data): owner-only (0600) when personal data are kept as collected, else 0644 (both less
    /// the umask). docs/security.md, "Files at rest".
    public var fileMode: UInt16 {
        if case .keep = self { return 0o600 }
        return 0o644
    }
}
