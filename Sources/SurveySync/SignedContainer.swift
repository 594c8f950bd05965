import Crypto
import Foundation

/// The container both sync files share — a bundle (device → coordinator) and a package
/// (coordinator → device): header, signed manifest, signature, payload (zlib, optionally
/// HPKE-sealed) and the SHA-256 of everything before it (docs/bundle-format.md §1). Each kind
/// has its own magic, signature domain and HPKE `info`, so one can never pass for the other.
public struct ContainerKind: Hashable, Sendable {
    /// The file's first bytes (`terep-bundle\n`, `terep-package\n`).
    public let magic: Data
    /// The format version this code writes and reads.
    public let version: Int
    /// Domain separation for the signature: these bytes, then the manifest bytes.
    let signaturePrefix: Data
    /// The HPKE `info` string.
    let hpkeInfo: Data

    /// Magic, version (u16), manifest length (u32), payload length (u64).
    var headerSize: Int { magic.count + 2 + 4 + 8 }
    static let signatureSize = 64
    static let checksumSize = 32
    /// The manifest may not exceed this many bytes.
    static let maxManifestSize = 1 << 20

    public static let bundle = ContainerKind(
        magic: Data("terep-bundle\n".utf8), version: 1, signaturePrefix: Data("terep-bundle-signature-v1\n".utf8),
        hpkeInfo: Data("terep-bundle-v1".utf8))
    public static let package = ContainerKind(
        magic: Data("terep-package\n".utf8), version: 1, signaturePrefix: Data("terep-package-signature-v1\n".utf8),
        hpkeInfo: Data("terep-package-v1".utf8))

    /// The bytes a signature covers.
    func signingInput(manifestBytes: Data) -> Data { signaturePrefix + manifestBytes }
}

/// A container's parts, read and checked up to the whole-file checksum.
struct ContainerParts {
    var manifestBytes: Data
    var signature: Data
    var payload: Data
}

/// What can be wrong with a container before its manifest is read; each reader words it for
/// its own kind of file.
enum ContainerProblem: Error, Equatable {
    /// The magic is not this kind's.
    case wrongMagic
    case truncated(expected: Int, actual: Int)
    case trailingData(Int)
    case unsupportedVersion(Int)
    case manifestTooLarge(Int)
    case payloadTooLarge(UInt64, cap: Int)
    case checksumMismatch
}

/// Writing and reading the shared container, and the payload's sealing and capped inflating.
enum SignedContainer {
    /// Header, manifest, signature, payload, SHA-256 of all of it.
    static func assemble(_ kind: ContainerKind, manifestBytes: Data, signature: Data, payload: Data) -> Data {
        var out = Data()
        out.reserveCapacity(kind.headerSize + manifestBytes.count + signature.count + payload.count + 32)
        out.append(kind.magic)
        out.appendBigEndian(UInt16(kind.version))
        out.appendBigEndian(UInt32(manifestBytes.count))
        out.appendBigEndian(UInt64(payload.count))
        out.append(manifestBytes)
        out.append(signature)
        out.append(payload)
        out.append(Data(SHA256.hash(data: out)))
        return out
    }

    /// Splits a container, checking magic, version, lengths and the whole-file checksum.
    static func parse(_ kind: ContainerKind, _ data: Data, maxPayload: Int) throws(ContainerProblem) -> ContainerParts {
        let bytes = Data(data)  // zero-based indices
        let magic = kind.magic
        guard bytes.count >= magic.count else {
            if !bytes.isEmpty, magic.starts(with: bytes) { throw .truncated(expected: kind.headerSize, actual: bytes.count) }
            throw .wrongMagic
        }
        guard bytes.prefix(magic.count) == magic else { throw .wrongMagic }
        guard bytes.count >= kind.headerSize else { throw .truncated(expected: kind.headerSize, actual: bytes.count) }
        let version = Int(bytes.readBigEndian(UInt16.self, at: magic.count))
        guard version == kind.version else { throw .unsupportedVersion(version) }
        let manifestLength = Int(bytes.readBigEndian(UInt32.self, at: magic.count + 2))
        let payloadLength64 = bytes.readBigEndian(UInt64.self, at: magic.count + 6)
        guard manifestLength <= ContainerKind.maxManifestSize else { throw .manifestTooLarge(manifestLength) }
        guard payloadLength64 <= UInt64(maxPayload) else { throw .payloadTooLarge(payloadLength64, cap: maxPayload) }
        let manifestStart = kind.headerSize
        let signatureStart = manifestStart + manifestLength
        let payloadStart = signatureStart + ContainerKind.signatureSize
        let checksumStart = payloadStart + Int(payloadLength64)
        let total = checksumStart + ContainerKind.checksumSize
        guard bytes.count >= total else { throw .truncated(expected: total, actual: bytes.count) }
        guard bytes.count == total else { throw .trailingData(bytes.count - total) }
        guard Data(SHA256.hash(data: bytes[0..<checksumStart])) == bytes[checksumStart..<total] else {
            throw .checksumMismatch
        }
        return ContainerParts(
            manifestBytes: Data(bytes[manifestStart..<signatureStart]), signature: Data(bytes[signatureStart..<payloadStart]),
            payload: Data(bytes[payloadStart..<checksumStart]))
    }

    /// HPKE base mode to `recipient`, authenticating `aad`: the encapsulated key (u16 length
    /// and bytes), then the ciphertext with its tag.
    static func seal(
        _ data: Data, to recipient: CoordinatorPublicKey, kind: ContainerKind, aad: Data
    ) throws(BundleError.Kind) -> Data {
        do {
            var sender = try HPKE.Sender(recipientKey: recipient.key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: kind.hpkeInfo)
            let ciphertext = try sender.seal(data, authenticating: aad)
            let enc = sender.encapsulatedKey
            var out = Data()
            out.appendBigEndian(UInt16(enc.count))
            out.append(enc)
            out.append(ciphertext)
            return out
        } catch { throw .io("encryption failed: \(error)") }
    }

    /// Opens what ``seal(_:to:kind:aad:)`` made; nil when it does not open with this key.
    static func open(_ payload: Data, with key: CoordinatorPrivateKey, kind: ContainerKind, aad: Data) -> Data? {
        guard payload.count >= 2 else { return nil }
        let start = payload.startIndex
        let encLength = Int(payload[start]) << 8 | Int(payload[start + 1])
        guard payload.count >= 2 + encLength else { return nil }
        let enc = payload[(start + 2)..<(start + 2 + encLength)]
        let ciphertext = payload[(start + 2 + encLength)...]
        guard
            var recipient = try? HPKE.Recipient(
                privateKey: key.key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: kind.hpkeInfo, encapsulatedKey: Data(enc))
        else { return nil }
        return try? recipient.open(ciphertext, authenticating: aad)
    }

    /// Inflates a payload whose sizes the signed manifest declares, within the caps: checked
    /// before inflating (the declared size) and while inflating (chunk by chunk, never past
    /// the declared size), and the result must be exactly the declared size.
    static func inflate(_ compressed: Data, declared info: BundleManifest.PayloadInfo, limits: BundleLimits) throws(BundleError.Kind)
        -> Data
    {
        guard info.compression == "zlib" else { throw .malformedManifest("unknown compression '\(info.compression)'") }
        guard compressed.count == info.compressedSize else {
            throw .malformedManifest("compressed size \(compressed.count) differs from the declared \(info.compressedSize)")
        }
        let ratioCap = compressed.count.multipliedReportingOverflow(by: limits.maxRatio)
        let cap = min(limits.maxUncompressedSize, ratioCap.overflow ? Int.max : ratioCap.partialValue)
        guard info.uncompressedSize <= cap else {
            throw .decompressionBomb("declares \(info.uncompressedSize) bytes from \(compressed.count) (cap \(cap) bytes)")
        }
        do throws(InflateFailure) {
            // The signed size is the tightest limit: a stream longer than declared stops right there.
            let plain = try Zlib.inflate(compressed, limit: min(cap, info.uncompressedSize), expectedSize: info.uncompressedSize)
            guard plain.count == info.uncompressedSize else {
                throw InflateFailure.corrupt("inflated to \(plain.count) bytes, manifest says \(info.uncompressedSize)")
            }
            return plain
        } catch {
            switch error {
            case .exceedsLimit(let limit):
                throw .decompressionBomb(
                    "inflates past \(limit) bytes from \(compressed.count) (caps: \(limits.maxUncompressedSize >> 20) MiB, ratio \(limits.maxRatio):1)"
                )
            case .corrupt(let why): throw .corruptCompression(why)
            case .truncated: throw .corruptCompression("the zlib stream ends early")
            case .trailingBytes(let n): throw .corruptCompression("\(n) bytes after the zlib stream")
            }
        }
    }
}
