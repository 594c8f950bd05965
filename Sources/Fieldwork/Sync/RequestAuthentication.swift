import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID
import enum SurveyModel.DisplayText

/// Why a signed request was refused. ``reason`` is one line, escaped, for the client to print.
public struct AuthenticationFailure: Error, Hashable, Sendable {
    public enum Kind: String, Error, Hashable, Sendable, CaseIterable {
        /// Signature headers missing or malformed (400).
        case unsigned
        /// The device is not registered at the central dataset (401).
        case unregistered
        /// The signature does not verify with the registered key (401).
        case forged
        /// The timestamp is outside the allowed clock skew (401).
        case clockSkew = "clock-skew"
        /// The nonce was seen before within the window (401).
        case replayed
        /// The device was revoked (403).
        case revoked
        /// A request a device signed for an endpoint only the coordinator may use (403).
        case notCoordinator = "not-coordinator"
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = DisplayText.escaped(reason)
    }
}

/// Checks a signed request against the central dataset: a device's against the key registered
/// for it, the coordinator's (``coordinatorSigner`` in the device header) against the
/// coordinator's signing key. Headers present, signer known, signature valid, timestamp within
/// the allowed skew, nonce not seen before, device not revoked — in that order, so nothing but
/// a request signed with the device's key learns that the device is revoked, and only such a
/// request's nonce is recorded. Nonces are recorded in the central dataset
/// (``CentralDataset/recordRequestNonce(_:at:expiresAt:)``) for twice the skew: a restarted
/// server, or a second server over the same database, refuses a replay too; an older request is
/// refused by its timestamp.
public struct RequestAuthenticator: Sendable {
    /// What the coordinator puts in the device header: never a device id (those are letters,
    /// digits, `-`, `_` and `.`).
    public static let coordinatorSigner = "@coordinator"

    public let central: any CentralDataset
    public let maxSkewMillis: Int64
    /// The coordinator's public signing key; without it, no request is the coordinator's.
    public let coordinatorKey: CoordinatorVerifyingKey?

    public init(central: any CentralDataset, maxSkewMillis: Int64 = 300_000, coordinatorKey: CoordinatorVerifyingKey? = nil) {
        self.central = central
        self.maxSkewMillis = maxSkewMillis
        self.coordinatorKey = coordinatorKey
    }

    /// The registered device that signed the request, or why it is refused. `header` gives a
    /// request header's value; `nowMillis` is the server's clock.
    public func authenticate(
        method: String, path: String, bodySHA256: String, header: (String) -> String?, nowMillis: Int64
    ) throws -> RegisteredDevice {
        let signature = try Self.parse(header)
        let id = signature.device
        guard id.rawValue != Self.coordinatorSigner else {
            throw AuthenticationFailure(.unregistered, "the coordinator does not upload bundles: a device signs its own")
        }
        guard let device = try central.device(id) else {
            throw AuthenticationFailure(
                .unregistered, "device \(id) is not registered here: the coordinator registers it with terep central add-device")
        }
        let key = try? DevicePublicKey(rawRepresentation: device.publicKey)
        try check(signature, key: key, signer: "device \(id)", method: method, path: path, bodySHA256: bodySHA256, nowMillis: nowMillis)
        guard device.status == .active else {
            throw AuthenticationFailure(.revoked, "device \(id) was revoked: its bundles are no longer accepted")
        }
        return device
    }

    /// Checks a request to a coordinator endpoint: it must be signed with the coordinator's key.
    /// A device's own valid signature is refused as not the coordinator's (403).
    public func authenticateCoordinator(
        method: String, path: String, bodySHA256: String, header: (String) -> String?, nowMillis: Int64
    ) throws {
        let signature = try Self.parse(header)
        guard signature.device.rawValue == Self.coordinatorSigner else {
            if let device = try central.device(signature.device),
                let key = try? DevicePublicKey(rawRepresentation: device.publicKey),
                signature.verifies(method: method, path: path, bodySHA256: bodySHA256, key: key)
            {
                throw AuthenticationFailure(
                    .notCoordinator, "only the coordinator may read \(path): device \(signature.device) signed this request")
            }
            throw AuthenticationFailure(
                .unregistered, "\(path) is the coordinator's: sign the request with the coordinator's key (terep central fetch)")
        }
        guard let coordinatorKey else {
            throw AuthenticationFailure(
                .unregistered, "this central dataset has no coordinator signing key: run terep central init or publish once")
        }
        try check(
            signature, key: coordinatorKey, signer: "the coordinator", method: method, path: path, bodySHA256: bodySHA256,
            nowMillis: nowMillis)
    }

    static func parse(_ header: (String) -> String?) throws(AuthenticationFailure) -> RequestSignature {
        switch RequestSignature.parse(header) {
        case .success(let parsed): return parsed
        case .failure(let problem): throw AuthenticationFailure(.unsigned, problem.reason)
        }
    }

    /// The signature, the timestamp and the nonce, in that order.
    private func check(
        _ signature: RequestSignature, key: DevicePublicKey?, signer: String, method: String, path: String,
        bodySHA256: String, nowMillis: Int64
    ) throws {
        guard let key, signature.verifies(method: method, path: path, bodySHA256: bodySHA256, key: key) else {
            throw AuthenticationFailure(.forged, "the signature does not verify with the key registered for \(signer)")
        }
        let skew = signature.timestampMillis - nowMillis
        guard abs(skew) <= maxSkewMillis else {
            throw AuthenticationFailure(
                .clockSkew,
                "the request's timestamp is \(abs(skew) / 1000) s \(skew < 0 ? "behind" : "ahead of") the server's clock "
                    + "(at most \(maxSkewMillis / 1000) s allowed): set the device's clock")
        }
        let fresh = try central.recordRequestNonce(
            "\(signature.device.rawValue)\n\(signature.nonce)", at: nowMillis, expiresAt: nowMillis + 2 * maxSkewMillis)
        guard fresh else {
            throw AuthenticationFailure(.replayed, "nonce \(signature.nonce) was already used: a request is accepted once")
        }
    }
}
