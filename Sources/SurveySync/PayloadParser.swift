import Foundation
import SurveyModel

/// What a payload holds before its events: the definitions (raw and decoded, hashes checked),
/// the interview → definition map and the number of events that follow.
public struct PayloadHeader: Sendable {
    public var definitionFiles: [DefinitionHash: Data] = [:]
    public var definitions: [DefinitionHash: CompiledSurvey] = [:]
    public var interviewDefinitions: [InterviewID: DefinitionHash] = [:]
    public var eventCount = 0
}

/// One piece of a payload as it is read: the header once, then each event in order.
public enum PayloadPart: Sendable {
    case header(PayloadHeader)
    case event(InterviewEvent)
}

/// Parses the decompressed payload (docs/bundle-format.md §3) as it arrives, in pieces of any
/// size: memory holds the header, one line, and nothing of the events before it.
struct PayloadParser {
    private enum State {
        case header
        /// A `definition …` line or the `interviews N` line.
        case definitions
        case definitionBody(DefinitionHash, remaining: Int)
        /// The `\n` that ends a definition's bytes.
        case definitionEnd(DefinitionHash)
        case interviews(remaining: Int)
        case eventCount
        case events(next: Int, count: Int)
        case end
    }

    private let limits: BundleLimits
    private var state = State.header
    private var header = PayloadHeader()
    private var definitionBytes = 0
    private var body: [UInt8] = []
    /// The start of a line that began in an earlier piece.
    private var pending: [UInt8] = []

    init(limits: BundleLimits) { self.limits = limits }

    /// Parses the next piece of payload, calling `emit` for each part completed in it.
    mutating func push(_ bytes: ArraySlice<UInt8>, _ emit: (PayloadPart) throws -> Void) throws {
        var rest = bytes
        while !rest.isEmpty {
            if case .definitionBody(let hash, let remaining) = state {
                let take = Swift.min(remaining, rest.count)
                body.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                state = remaining == take ? .definitionEnd(hash) : .definitionBody(hash, remaining: remaining - take)
                continue
            }
            guard let newline = Self.newline(in: rest) else {
                try keep(rest)
                return
            }
            if pending.isEmpty {
                try line(rest[rest.startIndex..<newline], emit)
            } else {
                try keep(rest[rest.startIndex..<newline])
                let whole = pending
                pending.removeAll(keepingCapacity: true)
                try line(whole[...], emit)
            }
            rest = rest[(newline + 1)...]
        }
    }

    /// The index of the first `\n` in `bytes`.
    private static func newline(in bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBytes { ByteScan.newline(in: $0, from: 0) }.map { bytes.startIndex + $0 }
    }

    /// Fails unless the payload ended exactly after its last event.
    func finish() throws(BundleError.Kind) {
        guard pending.isEmpty else {
            if case .events(let next, let count) = state { throw .malformedPayload("\(count) events declared, \(next - 1) found") }
            throw .malformedPayload("the payload ends inside a line")
        }
        switch state {
        case .end: return
        case .events(let next, let count): throw .malformedPayload("\(count) events declared, \(next - 1) found")
        case .header: throw .malformedPayload("missing '\(BundlePayload.header)' header")
        case .definitionBody(let hash, _), .definitionEnd(let hash): throw .malformedPayload("definition \(hash.short) is cut short")
        case .definitions, .interviews: throw .malformedPayload("bad or missing interview line")
        case .eventCount: throw .malformedPayload("missing 'events <count>' line")
        }
    }

    private mutating func keep(_ bytes: ArraySlice<UInt8>) throws(BundleError.Kind) {
        guard pending.count + bytes.count <= limits.maxLineBytes else {
            throw .malformedPayload("a line is longer than \(limits.maxLineBytes >> 20) MiB")
        }
        pending.append(contentsOf: bytes)
    }

    private mutating func line(_ text: ArraySlice<UInt8>, _ emit: (PayloadPart) throws -> Void) throws {
        guard text.count <= limits.maxLineBytes else {
            throw BundleError.Kind.malformedPayload("a line is longer than \(limits.maxLineBytes >> 20) MiB")
        }
        switch state {
        case .header:
            guard String(decoding: text, as: UTF8.self) == BundlePayload.header else {
                throw BundleError.Kind.malformedPayload("missing '\(BundlePayload.header)' header")
            }
            state = .definitions
        case .definitions:
            try definitionsLine(String(decoding: text, as: UTF8.self))
        case .definitionEnd(let hash):
            guard text.isEmpty else { throw BundleError.Kind.malformedPayload("definition \(hash.short) is cut short") }
            let bytes = Data(body)
            body.removeAll()
            header.definitions[hash] = try BundlePayload.verifiedDefinition(bytes, declared: hash)
            header.definitionFiles[hash] = bytes
            state = .definitions
        case .interviews(let remaining):
            try interviewLine(text)
            state = remaining > 1 ? .interviews(remaining: remaining - 1) : .eventCount
        case .eventCount:
            let count = try Self.count(of: "events", in: String(decoding: text, as: UTF8.self))
            header.eventCount = count
            try emit(.header(header))
            header = PayloadHeader()  // the receiver keeps what it needs
            state = count == 0 ? .end : .events(next: 1, count: count)
        case .events(let next, let count):
            let event: InterviewEvent
            do { event = try text.withUnsafeBytes { raw throws(DecodingError) in try EventJSON.decodeEvent(raw) } } catch {
                throw BundleError.Kind.malformedEvent(index: next, BundlePayload.describe(error, json: text))
            }
            try emit(.event(event))
            state = next == count ? .end : .events(next: next + 1, count: count)
        case .end:
            throw BundleError.Kind.malformedPayload("unexpected data after the last event")
        case .definitionBody:
            break  // handled by push
        }
    }

    private mutating func definitionsLine(_ line: String) throws(BundleError.Kind) {
        guard line.hasPrefix("definition ") else {
            let count = try Self.count(of: "interviews", in: line)
            guard count <= limits.maxInterviews else {
                throw .malformedPayload("\(count) interviews, more than a bundle may hold (\(limits.maxInterviews))")
            }
            state = count > 0 ? .interviews(remaining: count) : .eventCount
            return
        }
        let parts = line.split(separator: " ")
        guard parts.count == 3, let length = Int(parts[2]), length >= 0 else {
            throw .malformedPayload("bad definition line '\(line.prefix(80))'")
        }
        let hash = DefinitionHash(String(parts[1]))
        guard header.definitionFiles[hash] == nil else { throw .malformedPayload("definition \(hash.short) included twice") }
        guard header.definitionFiles.count < limits.maxDefinitions else {
            throw .malformedPayload("more than \(limits.maxDefinitions) definitions")
        }
        definitionBytes += length
        guard definitionBytes <= limits.maxDefinitionBytes else {
            throw .malformedPayload("definitions of more than \(limits.maxDefinitionBytes >> 20) MiB in all")
        }
        state = length > 0 ? .definitionBody(hash, remaining: length) : .definitionEnd(hash)
    }

    private mutating func interviewLine(_ text: ArraySlice<UInt8>) throws(BundleError.Kind) {
        guard let entry = text.withUnsafeBytes(InterviewLine.decode) else {
            throw .malformedPayload("bad or missing interview line")
        }
        guard header.interviewDefinitions.updateValue(entry.definition, forKey: entry.interview) == nil else {
            throw .malformedPayload("interview \(entry.interview) listed twice")
        }
        guard header.definitionFiles[entry.definition] != nil else {
            throw .inconsistentEvents("definition \(entry.definition.short) of interview \(entry.interview) is not included")
        }
    }

    static func count(of section: String, in line: String) throws(BundleError.Kind) -> Int {
        guard line.hasPrefix(section + " "), let n = Int(line.dropFirst(section.count + 1)), n >= 0 else {
            throw .malformedPayload("missing '\(section) <count>' line")
        }
        return n
    }
}
