import Crypto
import Foundation
import SurveyModel

/// What a bundle carries: a device's events, the compiled definitions they refer to, and which
/// definition each interview runs on.
public struct BundleContents: Hashable, Sendable {
    /// The events, ascending by sequence number.
    public var events: [InterviewEvent]
    /// The compiled-survey files (raw bytes as `terep compile` wrote them), by content hash.
    public var definitionFiles: [DefinitionHash: Data]
    /// The definition of every interview that has events in the bundle.
    public var interviewDefinitions: [InterviewID: DefinitionHash]

    public init(
        events: [InterviewEvent], definitionFiles: [DefinitionHash: Data], interviewDefinitions: [InterviewID: DefinitionHash]
    ) {
        self.events = events
        self.definitionFiles = definitionFiles
        self.interviewDefinitions = interviewDefinitions
    }
}

/// The decompressed payload's text format (docs/bundle-format.md):
///
/// ```
/// terep-payload 1\n
/// definition <hash> <byte length>\n<compiled-survey file bytes>\n     (once per definition)
/// interviews <count>\n  {"definition":"…","interview":"…"}\n …
/// events <count>\n      <InterviewEvent JSON>\n …
/// ```
public enum BundlePayload {
    static let header = "terep-payload 1"

    /// Serialises contents; events are written in the order given.
    public static func encode(_ contents: BundleContents) throws(BundleError.Kind) -> Data {
        var out = Data(header.utf8)
        out.append(0x0A)
        appendDefinitions(contents.definitionFiles, to: &out)
        out.append(Data("interviews \(contents.interviewDefinitions.count)\n".utf8))
        var lines: [UInt8] = []
        lines.reserveCapacity(contents.interviewDefinitions.count * 100 + contents.events.count * 200)
        for (interview, hash) in contents.interviewDefinitions.sorted(by: { $0.key < $1.key }) {
            InterviewLine(interview: interview, definition: hash).append(to: &lines)
            lines.append(0x0A)
        }
        lines.append(contentsOf: "events \(contents.events.count)\n".utf8)
        for event in contents.events {
            do { try EventJSON.append(event, to: &lines) } catch {
                throw .io("could not encode event \(event.device)#\(event.sequence)")
            }
            lines.append(0x0A)
        }
        out.append(contentsOf: lines)
        return out
    }

    /// Parses a payload, checking its framing and every definition's hash; never traps.
    public static func decode(_ data: Data) throws(BundleError.Kind) -> (BundleContents, [DefinitionHash: CompiledSurvey]) {
        var cursor = LineCursor(data: data)
        guard cursor.nextLine() == header else { throw .malformedPayload("missing '\(header)' header") }
        let (files, definitions, line) = try readDefinitions(&cursor)
        let interviewCount = try count(of: "interviews", in: line)
        var map: [InterviewID: DefinitionHash] = [:]
        for _ in 0..<interviewCount {
            guard let l = cursor.nextLineData(), let entry = l.withUnsafeBytes(InterviewLine.decode) else {
                throw .malformedPayload("bad or missing interview line")
            }
            guard map.updateValue(entry.definition, forKey: entry.interview) == nil else {
                throw .malformedPayload("interview \(entry.interview) listed twice")
            }
        }
        let eventCount = try count(of: "events", in: cursor.nextLine())
        let (events, end) = try decodeEvents(data, from: cursor.position, count: eventCount)
        cursor.position = end
        guard cursor.atEnd else { throw .malformedPayload("unexpected data after the last event") }
        return (BundleContents(events: events, definitionFiles: files, interviewDefinitions: map), definitions)
    }

    /// Writes one `definition <hash> <length>` block per file, sorted by hash (bundles and packages).
    static func appendDefinitions(_ files: [DefinitionHash: Data], to out: inout Data) {
        for hash in files.keys.sorted() {
            let bytes = files[hash] ?? Data()
            out.append(Data("definition \(hash.rawValue) \(bytes.count)\n".utf8))
            out.append(bytes)
            out.append(0x0A)
        }
    }

    /// Reads the definition blocks at the cursor, checking each one's hash; returns them and
    /// the first line after them.
    static func readDefinitions(
        _ cursor: inout LineCursor
    ) throws(BundleError.Kind) -> (files: [DefinitionHash: Data], definitions: [DefinitionHash: CompiledSurvey], next: String?) {
        var files: [DefinitionHash: Data] = [:]
        var definitions: [DefinitionHash: CompiledSurvey] = [:]
        var line = cursor.nextLine()
        while let l = line, l.hasPrefix("definition ") {
            let parts = l.split(separator: " ")
            guard parts.count == 3, let length = Int(parts[2]), length >= 0 else {
                throw .malformedPayload("bad definition line '\(l.prefix(80))'")
            }
            let hash = DefinitionHash(String(parts[1]))
            guard files[hash] == nil else { throw .malformedPayload("definition \(hash.short) included twice") }
            guard let bytes = cursor.take(length), cursor.nextLine() == "" else {
                throw .malformedPayload("definition \(hash.short) is cut short")
            }
            definitions[hash] = try verifiedDefinition(bytes, declared: hash)
            files[hash] = bytes
            line = cursor.nextLine()
        }
        return (files, definitions, line)
    }

    /// Decodes `count` event lines starting at `start`; returns them and the index after the last line.
    private static func decodeEvents(_ data: Data, from start: Int, count: Int) throws(BundleError.Kind) -> ([InterviewEvent], Int) {
        let result = data.withUnsafeBytes { raw -> Result<([InterviewEvent], Int), BundleError.Kind> in
            var events: [InterviewEvent] = []
            events.reserveCapacity(Swift.min(count, raw.count / 32))
            var position = start - data.startIndex
            for index in stride(from: 1, through: count, by: 1) {
                guard let end = ByteScan.newline(in: raw, from: position) else {
                    return .failure(.malformedPayload("\(count) events declared, \(index - 1) found"))
                }
                let line = UnsafeRawBufferPointer(rebasing: raw[position..<end])
                position = end + 1
                do { events.append(try EventJSON.decodeEvent(line)) } catch {
                    return .failure(.malformedEvent(index: index, describe(error, json: line)))
                }
            }
            return .success((events, position + data.startIndex))
        }
        return try result.get()
    }

    /// Decodes a compiled-survey file and checks that its definition hashes to `declared`.
    ///
    /// Every bundle of a survey carries the same file, so a file verified before (the very same
    /// bytes for the same hash) is answered from ``VerifiedDefinitions/shared`` instead of being
    /// decoded and hashed again (that was an eighth of a server's merge of a day's bundle).
    public static func verifiedDefinition(_ bytes: Data, declared: DefinitionHash) throws(BundleError.Kind) -> CompiledSurvey {
        if let known = VerifiedDefinitions.shared.survey(bytes, declared: declared) { return known }
        let compiled = try decodedDefinition(bytes, declared: declared)
        VerifiedDefinitions.shared.keep(compiled, bytes: bytes)
        return compiled
    }

    private static func decodedDefinition(_ bytes: Data, declared: DefinitionHash) throws(BundleError.Kind) -> CompiledSurvey {
        let compiled: CompiledSurvey
        do { compiled = try JSONDecoder().decode(CompiledSurvey.self, from: bytes) } catch {
            throw .malformedDefinition(declared, describe(error, json: bytes))
        }
        guard compiled.terep == CompiledSurvey.marker else {
            throw .malformedDefinition(declared, "marker is '\(compiled.terep)', not '\(CompiledSurvey.marker)'")
        }
        guard let canonical = try? compiled.definition.canonicalJSON() else {
            throw .malformedDefinition(declared, "cannot re-encode the definition")
        }
        let actual = DefinitionHash(Data(SHA256.hash(data: canonical)).hexString)
        guard actual == declared, compiled.hash == declared else {
            throw .definitionHashMismatch(declared: declared, actual: actual)
        }
        return compiled
    }

    private static func count(of section: String, in line: String?) throws(BundleError.Kind) -> Int {
        guard let line, line.hasPrefix(section + " "), let n = Int(line.dropFirst(section.count + 1)), n >= 0 else {
            throw .malformedPayload("missing '\(section) <count>' line")
        }
        return n
    }

    /// A short, one-line description of a decoding error of the JSON text `json`.
    ///
    /// Foundation reports a number too large for its type only as "not valid JSON"; then the
    /// number is named instead.
    static func describe(_ error: any Error, json: some Collection<UInt8>) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        if case .dataCorrupted(let context) = decoding, context.codingPath.isEmpty,
            let number = JSONNumberProbe.firstOutOfRange(in: json)
        {
            return number
        }
        let (context, what): (DecodingError.Context, String) =
            switch decoding {
            case .dataCorrupted(let c): (c, "invalid data")
            case .keyNotFound(let key, let c): (c, "missing key '\(key.stringValue)'")
            case .typeMismatch(_, let c): (c, "wrong type")
            case .valueNotFound(_, let c): (c, "missing value")
            @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "invalid")
            }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        let detail = context.debugDescription.split(separator: "\n").first.map(String.init) ?? ""
        return [what, path.isEmpty ? nil : "at '\(path)'", detail.isEmpty ? nil : "(\(detail.prefix(120)))"]
            .compactMap { $0 }.joined(separator: " ")
    }
}

/// One line of the payload's interview section.
struct InterviewLine: Codable {
    var interview: InterviewID
    var definition: DefinitionHash

    /// Appends the line's JSON (no newline) as `JSONEncoder` writes it with sorted keys (tested
    /// against it), with the event codec's writer.
    func append(to out: inout [UInt8]) {
        var writer = CanonicalJSONWriter()
        swap(&writer.bytes, &out)  // the writer owns the buffer while writing: no copy
        var first = true
        writer.raw("{")
        writer.key("definition", &first)
        writer.string(definition.rawValue)
        writer.key("interview", &first)
        writer.string(interview.rawValue)
        writer.raw("}")
        swap(&writer.bytes, &out)
    }

    /// One interview line: read by the event codec's small reader when it is the plain object
    /// the writer makes (``plain(_:)``), else by `JSONDecoder`, which decides; nil when neither
    /// reads it.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> InterviewLine? {
        plain(bytes) ?? (try? JSONDecoder().decode(InterviewLine.self, from: Data(bytes)))
    }

    /// The line when it is an object of exactly its two string fields as ``MiniJSON`` reads it
    /// (as the manifest's ``BundleManifest/plain(_:)`` does); nil for anything else.
    static func plain(_ bytes: UnsafeRawBufferPointer) -> InterviewLine? {
        guard let f = MiniJSON.parse(bytes)?.fields(keys), let interview = f["interview"]?.string,
            let definition = f["definition"]?.string
        else { return nil }
        return InterviewLine(interview: InterviewID(interview), definition: DefinitionHash(definition))
    }

    private static let keys = ["interview", "definition"]
}

/// Reads a payload line by line (lines end with `\n`) or by byte count.
struct LineCursor {
    let data: Data
    var position: Int

    init(data: Data) {
        self.data = data
        position = data.startIndex
    }

    var atEnd: Bool { position >= data.endIndex }

    /// The next line's bytes without its `\n`; nil at the end or if the last line has no `\n`.
    mutating func nextLineData() -> Data? {
        guard position < data.endIndex, let newline = data[position...].firstIndex(of: 0x0A) else { return nil }
        let line = data[position..<newline]
        position = newline + 1
        return line
    }

    mutating func nextLine() -> String? {
        nextLineData().flatMap { String(data: $0, encoding: .utf8) }
    }

    /// The next `n` bytes, or nil if fewer remain.
    mutating func take(_ n: Int) -> Data? {
        guard n <= data.endIndex - position else { return nil }
        let bytes = data[position..<(position + n)]
        position += n
        return bytes
    }
}

/// Content hashes and files of compiled definitions, as bundles check them.
public enum DefinitionFiles {
    /// SHA-256 (hex) of the definition's canonical JSON: its ``DefinitionHash``.
    public static func hash(of definition: SurveyDefinition) throws -> DefinitionHash {
        DefinitionHash(Data(SHA256.hash(data: try definition.canonicalJSON())).hexString)
    }

    /// The compiled-survey file bytes for a definition, with its hash.
    public static func file(for definition: SurveyDefinition) throws -> (hash: DefinitionHash, bytes: Data) {
        let hash = try hash(of: definition)
        return (hash, try CompiledSurvey(definition: definition, hash: hash).fileData())
    }
}
