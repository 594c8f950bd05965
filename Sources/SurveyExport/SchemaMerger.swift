import SurveyModel

/// Merges the schemas of older questionnaire versions into the newest one's, one version at a
/// time (the rule is documented on ``ExportSchema/init(versions:options:)``).
struct SchemaMerger {
    /// A code and its label in the export language.
    typealias Codes = [(code: Int, label: String)]

    private struct Key: Hashable {
        var table: String
        var name: String
    }

    let versions: [ExportVersion]
    private(set) var schema: ExportSchema
    /// The version being added (an index into ``versions``).
    private var current = 0
    /// Each variable's codes and their labels (nil when it has no value labels).
    private var codes: [Key: Codes?] = [:]
    /// Variables holding older values of a name apart (`income_v1`), by that name.
    private var separated: [Key: [String]] = [:]
    /// Why each such variable was made: the name whose values it holds apart, and the reason.
    private var apartReasons: [Key: (from: String, reason: String)] = [:]
    /// Value-label sets created by the merge for one variable (replaced on later merges).
    private var ownSets: Set<String> = []
    /// Older versions' sets registered under another name, by version and original name.
    private var renamedSets: [String: String] = [:]
    /// Tables in some versions only (their variables get no note of their own).
    private var partialTables: Set<String> = []
    private var notes: [VersionNote] = []
    /// The last variable of the version being added that was placed, by table: the anchor
    /// after which its next new variable goes.
    private var anchors: [String: String] = [:]
    /// Short tags of the versions for suffixed names (`1`, `2_1`, or a hash prefix).
    private let tags: [String]

    init(newest: ExportSchema, index: SurveyIndex, versions: [ExportVersion]) {
        self.versions = versions
        schema = newest
        let cleaned = versions.map { v in
            String(
                v.version.unicodeScalars.map {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "_"
                })
        }
        tags = zip(versions, cleaned).map { v, tag in
            !tag.isEmpty && cleaned.count { $0 == tag } == 1 ? tag : String(v.hash.rawValue.prefix(6))
        }
        let hash = versions.first?.hash
        for t in schema.tables.indices {
            for i in schema.tables[t].variables.indices {
                let v = schema.tables[t].variables[i]
                codes[Key(table: schema.tables[t].name, name: v.name)] = Self.codes(
                    of: v, sets: newest.valueLabelSets, index: index, language: newest.language)
                schema.tables[t].variables[i].versions = hash.map { [$0] }
            }
        }
    }

    /// Merges the schema of the next older version.
    mutating func add(_ older: ExportSchema, index: SurveyIndex) throws(ExportError) {
        current += 1
        anchors = [:]
        for name in older.droppedPII where !schema.droppedPII.contains(name) { schema.droppedPII.append(name) }
        var anchor = -1
        for table in older.tables {
            if let t = schema.tables.firstIndex(where: { $0.roster == table.roster }) {
                guard schema.tables[t].rosterPath == table.rosterPath else {
                    throw .incompatibleVersions(rosterMoved(table, newer: schema.tables[t]))
                }
                for v in table.variables { merge(v, into: t, older: older, index: index) }
                anchor = t
            } else {
                anchor += 1
                schema.tables.insert(
                    ExportTable(
                        name: table.name, roster: table.roster, rosterPath: table.rosterPath, label: table.label, variables: []), at: anchor
                )
                partialTables.insert(table.name)
                notes.append(VersionNote(table: table.name, variable: "", versions: [versions[current]], kind: .tableOnlyIn))
                for v in table.variables { merge(v, into: anchor, older: older, index: index) }
            }
        }
    }

    /// The merged schema: variables filled by every version have `versions` nil.
    func finished() -> ExportSchema {
        var out = schema
        let all = Set(versions.map(\.hash))
        var more: [VersionNote] = []
        var order: [Key: Int] = [:]
        for t in out.tables.indices {
            let table = out.tables[t].name
            order[Key(table: table, name: "")] = order.count
            for i in out.tables[t].variables.indices {
                let v = out.tables[t].variables[i]
                let key = Key(table: table, name: v.name)
                order[key] = order.count
                let held = versions.filter { v.versions?.contains($0.hash) == true }
                if v.versions == all {
                    out.tables[t].variables[i].versions = nil
                } else if let apart = apartReasons[key] {
                    more.append(
                        VersionNote(
                            table: table, variable: v.name, versions: held, kind: .separated(from: apart.from, reason: apart.reason)))
                } else if !partialTables.contains(table) {
                    more.append(VersionNote(table: table, variable: v.name, versions: held, kind: .onlyIn))
                }
            }
        }
        out.versions = versions
        // In the order of the tables and variables, stable within one variable.
        out.versionNotes = (notes + more).enumerated().sorted { a, b in
            let x = order[Key(table: a.element.table, name: a.element.variable)] ?? .max
            let y = order[Key(table: b.element.table, name: b.element.variable)] ?? .max
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        return out
    }

    // MARK: Variables

    private mutating func merge(_ v: ExportVariable, into t: Int, older: ExportSchema, index: SurveyIndex) {
        let tableName = schema.tables[t].name
        let key = Key(table: tableName, name: v.name)
        let vCodes = Self.codes(of: v, sets: older.valueLabelSets, index: index, language: schema.language)
        guard let main = position(v.name, in: t) else {
            // Only in older versions: after its nearest earlier neighbour there, else at the end.
            let at = anchors[tableName].flatMap { position($0, in: t) }.map { $0 + 1 } ?? schema.tables[t].variables.count
            place(v, named: v.name, at: at, in: t, codes: vCodes, older: older)
            return
        }
        var reason: String?
        for name in [v.name] + (separated[key] ?? []) {
            guard let c = position(name, in: t) else { continue }
            let candidate = schema.tables[t].variables[c]
            if let problem = conflict(candidate, codes[Key(table: tableName, name: name)] ?? nil, v, vCodes) {
                reason = reason ?? problem
                continue
            }
            combine(v, codes: vCodes, into: c, table: t, older: older)
            anchors[tableName] = name
            return
        }
        let group = [v.name] + (separated[key] ?? [])
        let after = group.compactMap { position($0, in: t) }.max() ?? main
        var copy = v
        let version = versions[current].version
        // A hash tag (two definitions share the version text) also goes into the label.
        let byHash = tags[current] == String(versions[current].hash.rawValue.prefix(6))
        copy.label = "\(v.label) [v\(version)\(byHash ? " \(tags[current])" : "")]"
        let name = uniqueName(v.name, suffix: "_v\(tags[current])", in: t)
        place(copy, named: name, at: after + 1, in: t, codes: vCodes, older: older)
        separated[key, default: []].append(name)
        apartReasons[Key(table: tableName, name: name)] = (v.name, reason ?? "its versions differ")
    }

    private mutating func place(_ v: ExportVariable, named name: String, at: Int, in t: Int, codes vCodes: Codes?, older: ExportSchema) {
        var copy = v
        copy.name = name
        copy.versions = [versions[current].hash]
        copy.valueLabels = register(v.valueLabels, from: older)
        schema.tables[t].variables.insert(copy, at: min(at, schema.tables[t].variables.count))
        codes[Key(table: schema.tables[t].name, name: name)] = vCodes
        anchors[schema.tables[t].name] = name
    }

    /// Merges an older version's variable into a compatible one at `c`.
    private mutating func combine(_ v: ExportVariable, codes vCodes: Codes?, into c: Int, table t: Int, older: ExportSchema) {
        var m = schema.tables[t].variables[c]
        let key = Key(table: schema.tables[t].name, name: m.name)
        let wider = Self.widen(m.type, v.type)
        if wider != m.type {
            notes.append(
                VersionNote(
                    table: key.table, variable: m.name, versions: [versions[current]],
                    kind: .widened(from: Self.describe(m.type), older: Self.describe(v.type), to: Self.describe(wider))))
            m.type = wider
        }
        m.declaresSpecials = m.declaresSpecials || v.declaresSpecials
        m.pii = m.pii || v.pii
        m.versions?.insert(versions[current].hash)
        if case .indicator = m.source.innermost {
            // The code's label was compared; the 0/1 labels are the same in every version.
        } else if let vCodes, !vCodes.isEmpty {
            let mine = codes[key] ?? nil
            let known = Set((mine ?? []).map(\.code))
            let added = vCodes.filter { !known.contains($0.code) }
            if !added.isEmpty {
                let merged = (mine ?? []) + added
                let base = m.valueLabels.flatMap { schema.valueLabelSets[$0] } ?? v.valueLabels.flatMap { older.valueLabelSets[$0] }
                let specials = base?.labels.filter { if case .special = $0.value { true } else { false } } ?? []
                let name = m.valueLabels.flatMap { ownSets.contains($0) ? $0 : nil } ?? uniqueSetName(m.name)
                ownSets.insert(name)
                schema.valueLabelSets[name] = ValueLabelSet(
                    name: name, labels: merged.map { (LabelledValue.code($0.code), $0.label) } + specials, best: base?.best)
                m.valueLabels = name
                codes[key] = merged
                notes.append(
                    VersionNote(
                        table: key.table, variable: m.name, versions: [versions[current]], kind: .labelsMerged(added: added.map(\.code))))
            }
        }
        schema.tables[t].variables[c] = m
    }

    /// Why an older version's variable cannot share the cells of `m`, or nil when it can.
    private func conflict(_ m: ExportVariable, _ mCodes: Codes?, _ v: ExportVariable, _ vCodes: Codes?) -> String? {
        let newer = versions.filter { m.versions?.contains($0.hash) == true }.map(\.description).joined(separator: ", ")
        let older = versions[current].description
        guard m.source == v.source else {
            return "it holds a different kind of answer in \(older) than in \(newer)"
        }
        switch (m.type, v.type) {
        case (.string, .string), (.date, .date), (.datetime, .datetime), (.localDatetime, .localDatetime):
            return nil
        case (.integer, .integer), (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
            guard let mCodes, let vCodes else { return nil }
            if mCodes.isEmpty != vCodes.isEmpty {
                let kind = { (c: Codes) in c.isEmpty ? "a number" : "a coded answer (with value labels)" }
                return "it is \(kind(mCodes)) in \(newer) but \(kind(vCodes)) in \(older)"
            }
            for (code, label) in vCodes {
                if let other = mCodes.first(where: { $0.code == code }), other.label != label {
                    return "code \(code) means '\(other.label)' in \(newer) but '\(label)' in \(older)"
                }
            }
            return nil
        default:
            return "it is \(Self.describe(m.type)) in \(newer) but \(Self.describe(v.type)) in \(older)"
        }
    }

    // MARK: Names

    private func position(_ name: String, in t: Int) -> Int? {
        schema.tables[t].variables.firstIndex { $0.name == name }
    }

    /// `name` + `suffix`, cut to 32 characters and made unique (ignoring case) in the table.
    private func uniqueName(_ name: String, suffix: String, in t: Int) -> String {
        let taken = Set(schema.tables[t].variables.map { $0.name.lowercased() })
        var n = 1
        while true {
            let tail = n == 1 ? suffix : "\(suffix)_\(n)"
            let candidate = String(name.prefix(max(1, NameRules.maxNameLength - tail.count))) + tail
            if !taken.contains(candidate.lowercased()) { return candidate }
            n += 1
        }
    }

    private func uniqueSetName(_ base: String) -> String {
        var n = 1
        while true {
            let tail = n == 1 ? "" : "_\(n)"
            let candidate = String(base.prefix(NameRules.maxNameLength - tail.count)) + tail
            if schema.valueLabelSets[candidate] == nil { return candidate }
            n += 1
        }
    }

    /// The name an older version's value-label set has in the merged schema (added if new;
    /// renamed when the newer versions use its name for other labels).
    private mutating func register(_ name: String?, from older: ExportSchema) -> String? {
        guard let name, let set = older.valueLabelSets[name] else { return name }
        guard let existing = schema.valueLabelSets[name] else {
            schema.valueLabelSets[name] = set
            return name
        }
        if existing.labels.elementsEqual(set.labels, by: { $0.value == $1.value && $0.label == $1.label }) { return name }
        let key = "\(current)/\(name)"
        if let renamed = renamedSets[key] { return renamed }
        let renamed = uniqueSetName("\(name)_v\(tags[current])")
        schema.valueLabelSets[renamed] = ValueLabelSet(name: renamed, labels: set.labels, best: set.best)
        renamedSets[key] = renamed
        return renamed
    }

    private func rosterMoved(_ table: ExportTable, newer: ExportTable) -> String {
        func place(_ path: [GroupID]) -> String {
            path.count <= 1 ? "at the top level" : "inside " + path.dropLast().map { "'\($0)'" }.joined(separator: " > ")
        }
        let roster = table.roster?.rawValue ?? table.name
        let hashes = versions.map { "--survey-version \($0.hash.rawValue.prefix(12)) (\($0.version))" }.joined(separator: ", ")
        return "roster '\(roster)' is \(place(newer.rosterPath)) in the newer version but \(place(table.rosterPath))"
            + " in \(versions[current]), so their rows cannot share one table; export each version alone: \(hashes)"
    }

    // MARK: Types and codes

    /// The type that holds the values of both (only called for compatible types).
    static func widen(_ a: ExportType, _ b: ExportType) -> ExportType {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            return .integer(min(x.lowerBound, y.lowerBound)...max(x.upperBound, y.upperBound))
        case (.decimal(let p), .decimal(let q)): return .decimal(places: max(p, q))
        case (.decimal(let p), .integer), (.integer, .decimal(let p)): return .decimal(places: p)
        case (.string(let x), .string(let y)): return .string(width: max(x, y))
        default: return a
        }
    }

    static func describe(_ type: ExportType) -> String {
        switch type {
        case .integer(let r): "integer \(r.lowerBound)–\(r.upperBound)"
        case .decimal(let p): "number with \(p) decimals"
        case .date: "date"
        case .datetime: "date and time"
        case .localDatetime: "local date and time"
        case .string(let w): "text of at most \(w) bytes"
        }
    }

    /// The codes a variable's values stand for, with their labels: a choice's value labels,
    /// an indicator's code; nil for a variable without value labels.
    static func codes(of v: ExportVariable, sets: [String: ValueLabelSet], index: SurveyIndex, language: LanguageCode) -> Codes? {
        if case .indicator(let q, let code) = v.source.innermost {
            var label = String(code)
            if case .multipleChoice(let spec, _, _)? = index[q]?.question.kind,
                let option = index.answerSets[spec.answerSet]?.options.first(where: { $0.code == code })
            {
                label = option.label.text(in: language, fallbacks: index.definition.languages) ?? label
            }
            return [(code, label)]
        }
        guard let name = v.valueLabels, let set = sets[name] else { return nil }
        return set.labels.compactMap { if case .code(let c) = $0.value { (c, $0.label) } else { nil } }
    }
}

extension VariableSource {
    /// The source inside any ``wide(_:row:)`` wrapping.
    var innermost: VariableSource {
        if case .wide(let inner, _) = self { return inner.innermost }
        return self
    }
}
