import Crypto
import Foundation
import SurveyModel

/// A bundle's contents as the writer takes them, in one pass: the definitions and the
/// interview map (held), the number of events, and the events themselves (streamed,
/// ascending by sequence number), so memory does not grow with the bundle.
public struct BundleInput {
    public var definitionFiles: [DefinitionHash: Data]
    public var interviewDefinitions: [InterviewID: DefinitionHash]
    public var eventCount: Int
    /// Calls its argument with every event, ascending by sequence number.
    public var events: ((InterviewEvent) throws -> Void) throws -> Void

    public init(
        definitionFiles: [DefinitionHash: Data], interviewDefinitions: [InterviewID: DefinitionHash], eventCount: Int,
        events: @escaping ((InterviewEvent) throws -> Void) throws -> Void
    ) {
        self.definitionFiles = definitionFiles
        self.interviewDefinitions = interviewDefinitions
        self.eventCount = eventCount
        self.events = events
    }

    /// Contents already in memory (sorted by sequence number here).
    public init(_ contents: BundleContents) {
        let sorted = contents.events.sorted { $0.sequence < $1.sequence }
        self.init(
            definitionFiles: contents.definitionFiles, interviewDefinitions: contents.interviewDefinitions,
            eventCount: sorted.count, events: { body in for event in sorted { try body(event) } })
    }
}

/// Makes bundles (format 2): payload → zlib → optional HPKE in chunks → signed manifest →
/// container, streaming every stage (docs/bundle-format.md).
///
/// Checks the contents as they pass (one device, ascending sequence numbers within
/// ``EventBounds``, every interview mapped to an included definition, definitions hash to
/// their names, the caps of ``BundleLimits``), so a device never ships a bundle the central
/// would reject for its contents.
public enum BundleWriter {
    /// Encodes a bundle in memory.
    public static func encode(
        _ contents: BundleContents, device: DeviceID, signingKey: DeviceSigningKey,
        recipient: CoordinatorPublicKey? = nil, createdAtMillis: Int64, file: String = "<memory>"
    ) throws(BundleError) -> (data: Data, manifest: BundleManifest) {
        try encode(
            BundleInput(contents), device: device, signingKey: signingKey, recipient: recipient,
            createdAtMillis: createdAtMillis, file: file)
    }

    /// Encodes a bundle in memory from streamed input (a bundle sent over the network whole).
    public static func encode(
        _ input: BundleInput, device: DeviceID, signingKey: DeviceSigningKey,
        recipient: CoordinatorPublicKey? = nil, createdAtMillis: Int64, file: String = "<memory>"
    ) throws(BundleError) -> (data: Data, manifest: BundleManifest) {
        var payload: [UInt8] = []
        var out = Data()
        do {
            let manifest = try assemble(
                input, device: device, signingKey: signingKey, recipient: recipient,
                createdAtMillis: createdAtMillis, payload: { payload.append(contentsOf: $0) },
                replay: { body in try body(payload[...]) }, output: { out.append(contentsOf: $0) })
            return (out, manifest)
        } catch { throw wrap(error, file: file) }
    }

    /// Writes a bundle of contents in memory atomically to `path` (``write(_:device:signingKey:recipient:createdAtMillis:to:)``).
    @discardableResult
    public static func write(
        _ contents: BundleContents, device: DeviceID, signingKey: DeviceSigningKey,
        recipient: CoordinatorPublicKey? = nil, createdAtMillis: Int64, to path: String
    ) throws(BundleError) -> BundleManifest {
        try write(
            BundleInput(contents), device: device, signingKey: signingKey, recipient: recipient, createdAtMillis: createdAtMillis, to: path)
    }

    /// Writes a bundle atomically to `path`, streaming: the payload goes to an unlinked scratch
    /// file beside it, then header, manifest, signature and payload into a temporary file that is
    /// fsynced and renamed: a crash leaves either no file or the complete bundle.
    @discardableResult
    public static func write(
        _ input: BundleInput, device: DeviceID, signingKey: DeviceSigningKey,
        recipient: CoordinatorPublicKey? = nil, createdAtMillis: Int64, to path: String
    ) throws(BundleError) -> BundleManifest {
        do {
            let scratch = try ScratchFile(near: path)
            var manifest: BundleManifest?
            try AtomicFile.write(to: path) { output in
                manifest = try assemble(
                    input, device: device, signingKey: signingKey, recipient: recipient, createdAtMillis: createdAtMillis,
                    payload: scratch.append, replay: scratch.forEachChunk, output: output)
            }
            guard let manifest else { throw BundleError.Kind.io("nothing was written") }
            return manifest
        } catch { throw wrap(error, file: path) }
    }

    /// Signs `manifestBytes` and wraps them with an already stored payload into a container,
    /// without any checks: for tests, fuzzing and tools that need deliberately odd bundles.
    public static func assemble(
        manifestBytes: Data, storedPayload: Data, signingKey: DeviceSigningKey, version: Int? = nil
    ) throws(BundleError) -> Data {
        do {
            let signature = try signingKey.signature(for: BundleFormat.signingInput(manifestBytes: manifestBytes))
            return container(manifestBytes: manifestBytes, signature: signature, payload: storedPayload, version: version)
        } catch { throw wrap(error, file: "<memory>") }
    }

    /// A container in memory around given parts, without any checks; the header's version is
    /// `version`, else the manifest's `format`, else 1 — held to the header's 16 bits (a forged
    /// manifest's format 2^53 trapped in the conversion: found by FuzzBundle).
    static func container(manifestBytes: Data, signature: Data, payload: Data, version: Int? = nil) -> Data {
        let format = UInt16(clamping: version ?? (try? JSONDecoder().decode(BundleManifest.self, from: manifestBytes).format) ?? 1)
        var out = Data()
        out.reserveCapacity(BundleFormat.headerSize + manifestBytes.count + signature.count + payload.count + 32)
        // Nothing here throws: the payload is in memory and the output appends to it.
        try? container(
            version: Int(format), manifestBytes: manifestBytes, signature: signature, payloadSize: payload.count,
            payload: { body in try body(ArraySlice(payload)) }, output: { out.append(contentsOf: $0) })
        return out
    }

    /// The payload (to `payload`), then the container (to `output`, with the payload read back
    /// through `replay`); returns the manifest.
    private static func assemble(
        _ input: BundleInput, device: DeviceID, signingKey: DeviceSigningKey, recipient: CoordinatorPublicKey?,
        createdAtMillis: Int64, payload: @escaping (ArraySlice<UInt8>) throws -> Void,
        replay: (((ArraySlice<UInt8>) throws -> Void) throws -> Void), output: (ArraySlice<UInt8>) throws -> Void
    ) throws -> BundleManifest {
        let writer = try PayloadWriter(device: device, recipient: recipient, sink: payload)
        let summary = try writer.write(input, device: device)
        let version = BundleFormat.version(encrypted: recipient != nil)
        let manifest = BundleManifest(
            format: version, device: device, signerKey: signingKey.publicKey.text,
            sequenceRange: summary.first.flatMap { f in summary.last.map { .init(first: f, last: $0) } },
            eventCount: input.eventCount, interviewCount: summary.interviews, definitions: input.definitionFiles.keys.sorted(),
            createdAtMillis: createdAtMillis,
            encryption: recipient.map { .init(scheme: BundleFormat.encryptionScheme, recipient: $0.fingerprint) },
            payload: .init(
                compression: "zlib", sha256: summary.digest, storedSize: summary.storedSize, compressedSize: summary.compressedSize,
                uncompressedSize: summary.uncompressedSize))
        let manifestBytes = BundleFormat.encode(manifest)
        let signature = try signingKey.signature(for: BundleFormat.signingInput(manifestBytes: manifestBytes))
        try container(
            version: version, manifestBytes: manifestBytes, signature: signature, payloadSize: summary.storedSize,
            payload: replay, output: output)
        return manifest
    }

    /// The container: header, manifest, signature, payload, SHA-256 of all of it.
    private static func container(
        version: Int, manifestBytes: Data, signature: Data, payloadSize: Int,
        payload: (((ArraySlice<UInt8>) throws -> Void) throws -> Void), output: (ArraySlice<UInt8>) throws -> Void
    ) throws {
        var head = BundleFormat.magic
        head.appendBigEndian(UInt16(version))
        head.appendBigEndian(UInt32(manifestBytes.count))
        head.appendBigEndian(UInt64(payloadSize))
        try withoutActuallyEscaping(output) { output in
            var hasher = SHA256()
            let emit: (ArraySlice<UInt8>) throws -> Void = { bytes in
                hasher.update(data: bytes)
                try output(bytes)
            }
            try emit(ArraySlice(head + manifestBytes + signature))
            try payload(emit)
            try output(ArraySlice(hasher.finalize()))
        }
    }

    private static func wrap(_ error: any Error, file: String) -> BundleError {
        switch error {
        case let bundle as BundleError: bundle
        case let kind as BundleError.Kind: BundleError(file: file, kind: kind)
        case let failure as InflateFailure: BundleError(file: file, kind: .io("zlib: \(failure)"))
        default: BundleError(file: file, kind: .io("\(error)"))
        }
    }
}

extension Data {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

/// What the payload writer found and wrote.
struct PayloadSummary {
    var first: Int64?
    var last: Int64?
    var interviews = 0
    var digest = ""
    var storedSize = 0
    var compressedSize = 0
    var uncompressedSize = 0
}

/// Writes the payload text (docs/bundle-format.md §3) through zlib and, with a recipient, HPKE
/// in chunks of ``BundleFormat/encryptionChunkSize``, handing the stored bytes to a sink.
final class PayloadWriter {
    private let deflater: Deflater
    private var sender: HPKE.Sender?
    private let device: DeviceID
    private let sink: (ArraySlice<UInt8>) throws -> Void
    private let limits = BundleLimits.default
    private var text: [UInt8] = []
    private var pending: [UInt8] = []
    private var index: UInt64 = 0
    private var digest = SHA256()
    private var summary = PayloadSummary()

    init(device: DeviceID, recipient: CoordinatorPublicKey?, sink: @escaping (ArraySlice<UInt8>) throws -> Void) throws {
        deflater = try Deflater()
        self.device = device
        self.sink = sink
        if let recipient {
            do {
                let sender = try HPKE.Sender(
                    recipientKey: recipient.key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: BundleFormat.hpkeInfo(version: 2))
                self.sender = sender
                var head = Data()
                head.appendBigEndian(UInt16(sender.encapsulatedKey.count))
                head.append(sender.encapsulatedKey)
                try store(ArraySlice(head))
            } catch let error as AtomicWriteError { throw error } catch { throw BundleError.Kind.io("encryption failed: \(error)") }
        }
    }

    func write(_ input: BundleInput, device: DeviceID) throws -> PayloadSummary {
        try checkCaps(input)
        text.append(contentsOf: (BundlePayload.header + "\n").utf8)
        for hash in input.definitionFiles.keys.sorted() {
            let bytes = input.definitionFiles[hash] ?? Data()
            _ = try BundlePayload.verifiedDefinition(bytes, declared: hash)
            text.append(contentsOf: "definition \(hash.rawValue) \(bytes.count)\n".utf8)
            text.append(contentsOf: bytes)
            text.append(0x0A)
            try flushText(force: false)
        }
        text.append(contentsOf: "interviews \(input.interviewDefinitions.count)\n".utf8)
        for (interview, hash) in input.interviewDefinitions.sorted(by: { $0.key < $1.key }) {
            guard input.definitionFiles[hash] != nil else {
                throw BundleError.Kind.inconsistentEvents("definition \(hash.short) of interview \(interview) is not included")
            }
            InterviewLine(interview: interview, definition: hash).append(to: &text)
            text.append(0x0A)
            try flushText(force: false)
        }
        text.append(contentsOf: "events \(input.eventCount)\n".utf8)
        var checker = EventChecker(device: device, interviewDefinitions: input.interviewDefinitions)
        var count = 0
        try input.events { event in
            try checker.check(event)
            let start = self.text.count
            do { try EventJSON.append(event, to: &self.text) } catch {
                throw BundleError.Kind.io("could not encode event \(event.device)#\(event.sequence)")
            }
            guard self.text.count - start < self.limits.maxLineBytes else {
                throw BundleError.Kind.io(
                    "event \(event.device)#\(event.sequence) is longer than a bundle line may be (\(self.limits.maxLineBytes >> 20) MiB)")
            }
            self.text.append(0x0A)
            if self.summary.first == nil { self.summary.first = event.sequence }
            self.summary.last = event.sequence
            count += 1
            try self.flushText(force: false)
        }
        guard count == input.eventCount else {
            throw BundleError.Kind.io("\(count) events were read where \(input.eventCount) were counted; bundle again")
        }
        try checker.finish(definitions: Array(input.definitionFiles.keys), declared: nil)
        summary.interviews = Set(input.interviewDefinitions.keys).count
        try flushText(force: true)
        try finish()
        return summary
    }

    /// The reader's caps, applied before writing: a device never makes a bundle the central refuses for its size.
    private func checkCaps(_ input: BundleInput) throws(BundleError.Kind) {
        guard input.interviewDefinitions.count <= limits.maxInterviews else {
            throw .io("\(input.interviewDefinitions.count) interviews are more than a bundle may hold (\(limits.maxInterviews))")
        }
        let bytes = input.definitionFiles.values.reduce(0) { $0 + $1.count }
        guard input.definitionFiles.count <= limits.maxDefinitions, bytes <= limits.maxDefinitionBytes else {
            throw .io(
                "the questionnaire versions are more than a bundle may hold (\(limits.maxDefinitions), \(limits.maxDefinitionBytes >> 20) MiB)"
            )
        }
    }

    private func flushText(force: Bool) throws {
        guard force || text.count >= 1 << 18 else { return }
        summary.uncompressedSize += text.count
        try text.withUnsafeBytes { raw in try deflater.push(raw) { try self.compressed($0) } }
        text.removeAll(keepingCapacity: true)
    }

    private func finish() throws {
        try deflater.push(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) { try self.compressed($0) }
        if sender != nil { try sealChunk(last: true) }
        summary.digest = Data(digest.finalize()).hexString
    }

    /// Compressed bytes: stored as they are, or collected into chunks to seal.
    private func compressed(_ bytes: ArraySlice<UInt8>) throws {
        summary.compressedSize += bytes.count
        guard sender != nil else { return try store(bytes) }
        pending.append(contentsOf: bytes)
        // A chunk is sealed only when more follows, so the last one is marked as such.
        while pending.count > BundleFormat.encryptionChunkSize { try sealChunk(last: false) }
    }

    private func sealChunk(last: Bool) throws {
        guard var context = sender else { return }
        let size = last ? pending.count : BundleFormat.encryptionChunkSize
        let sealed: Data
        do {
            sealed = try context.seal(pending[0..<size], authenticating: BundleFormat.chunkAAD(device: device, index: index, last: last))
        } catch { throw BundleError.Kind.io("encryption failed: \(error)") }
        sender = context
        pending.removeFirst(size)
        index += 1
        try store(ArraySlice(sealed))
    }

    private func store(_ bytes: ArraySlice<UInt8>) throws {
        digest.update(data: bytes)
        summary.storedSize += bytes.count
        try sink(bytes)
    }
}
