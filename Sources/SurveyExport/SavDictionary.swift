import Foundation
import SurveyModel

/// Encodes the header and dictionary of an SPSS system file (everything before the cases).
struct SavDictionary {
    let layout: SavLayout
    let schema: ExportSchema
    let table: ExportTable
    private var out = ByteWriter()

    init(layout: SavLayout, schema: ExportSchema, table: ExportTable) {
        self.layout = layout
        self.schema = schema
        self.table = table
    }

    mutating func encode(compressed: Bool, createdAt: Date) -> [UInt8] {
        header(compressed: compressed, createdAt: createdAt)
        for v in layout.variables { variableRecords(v) }
        valueLabelRecords()
        integerInfo()
        floatInfo()
        multipleResponseSets()
        displayParameters()
        longNames()
        veryLongStrings()
        variableAttributes()
        longStringMissingValues()
        extensionText(subtype: 20, "UTF-8")
        out.int32(999)
        out.int32(0)
        return out.bytes
    }

    private mutating func header(compressed: Bool, createdAt: Date) {
        out.ascii("$FL2")
        out.fixed("@(#) SPSS DATA FILE terep export", size: 60, pad: 0x20)
        out.int32(2)
        out.int32(layout.totalSlots)
        out.int32(compressed ? 1 : 0)
        out.int32(0)
        out.int32(-1)
        out.double(100)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "dd MMM yy"
        out.fixed(f.string(from: createdAt), size: 9, pad: 0x20)
        f.dateFormat = "HH:mm:ss"
        out.fixed(f.string(from: createdAt), size: 8, pad: 0x20)
        out.fixed(table.label, size: 64, pad: 0x20)
        out.fixed("", size: 3)
    }

    private mutating func variableRecords(_ v: SavLayout.Variable) {
        let isNumeric = v.width == 0
        for (i, segment) in v.segments.enumerated() {
            let first = i == 0
            let label = first ? NameRules.cut(v.variable.label, maxBytes: 255) : ""
            let missing = first && isNumeric && v.variable.declaresSpecials
            let missingTexts = first && !isNumeric && v.width <= 8 ? missingStrings(v) : []
            out.int32(2)
            out.int32(segment.width)
            out.int32(label.isEmpty ? 0 : 1)
            let isDate = v.variable.type.isCalendar
            out.int32(missing ? (isDate ? -2 : 3) : missingTexts.count)
            let format = SavLayout.format(v.variable.type, segmentWidth: segment.width)
            out.int32(format)
            out.int32(format)
            out.fixed(segment.shortName, size: 8, pad: 0x20)
            if !label.isEmpty {
                let bytes = Array(label.utf8)
                out.int32(bytes.count)
                out.bytes += bytes
                out.bytes += repeatElement(0x20, count: (4 - bytes.count % 4) % 4)
            }
            if missing && isDate {
                // A range: see SavLayout.dateMissingRange.
                let range = SavLayout.dateMissingRange(codes: schema.specialCodes)
                out.double(range.low)
                out.double(range.high)
            } else if missing {
                for s in [SpecialAnswer.notApplicable, .dontKnow, .refused] {
                    out.double(SavLayout.specialValue(s, codes: schema.specialCodes, type: v.variable.type))
                }
            }
            for text in missingTexts { out.fixed(text, size: 8, pad: 0x20) }
            for _ in 1..<Swift.max(1, segment.slots) {
                out.int32(2)
                out.int32(-1)
                out.int32(0)
                out.int32(0)
                out.int32(0)
                out.int32(0)
                out.fixed("", size: 8, pad: 0x20)
            }
        }
    }

    /// One type-3 record per label set, followed by the type-4 list of variables using it (a set
    /// used by dates gets a record of its own: their special answers are stored as days).
    private mutating func valueLabelRecords() {
        struct Use: Hashable {
            var name: String
            var type: ExportType
        }
        var users: [Use: [Int]] = [:]
        var order: [Use] = []
        for v in layout.variables where v.width == 0 {
            guard let name = v.variable.valueLabels, schema.valueLabelSets[name] != nil else { continue }
            let use = Use(name: name, type: v.variable.type.isCalendar ? v.variable.type : .decimal(places: 0))
            if users[use] == nil { order.append(use) }
            users[use, default: []].append(v.segments[0].dictionaryIndex)
        }
        for use in order {
            guard let set = schema.valueLabelSets[use.name], let indices = users[use] else { continue }
            out.int32(3)
            out.int32(set.labels.count)
            for (value, label) in set.labels {
                switch value {
                case .code(let c): out.double(Double(c))
                case .special(let s): out.double(SavLayout.specialValue(s, codes: schema.specialCodes, type: use.type))
                }
                let bytes = Array(NameRules.cut(label, maxBytes: 120).utf8)
                out.uint8(UInt8(bytes.count))
                out.bytes += bytes
                out.bytes += repeatElement(0x20, count: (8 - (bytes.count + 1) % 8) % 8)
            }
            out.int32(4)
            out.int32(indices.count)
            for i in indices { out.int32(i) }
        }
    }

    private mutating func extensionHeader(subtype: Int, size: Int, count: Int) {
        out.int32(7)
        out.int32(subtype)
        out.int32(size)
        out.int32(count)
    }

    private mutating func extensionText(subtype: Int, _ text: String) {
        let bytes = Array(text.utf8)
        extensionHeader(subtype: subtype, size: 1, count: bytes.count)
        out.bytes += bytes
    }

    private mutating func integerInfo() {
        extensionHeader(subtype: 3, size: 4, count: 8)
        for v in [20, 0, 0, -1, 1, 1, 2, 65001] { out.int32(v) }
    }

    private mutating func floatInfo() {
        extensionHeader(subtype: 4, size: 8, count: 3)
        out.double(-Double.greatestFiniteMagnitude)
        out.double(Double.greatestFiniteMagnitude)
        out.double(-Double.greatestFiniteMagnitude.nextDown)
    }

    /// Record 7.11: measure, display width and alignment for every segment.
    private mutating func displayParameters() {
        let segments = layout.variables.reduce(0) { $0 + $1.segments.count }
        extensionHeader(subtype: 11, size: 4, count: 3 * segments)
        for v in layout.variables {
            for segment in v.segments {
                switch v.variable.measure {
                case .nominal: out.int32(1)
                case .ordinal: out.int32(2)
                case .scale: out.int32(3)
                }
                out.int32(v.width == 0 ? 10 : Swift.min(40, Swift.max(8, segment.width)))
                out.int32(v.width == 0 ? 1 : 0)
            }
        }
    }

    /// Record 7.7: each multiple-choice question's indicators as a dichotomy set counting 1
    /// (`$nb_prob=D1 1 <label length> <label> <short names>`), so `MRSETS` and `CTABLES` treat
    /// the question as one.
    private mutating func multipleResponseSets() {
        let shortNames = Dictionary(layout.variables.map { ($0.variable.name, $0.segments[0].shortName) }, uniquingKeysWith: { a, _ in a })
        var text: [UInt8] = []
        for set in table.responseSets {
            let label = Array(NameRules.cut(set.label, maxBytes: 255).replacingAll("\n", with: " ").utf8)
            text += Array("\(set.name)=D1 1 \(label.count) ".utf8) + label
            for v in set.variables { text += Array(" \(shortNames[v.name] ?? v.name)".utf8) }
            text.append(0x0A)
        }
        guard !text.isEmpty else { return }
        extensionHeader(subtype: 7, size: 1, count: text.count)
        out.bytes += text
    }

    /// Record 7.18: each variable's question text and interviewer instruction as the custom
    /// attributes `Question` and `Instruction` (`DISPLAY ATTRIBUTES` shows them).
    private mutating func variableAttributes() {
        var parts: [String] = []
        for v in layout.variables {
            let attributes = [("Question", v.variable.question), ("Instruction", v.variable.instruction)].compactMap { name, text in
                text.map { "\(name)('\(SavDictionary.attributeText($0))'\n)" }
            }
            if !attributes.isEmpty { parts.append("\(v.variable.name):" + attributes.joined()) }
        }
        guard !parts.isEmpty else { return }
        extensionText(subtype: 18, parts.joined(separator: "/"))
    }

    /// An attribute value on one line (a line feed ends a value), at most 4,000 bytes.
    static func attributeText(_ s: String) -> String {
        NameRules.cut(s, maxBytes: 4_000).replacingAll("\n", with: " ").replacingAll("\r", with: " ")
    }

    private mutating func longNames() {
        let text = layout.variables.map { "\($0.segments[0].shortName)=\($0.variable.name)" }.joined(separator: "\t")
        extensionText(subtype: 13, text)
    }

    /// The special codes as text, declared user-missing on a string variable that holds them.
    ///
    /// Only codes that fit both the variable and the 8-byte missing-value slot are declared
    /// (a code wider than the variable can never occur in it).
    private func missingStrings(_ v: SavLayout.Variable) -> [String] {
        guard v.width > 0, v.variable.declaresSpecials else { return [] }
        return [SpecialAnswer.notApplicable, .dontKnow, .refused]
            .map { String(schema.specialCodes.code(for: $0)) }
            .filter { $0.utf8.count <= Swift.min(8, v.width) }
    }

    /// Record 7.22: the discrete missing values of strings wider than 8 bytes, by long name.
    ///
    /// Each entry is the name (length-prefixed), the count (one byte), the value length (8)
    /// and the values, space-padded to 8 bytes.
    private mutating func longStringMissingValues() {
        var bytes = ByteWriter()
        for v in layout.variables where v.width > 8 {
            let texts = missingStrings(v)
            guard !texts.isEmpty else { continue }
            let name = Array(v.variable.name.utf8)
            bytes.int32(name.count)
            bytes.bytes += name
            bytes.uint8(UInt8(texts.count))
            bytes.int32(8)
            for text in texts { bytes.fixed(text, size: 8, pad: 0x20) }
        }
        guard !bytes.bytes.isEmpty else { return }
        extensionHeader(subtype: 22, size: 1, count: bytes.bytes.count)
        out.bytes += bytes.bytes
    }

    private mutating func veryLongStrings() {
        let long = layout.variables.filter { $0.width > 255 }
        guard !long.isEmpty else { return }
        var bytes: [UInt8] = []
        for v in long {
            let w = String(v.width)
            bytes += Array("\(v.segments[0].shortName)=\(String(repeating: "0", count: max(0, 5 - w.count)))\(w)".utf8)
            bytes += [0, 9]
        }
        extensionHeader(subtype: 14, size: 1, count: bytes.count)
        out.bytes += bytes
    }
}
