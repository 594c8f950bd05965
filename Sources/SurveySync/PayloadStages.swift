import Crypto
import Foundation
import SurveyModel

/// The way from a stored payload back to its text, fed in pieces: decryption (format 2 chunk
/// by chunk; format 1 whole, within a cap), then streaming inflation within the caps. The caps
/// and sizes come from the signed manifest, checked before anything is inflated.
struct PayloadStages {
    private let manifest: BundleManifest
    private let limits: BundleLimits
    private let inflater: Inflater
    private var decryption: Decryption
    /// Bytes of the zlib stream seen (after decryption).
    private var compressed = 0

    private enum Decryption {
        case none
        /// Format 1: the whole ciphertext, opened at the end.
        case whole(CoordinatorPrivateKey, [UInt8])
        /// Format 2: the encapsulated key, then sealed chunks of the zlib stream.
        case chunks(ChunkOpener)
    }

    init(manifest: BundleManifest, coordinatorKey: CoordinatorPrivateKey?, limits: BundleLimits) throws(BundleError.Kind) {
        self.manifest = manifest
        self.limits = limits
        let info = manifest.payload
        guard info.compression == "zlib" else { throw .malformedManifest("unknown compression '\(info.compression)'") }
        let ratioCap = info.compressedSize.multipliedReportingOverflow(by: limits.maxRatio)
        let cap = min(limits.maxUncompressedSize, ratioCap.overflow ? Int.max : ratioCap.partialValue)
        guard info.uncompressedSize <= cap else {
            throw .decompressionBomb("declares \(info.uncompressedSize) bytes from \(info.compressedSize) (cap \(cap) bytes)")
        }
        do {
            // The signed size is the tightest limit: a stream longer than declared stops right there.
            inflater = try Inflater(limit: min(cap, info.uncompressedSize))
        } catch { throw .corruptCompression("zlib could not start") }
        guard let encryption = manifest.encryption else {
            guard info.compressedSize == info.storedSize else {
                throw .malformedManifest("compressed size \(info.storedSize) differs from the declared \(info.compressedSize)")
            }
            decryption = .none
            return
        }
        guard encryption.scheme == BundleFormat.encryptionScheme else {
            throw .malformedManifest("unknown encryption scheme '\(encryption.scheme)'")
        }
        guard let coordinatorKey else { throw .encryptedNoKey(recipient: encryption.recipient) }
        let given = coordinatorKey.publicKey.fingerprint
        guard given == encryption.recipient else { throw .wrongCoordinatorKey(recipient: encryption.recipient, given: given) }
        if manifest.format == 1 {
            guard info.storedSize <= limits.maxWholeEncryptedSize else {
                throw .decompressionBomb(
                    "an encrypted format-1 payload of \(info.storedSize) bytes is above the \(limits.maxWholeEncryptedSize >> 20) MiB "
                        + "such payloads may have (they are decrypted whole); bundle again with this terep")
            }
            decryption = .whole(coordinatorKey, [])
        } else {
            decryption = .chunks(ChunkOpener(key: coordinatorKey, device: manifest.device, compressedSize: info.compressedSize))
        }
    }

    /// Feeds stored bytes; `out` receives the payload text they yield.
    mutating func push(_ stored: ArraySlice<UInt8>, _ out: (ArraySlice<UInt8>) throws -> Void) throws {
        switch decryption {
        case .none:
            try inflate(stored, out)
        case .whole(let key, var ciphertext):
            decryption = .none  // the array is uniquely referenced while it grows
            ciphertext.append(contentsOf: stored)
            decryption = .whole(key, ciphertext)
        case .chunks(let opener):
            try opener.push(stored) { plain in try inflate(plain, out) }
        }
    }

    /// After the last stored byte: opens a format-1 payload, checks the sizes and the end of the stream.
    mutating func finish(_ out: (ArraySlice<UInt8>) throws -> Void) throws {
        switch decryption {
        case .none: break
        case .whole(let key, let ciphertext):
            let plain = try Self.openWhole(ciphertext, key: key, device: manifest.device)
            var offset = 0
            while offset < plain.count {
                let end = min(offset + (1 << 20), plain.count)
                try inflate(plain[offset..<end], out)
                offset = end
            }
        case .chunks(let opener):
            try opener.finish()
        }
        guard compressed == manifest.payload.compressedSize else {
            throw BundleError.Kind.malformedManifest(
                "compressed size \(compressed) differs from the declared \(manifest.payload.compressedSize)")
        }
        try inflater.finish()
        guard inflater.produced == manifest.payload.uncompressedSize else {
            throw InflateFailure.corrupt("inflated to \(inflater.produced) bytes, manifest says \(manifest.payload.uncompressedSize)")
        }
    }

    private mutating func inflate(_ bytes: ArraySlice<UInt8>, _ out: (ArraySlice<UInt8>) throws -> Void) throws {
        compressed += bytes.count
        try inflater.push(bytes, out)
    }

    /// Format 1: the encapsulated key (u16 length + bytes), then one HPKE ciphertext.
    private static func openWhole(_ payload: [UInt8], key: CoordinatorPrivateKey, device: DeviceID) throws(BundleError.Kind) -> [UInt8] {
        guard payload.count >= 2 else { throw .decryptionFailed }
        let encLength = Int(payload[0]) << 8 | Int(payload[1])
        guard payload.count >= 2 + encLength else { throw .decryptionFailed }
        do {
            var recipient = try HPKE.Recipient(
                privateKey: key.key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: BundleFormat.hpkeInfo(version: 1),
                encapsulatedKey: Data(payload[2..<(2 + encLength)]))
            return Array(try recipient.open(payload[(2 + encLength)...], authenticating: Data(device.rawValue.utf8)))
        } catch { throw .decryptionFailed }
    }

    /// The message of an inflation failure, with the caps.
    func describe(_ failure: InflateFailure) -> BundleError.Kind {
        switch failure {
        case .exceedsLimit(let limit):
            .decompressionBomb(
                "inflates past \(limit) bytes from \(manifest.payload.compressedSize) (caps: \(limits.maxUncompressedSize >> 20) MiB, "
                    + "ratio \(limits.maxRatio):1)")
        case .corrupt(let why): .corruptCompression(why)
        case .truncated: .corruptCompression("the zlib stream ends early")
        case .trailingBytes(let n): .corruptCompression("\(n) bytes after the zlib stream")
        }
    }
}

/// Opens a format-2 encrypted payload as it streams past: the encapsulated key, then the zlib
/// stream in chunks of ``BundleFormat/encryptionChunkSize`` bytes, each sealed in order by the
/// same HPKE context with its index and whether it is the last bound in (docs/bundle-format.md §3).
final class ChunkOpener {
    private let key: CoordinatorPrivateKey
    private let device: DeviceID
    private var recipient: HPKE.Recipient?
    private var pending: [UInt8] = []
    private var remaining: Int
    private var index: UInt64 = 0

    init(key: CoordinatorPrivateKey, device: DeviceID, compressedSize: Int) {
        self.key = key
        self.device = device
        remaining = compressedSize
    }

    func push(_ stored: ArraySlice<UInt8>, _ out: (ArraySlice<UInt8>) throws -> Void) throws {
        pending.append(contentsOf: stored)
        var used = 0
        defer { pending.removeFirst(used) }
        if recipient == nil {
            guard pending.count >= 2 else { return }
            let encLength = Int(pending[0]) << 8 | Int(pending[1])
            guard pending.count >= 2 + encLength else { return }
            do {
                recipient = try HPKE.Recipient(
                    privateKey: key.key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: BundleFormat.hpkeInfo(version: 2),
                    encapsulatedKey: Data(pending[2..<(2 + encLength)]))
            } catch { throw BundleError.Kind.decryptionFailed }
            used = 2 + encLength
        }
        while remaining > 0 {
            let plain = min(BundleFormat.encryptionChunkSize, remaining)
            let sealed = plain + BundleFormat.encryptionTagSize
            guard pending.count - used >= sealed else { return }
            let last = plain == remaining
            guard var context = recipient else { throw BundleError.Kind.decryptionFailed }
            let opened: Data
            do {
                opened = try context.open(
                    pending[used..<(used + sealed)], authenticating: BundleFormat.chunkAAD(device: device, index: index, last: last))
            } catch { throw BundleError.Kind.decryptionFailed }
            recipient = context
            used += sealed
            remaining -= plain
            index += 1
            try out(ArraySlice(opened))
        }
        if used < pending.count { throw BundleError.Kind.decryptionFailed }  // bytes after the last chunk
    }

    /// Fails when the stored payload ended inside the key or a chunk.
    func finish() throws(BundleError.Kind) {
        guard recipient != nil, remaining == 0, pending.isEmpty else { throw .decryptionFailed }
    }
}
