import SurveyModel

/// One questionnaire version (compiled definition) of a survey in a merged export.
public struct ExportVersion: Hashable, Sendable, CustomStringConvertible {
    public var hash: DefinitionHash
    /// The definition's `version` text.
    public var version: String

    public init(hash: DefinitionHash, version: String) {
        self.hash = hash
        self.version = version
    }

    /// `version 2 (3fa2b1c0)`: the version text and the start of the definition hash.
    public var description: String { "version \(version) (\(hash.rawValue.prefix(8)))" }
}

/// What merging questionnaire versions did to one variable or table, for the export log.
public struct VersionNote: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The variable is in some versions only; interviews of the others have empty cells.
        case onlyIn
        /// The whole table (roster) is in some versions only.
        case tableOnlyIn
        /// The type was widened so that every version's values fit unchanged: the newer
        /// versions' type `from`, the older one's `older`.
        case widened(from: String, older: String, to: String)
        /// Codes of older versions were added to the newest version's value labels.
        case labelsMerged(added: [Int])
        /// These versions' values of `from` are kept apart in this variable, for `reason`.
        case separated(from: String, reason: String)
    }

    public var table: String
    /// The variable's export name (empty for ``Kind/tableOnlyIn``).
    public var variable: String
    /// The versions the note is about.
    public var versions: [ExportVersion]
    public var kind: Kind

    public var description: String {
        let which = versions.map(\.description).joined(separator: ", ")
        switch kind {
        case .onlyIn:
            return "\(table).\(variable): only in \(which); empty for interviews of other versions"
        case .tableOnlyIn:
            return "table \(table): only in \(which); interviews of other versions have no rows"
        case .widened(let from, let older, let to):
            return "\(table).\(variable): \(from) in newer versions but \(older) in \(which), widened to \(to) (values unchanged)"
        case .labelsMerged(let added):
            let codes = added.map(String.init).joined(separator: ", ")
            return "\(table).\(variable): value labels merged; code(s) \(codes) labelled as in \(which)"
        case .separated(let from, let reason):
            return "\(table).\(variable): the values of '\(from)' from \(which), kept apart because \(reason)"
        }
    }
}

extension ExportSchema {
    /// Derives one schema for interviews made with several versions of a survey (newest first).
    ///
    /// The schema is the union of the versions' variables, in the newest version's order; a
    /// variable only in older versions follows its nearest earlier neighbour there. Labels come
    /// from the newest version that has the variable. A variable whose versions differ merges
    /// only when every version's values fit unchanged and mean the same: numbers widen to the
    /// range (or decimals) that holds them all, texts to the widest width, and value labels
    /// merge when no code has different labels. Otherwise an older version's values go to a
    /// variable of their own, `<name>_v<version>`. Each variable records the versions that
    /// fill it (``ExportVariable/versions``); ``versionNotes`` says what was merged or kept apart.
    /// With one version the schema equals ``init(definition:options:)``.
    public init(
        versions: [(hash: DefinitionHash, definition: SurveyDefinition)], options: ExportOptions = ExportOptions()
    ) throws(ExportError) {
        guard let newest = versions.first else { throw .incompatibleVersions("no questionnaire version to export") }
        var options = options
        let languages = newest.definition.languages
        if let asked = options.language, !languages.contains(asked) {
            throw .unknownLanguage(asked.rawValue, available: languages.map(\.rawValue))
        }
        options.language = options.language ?? languages.first ?? LanguageCode("en")
        var alsoPII: [VariableName: PersonalData] = [:]
        for v in versions {
            for q in v.definition.allQuestions where q.pii.isPersonal {
                alsoPII[q.name] = SchemaBuilder.stricter(q.pii, alsoPII[q.name] ?? .notPersonal)
            }
        }
        let exportVersions = versions.map { ExportVersion(hash: $0.hash, version: $0.definition.version) }
        var merger: SchemaMerger?
        var widened = Set<GroupID>()
        for v in versions {
            var builder = SchemaBuilder(definition: v.definition, options: options, alsoPII: alsoPII)
            builder.build()
            for roster in options.wideRosters where versions.count == 1 || builder.tables.contains(where: { $0.roster == roster }) {
                try builder.widen(roster)
                widened.insert(roster)
            }
            let built = ExportSchema(builder: builder)
            if var m = merger {
                try m.add(built, index: SurveyIndex(v.definition))
                merger = m
            } else {
                merger = SchemaMerger(newest: built, index: SurveyIndex(v.definition), versions: exportVersions)
            }
        }
        if let missing = options.wideRosters.first(where: { !widened.contains($0) }) {
            throw .cannotWiden(roster: missing.rawValue, reason: "there is no roster of that name")
        }
        guard let merger else { throw .incompatibleVersions("no questionnaire version to export") }
        self = merger.finished()
        for table in tables { try NameRules.check(table) }
    }
}

extension SurveyDefinition {
    /// Every question of the definition, in any group.
    var allQuestions: [Question] {
        func walk(_ nodes: [Node]) -> [Question] {
            nodes.flatMap { node -> [Question] in
                switch node {
                case .question(let q): [q]
                case .group(let g): walk(g.children)
                case .end: []
                }
            }
        }
        return walk(items)
    }
}
