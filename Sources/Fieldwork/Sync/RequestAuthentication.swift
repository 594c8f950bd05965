import Foundation
import SurveyStore
import SurveySync

import enum SurveyModel.DisplayText
import struct SurveyModel.DeviceID

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
        /// Too many requests in the window to remember their nonces (503).
        case busy
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = DisplayText.escaped(reason)
    }
}

/// The nonces of accepted requests, remembered for twice the allowed clock skew: a request
/// signed with a nonce seen in that window is a replay; an older one is refused by its
/// timestamp. Bounded: at most `capacity` nonces, expired ones dropped first.
public final class NonceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var expiries: [String: Int64] = [:]
    private let capacity: Int

    public init(capacity: Int = 1_000_000) { self.capacity = capacity }

    /// Records the nonce; false when it is already there (a replay). Throws when full.
    func insert(_ key: String, now: Int64, expiresAt: Int64) throws(AuthenticationFailure) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let expiry = expiries[key], expiry > now { return false }
        if expiries.count >= capacity { expiries = expiries.filter { $0.value > now } }
        guard expiries.count < capacity else {
            throw AuthenticationFailure(.busy, "the server has seen \(capacity) requests in the last minutes; try again later")
        }
        expiries[key] = expiresAt
        return true
    }

    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return expiries.count
    }
}

/// Checks a device's signed request against the central dataset's registration of its key:
/// headers present, device registered, signature valid, timestamp within the allowed skew,
/// nonce not seen before, device not revoked — in that order, so nothing but a request signed
/// with the device's key learns that the device is revoked, and only such a request's nonce is
/// remembered.
public struct RequestAuthenticator: Sendable {
    public let central: any CentralDataset
    public let maxSkewMillis: Int64
    public let nonces: NonceCache

    public init(central: any CentralDataset, maxSkewMillis: Int64 = 300_000, nonces: NonceCache = NonceCache()) {
        self.central = central
        self.maxSkewMillis = maxSkewMillis
        self.nonces = nonces
    }

    /// The registered device that signed the request, or why it is refused. `header` gives a
    /// request header's value; `nowMillis` is the server's clock.
    public func authenticate(
        method: String, path: String, bodySHA256: String, header: (String) -> String?, nowMillis: Int64
    ) throws -> RegisteredDevice {
        let signature: RequestSignature
        switch RequestSignature.parse(header) {
        case .success(let parsed): signature = parsed
        case .failure(let problem): throw AuthenticationFailure(.unsigned, problem.reason)
        }
        let id = signature.device
        guard let device = try central.device(id) else {
            throw AuthenticationFailure(
                .unregistered, "device \(id) is not registered here: the coordinator registers it with terep central add-device")
        }
        guard let key = try? DevicePublicKey(rawRepresentation: device.publicKey),
            signature.verifies(method: method, path: path, bodySHA256: bodySHA256, key: key)
        else {
            throw AuthenticationFailure(.forged, "the signature does not verify with the key registered for device \(id)")
        }
        let skew = signature.timestampMillis - nowMillis
        guard abs(skew) <= maxSkewMillis else {
            throw AuthenticationFailure(
                .clockSkew,
                "the request's timestamp is \(abs(skew) / 1000) s \(skew < 0 ? "behind" : "ahead of") the server's clock "
                    + "(at most \(maxSkewMillis / 1000) s allowed): set the device's clock")
        }
        let fresh = try nonces.insert(
            "\(id.rawValue)\n\(signature.nonce)", now: nowMillis, expiresAt: nowMillis + 2 * maxSkewMillis)
        guard fresh else {
            throw AuthenticationFailure(.replayed, "nonce \(signature.nonce) was already used: a request is accepted once")
        }
        guard device.status == .active else {
            throw AuthenticationFailure(.revoked, "device \(id) was revoked: its bundles are no longer accepted")
        }
        return device
    }
}
