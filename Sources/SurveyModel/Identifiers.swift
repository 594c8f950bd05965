/// A typed string identifier; each kind of name gets its own type so they cannot be mixed up.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(rawValue: String) { self.init(rawValue) }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The identifier of a survey, e.g. `wellbeing` or `energy`.
public struct SurveyID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A variable name: a question, a calculation or an "other, specify" text; valid for SPSS and Stata.
public struct VariableName: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The name of a reusable answer set (value set), e.g. `SAT10`.
public struct AnswerSetID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The name of a group: a section, a grid or a roster.
public struct GroupID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The name of a check, e.g. `chk_hh_size`; soft checks are logged under this name.
public struct CheckID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A language code from the survey header, e.g. `hu` or `en`.
public struct LanguageCode: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The identifier of one interview (a lower-case UUID string).
public struct InterviewID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The identifier of a field device (a laptop), chosen at `terep device init`.
public struct DeviceID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The SHA-256 content hash (lower-case hex) of a compiled definition's canonical JSON.
public struct DefinitionHash: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The first 12 hex digits, for display.
    public var short: String { String(rawValue.prefix(12)) }
}

/// The identifier of a case of the sample (an address, an organisation…), from the sample
/// file's `case_id` column, e.g. `W-0042`: 1–64 letters, digits, '-', '_', '.' or '/'.
public struct CaseID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Why a text cannot be a case id, or nil when it can.
    public static func problem(with text: String) -> String? {
        guard !text.isEmpty else { return "the case id is empty" }
        guard text.utf8.count <= 64 else { return "the case id is longer than 64 characters" }
        // Every character allowed is one ASCII byte, and no byte of another character is one.
        var bytes = text
        let allowed = bytes.withUTF8 {
            $0.allSatisfy { b in
                (0x61...0x7A).contains(b) || (0x41...0x5A).contains(b) || (0x30...0x39).contains(b) || b == 0x2D || b == 0x5F || b == 0x2E
                    || b == 0x2F
            }
        }
        return allowed ? nil : "a case id may hold only letters, digits, '-', '_', '.' and '/' (no spaces or '=')"
    }
}
