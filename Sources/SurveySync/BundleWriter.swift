import Crypto
import Foundation
import SurveyModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes bundles: payload → zlib → optional HPKE → signed manifest → container.
public enum BundleWriter {
    /// Encodes a bundle in memory.
    ///
    /// Checks the contents first (one device, unique positive sequence numbers, every interview
    /// mapped to an included definition, definitions hash to their names), so a device never
    /// ships a bundle the central would reject for its contents.
    public static func encode(
        _ contents: BundleContents, device: DeviceID, signingKey: DeviceSigningKey,
        recipient: CoordinatorPublicKey? = nil, createdAtMillis: Int64, file: String = "<memory>"
    ) throws(BundleError) -> (data: Data, manifest: BundleManifest) {
        do {
            return try encodeChecked(
                contents, device: device, signingKey: signingKey, recipient: recipient, createdAtMillis: createdAtMillis)
        } catch { throw BundleError(file: file, kind: error) }
    }

    /// Encodes a bundle and writes it atomically to `path` (temporary file in the same
    /// directory, fsync, rename, fsync of the directory): a crash leaves either no file or
    /// the complete bundle.
    @discardableResult
    public static func write(
        _ contents: BundleContents, device: DeviceID, signingKey: DeviceSigningKey,
        recipient: CoordinatorPublicKey? = nil, createdAtMillis: Int64, to path: String
    ) throws(BundleError) -> BundleManifest {
        let (data, manifest) = try encode(
            contents, device: device, signingKey: signingKey, recipient: recipient, createdAtMillis: createdAtMillis,
            file: path)
        do { try AtomicFile.write(data, to: path) } catch { throw BundleError(file: path, kind: .io(error.description)) }
        return manifest
    }

    private static func encodeChecked(
        _ contents: BundleContents, device: DeviceID, signingKey: DeviceSigningKey,
        recipient: CoordinatorPublicKey?, createdAtMillis: Int64
    ) throws(BundleError.Kind) -> (data: Data, manifest: BundleManifest) {
        var sorted = contents
        sorted.events.sort { $0.sequence < $1.sequence }
        for (hash, bytes) in sorted.definitionFiles { _ = try BundlePayload.verifiedDefinition(bytes, declared: hash) }
        try BundleChecks.events(sorted, device: device, declared: nil)
        let plain = try BundlePayload.encode(sorted)
        guard let compressed = Zlib.deflate(plain) else { throw .io("zlib compression failed") }
        var stored = compressed
        var encryption: BundleManifest.EncryptionInfo?
        if let recipient {
            stored = try SignedContainer.seal(compressed, to: recipient, kind: .bundle, aad: Data(device.rawValue.utf8))
            encryption = .init(scheme: BundleFormat.encryptionScheme, recipient: recipient.fingerprint)
        }
        let first = sorted.events.first?.sequence
        let last = sorted.events.last?.sequence
        let manifest = BundleManifest(
            format: BundleFormat.version, device: device, signerKey: signingKey.publicKey.text,
            sequenceRange: first.flatMap { f in last.map { .init(first: f, last: $0) } },
            eventCount: sorted.events.count, interviewCount: Set(sorted.events.map(\.interview)).count,
            definitions: sorted.definitionFiles.keys.sorted(), createdAtMillis: createdAtMillis,
            encryption: encryption,
            payload: .init(
                compression: "zlib", sha256: Data(SHA256.hash(data: stored)).hexString, storedSize: stored.count,
                compressedSize: compressed.count, uncompressedSize: plain.count))
        let manifestBytes = BundleFormat.encode(manifest)
        let signature = try signingKey.signature(for: BundleFormat.signingInput(manifestBytes: manifestBytes))
        return (container(manifestBytes: manifestBytes, signature: signature, payload: stored), manifest)
    }

    /// Signs `manifestBytes` and wraps them with an already stored payload into a container,
    /// without any checks: for tests, fuzzing and tools that need deliberately odd bundles.
    public static func assemble(manifestBytes: Data, storedPayload: Data, signingKey: DeviceSigningKey) throws(BundleError) -> Data {
        do {
            let signature = try signingKey.signature(for: BundleFormat.signingInput(manifestBytes: manifestBytes))
            return container(manifestBytes: manifestBytes, signature: signature, payload: storedPayload)
        } catch { throw BundleError(file: "<memory>", kind: error) }
    }

    /// The container: header, manifest, signature, payload, SHA-256 of all of it.
    static func container(manifestBytes: Data, signature: Data, payload: Data) -> Data {
        SignedContainer.assemble(.bundle, manifestBytes: manifestBytes, signature: signature, payload: payload)
    }
}

extension Data {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

/// Why an atomic write failed.
struct AtomicWriteError: Error, CustomStringConvertible {
    let description: String
}

/// Writes files so that a crash leaves the old state or the complete new file.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws(AtomicWriteError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        removeStaleTemporaries(of: url.lastPathComponent, in: directory)
        let temp = directory + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600)  // owner-only: a plaintext bundle holds answers
        guard fd >= 0 else { throw AtomicWriteError(description: "cannot create \(temp): \(errnoText())") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = posixWrite(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else {
            let why = errnoText()
            close(fd)
            throw AtomicWriteError(description: "cannot write \(temp): \(why)")
        }
        guard close(fd) == 0 else { throw AtomicWriteError(description: "cannot close \(temp): \(errnoText())") }
        guard rename(temp, path) == 0 else { throw AtomicWriteError(description: "cannot rename to \(path): \(errnoText())") }
        ok = true
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY)
        guard dirfd >= 0 else { throw AtomicWriteError(description: "cannot open \(directory): \(errnoText())") }
        defer { close(dirfd) }
        guard fsync(dirfd) == 0 else { throw AtomicWriteError(description: "cannot fsync \(directory): \(errnoText())") }
    }

    /// Removes `.NAME.tmp-PID-*` files of earlier writes of the same file whose process is gone
    /// (killed mid-write): they never carry the bundle's name, but they hold answers and fill
    /// the disk. A temporary of a live process (a concurrent write) is left alone.
    static func removeStaleTemporaries(of name: String, in directory: String) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let pidText = rest.split(separator: "-").first, let pid = pid_t(pidText), pid > 0 else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink(directory + "/" + entry) }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// `write(2)`, named apart from Swift's `write` methods.
    private static func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, buffer, count)
        #else
            Darwin.write(fd, buffer, count)
        #endif
    }
}
