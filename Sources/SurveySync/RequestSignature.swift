import Crypto
import Foundation
import SurveyModel

/// The signature a device puts on every request it sends to `terep server`: Ed25519, with the
/// key that signs its bundles, over the method, the path, the SHA-256 of the body, a timestamp
/// and a nonce. The one owner of that format (docs/server.md, "Request signatures").
///
/// The signed message is five lines after a scheme line, each ending in `\n`:
/// ```
/// terep-request-1
/// POST
/// /v1/bundles
/// <64 lowercase hex digits: SHA-256 of the body>
/// <timestamp: milliseconds since 1970, decimal>
/// <nonce: 16 to 64 characters of [A-Za-z0-9_-]>
/// <device id>
/// ```
public struct RequestSignature: Hashable, Sendable {
    /// The header names the fields travel in.
    public enum Header {
        public static let device = "X-Terep-Device"
        public static let timestamp = "X-Terep-Timestamp"
        public static let nonce = "X-Terep-Nonce"
        public static let signature = "X-Terep-Signature"
    }

    public static let scheme = "terep-request-1"

    public var device: DeviceID
    public var timestampMillis: Int64
    public var nonce: String
    /// The 64-byte Ed25519 signature.
    public var signature: Data

    public init(device: DeviceID, timestampMillis: Int64, nonce: String, signature: Data) {
        self.device = device
        self.timestampMillis = timestampMillis
        self.nonce = nonce
        self.signature = signature
    }

    /// Signs a request with the device's key, at `timestampMillis`, with a fresh random nonce
    /// unless one is given.
    public static func sign(
        method: String, path: String, body: Data, device: DeviceID, key: DeviceSigningKey, timestampMillis: Int64,
        nonce: String = RequestSignature.newNonce()
    ) throws(BundleError) -> RequestSignature {
        let message = Self.message(
            method: method, path: path, bodySHA256: Self.digest(body), timestampMillis: timestampMillis, nonce: nonce,
            device: device)
        do {
            return RequestSignature(
                device: device, timestampMillis: timestampMillis, nonce: nonce, signature: try key.signature(for: message))
        } catch { throw BundleError(file: "<request>", kind: error) }
    }

    /// The headers to send: name → value.
    public var headers: [(name: String, value: String)] {
        [
            (Header.device, device.rawValue), (Header.timestamp, String(timestampMillis)), (Header.nonce, nonce),
            (Header.signature, signature.base64EncodedString()),
        ]
    }

    /// Reads the four headers (`value(name)` gives a header's value, or nil); nil with the
    /// reason when one is missing or malformed.
    public static func parse(_ value: (String) -> String?) -> Result<RequestSignature, RequestSignatureProblem> {
        guard let device = value(Header.device), let stamp = value(Header.timestamp), let nonce = value(Header.nonce),
            let signature = value(Header.signature)
        else {
            return .failure(
                .missing(
                    "the request is not signed: it needs the headers \(Header.device), \(Header.timestamp), \(Header.nonce) and \(Header.signature) (terep sync signs its requests)"
                ))
        }
        guard !device.isEmpty, device.utf8.count <= 128 else {
            return .failure(.malformed("\(Header.device) is empty or longer than 128 bytes"))
        }
        guard stamp.utf8.count <= 19, let millis = Int64(stamp), millis > 0 else {
            return .failure(.malformed("\(Header.timestamp) is not a positive number of milliseconds"))
        }
        guard isValidNonce(nonce) else {
            return .failure(.malformed("\(Header.nonce) must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -"))
        }
        guard let bytes = Data(base64Encoded: signature), bytes.count == 64 else {
            return .failure(.malformed("\(Header.signature) is not the base64 of a 64-byte Ed25519 signature"))
        }
        return .success(RequestSignature(device: DeviceID(device), timestampMillis: millis, nonce: nonce, signature: bytes))
    }

    /// Whether this signature is `key`'s over the request.
    public func verifies(method: String, path: String, bodySHA256: String, key: DevicePublicKey) -> Bool {
        let message = Self.message(
            method: method, path: path, bodySHA256: bodySHA256, timestampMillis: timestampMillis, nonce: nonce, device: device)
        return key.isValidSignature(signature, for: message)
    }

    /// The signed bytes.
    static func message(
        method: String, path: String, bodySHA256: String, timestampMillis: Int64, nonce: String, device: DeviceID
    ) -> Data {
        Data(([scheme, method, path, bodySHA256, String(timestampMillis), nonce, device.rawValue].joined(separator: "\n") + "\n").utf8)
    }

    /// The SHA-256 of a body in lowercase hex.
    public static func digest(_ body: Data) -> String { Data(SHA256.hash(data: body)).hexString }

    /// The SHA-256 of a body received in pieces (a streamed upload), as ``digest(_:)`` gives it.
    public struct BodyDigest: Sendable {
        private var hasher = SHA256()
        public init() {}
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
        public func finalize() -> String { Data(hasher.finalize()).hexString }
    }

    /// 128 random bits in base64url without padding (22 characters).
    public static func newNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func isValidNonce(_ nonce: String) -> Bool {
        (16...64).contains(nonce.utf8.count)
            && nonce.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
            }
    }
}

/// Why a request's signature headers could not be read.
public enum RequestSignatureProblem: Error, Hashable, Sendable {
    case missing(String)
    case malformed(String)

    public var reason: String {
        switch self {
        case .missing(let reason), .malformed(let reason): reason
        }
    }
}
