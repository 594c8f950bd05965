import Foundation
import SurveyModel
import SurveyStore
import SurveySync
import Testing

@testable import Fieldwork

/// The server's check of a device's signed request, against a real (in-memory) central dataset.
@Suite struct RequestAuthenticationTests {
    let central: CentralStore
    let key = DeviceSigningKey()
    let device = DeviceID("lap-1")
    let now: Int64 = 1_800_000_000_000
    let body = Data("bundle bytes".utf8)

    init() throws {
        central = try CentralStore.inMemory()
        try central.registerDevice(device, publicKey: key.publicKey.rawRepresentation, method: .explicit, at: 1)
    }

    func signed(
        method: String = "POST", path: String = "/v1/bundles", body: Data? = nil, device: DeviceID? = nil,
        key: DeviceSigningKey? = nil, at time: Int64? = nil, nonce: String = RequestSignature.newNonce()
    ) throws -> [String: String] {
        let signature = try RequestSignature.sign(
            method: method, path: path, body: body ?? self.body, device: device ?? self.device, key: key ?? self.key,
            timestampMillis: time ?? now, nonce: nonce)
        return Dictionary(uniqueKeysWithValues: signature.headers.map { ($0.name, $0.value) })
    }

    func authenticate(
        _ headers: [String: String], authenticator: RequestAuthenticator? = nil, method: String = "POST",
        path: String = "/v1/bundles", body: Data? = nil
    ) -> Result<DeviceID, AuthenticationFailure.Kind> {
        let authenticator = authenticator ?? RequestAuthenticator(central: central)
        do {
            let device = try authenticator.authenticate(
                method: method, path: path, bodySHA256: RequestSignature.digest(body ?? self.body), header: { headers[$0] },
                nowMillis: now)
            return .success(device.id)
        } catch let failure as AuthenticationFailure {
            return .failure(failure.kind)
        } catch {
            Issue.record("unexpected \(error)")
            return .failure(.busy)
        }
    }

    @Test("a request signed by the registered key is the device's")
    func accepted() throws {
        #expect(authenticate(try signed()) == .success(device))
    }

    @Test("any change to the method, path, body, timestamp, nonce or device breaks the signature")
    func tampering() throws {
        let headers = try signed()
        #expect(authenticate(headers, method: "PUT") == .failure(.forged))
        #expect(authenticate(headers, path: "/v1/bundles/x") == .failure(.forged))
        #expect(authenticate(headers, body: Data("other bytes".utf8)) == .failure(.forged))
        var later = headers
        later[RequestSignature.Header.timestamp] = String(now + 1)
        #expect(authenticate(later) == .failure(.forged))
        var otherNonce = headers
        otherNonce[RequestSignature.Header.nonce] = RequestSignature.newNonce()
        #expect(authenticate(otherNonce) == .failure(.forged))
        #expect(authenticate(try signed(key: DeviceSigningKey())) == .failure(.forged))
    }

    @Test("an unregistered device is told so; missing or malformed headers are a bad request")
    func unregisteredAndUnsigned() throws {
        #expect(authenticate(try signed(device: DeviceID("lap-9"), key: DeviceSigningKey())) == .failure(.unregistered))
        #expect(authenticate([:]) == .failure(.unsigned))
        var short = try signed()
        short[RequestSignature.Header.nonce] = "abc"
        #expect(authenticate(short) == .failure(.unsigned))
        var badSignature = try signed()
        badSignature[RequestSignature.Header.signature] = "AAAA"
        #expect(authenticate(badSignature) == .failure(.unsigned))
    }

    @Test("a timestamp more than the allowed skew away is refused, either way")
    func clockSkew() throws {
        #expect(authenticate(try signed(at: now - 300_000)) == .success(device))
        #expect(authenticate(try signed(at: now - 300_001)) == .failure(.clockSkew))
        #expect(authenticate(try signed(at: now + 300_001)) == .failure(.clockSkew))
    }

    @Test("the same signed request is accepted once; a forged one does not burn the nonce")
    func replay() throws {
        let authenticator = RequestAuthenticator(central: central)
        let nonce = RequestSignature.newNonce()
        #expect(authenticate(try signed(key: DeviceSigningKey(), nonce: nonce), authenticator: authenticator) == .failure(.forged))
        let headers = try signed(nonce: nonce)
        #expect(authenticate(headers, authenticator: authenticator) == .success(device))
        #expect(authenticate(headers, authenticator: authenticator) == .failure(.replayed))
        #expect(authenticator.nonces.count == 1)
    }

    @Test("a revoked device is told so only when the request is its own")
    func revoked() throws {
        try central.revokeDevice(device, at: 2)
        #expect(authenticate(try signed()) == .failure(.revoked))
        #expect(authenticate(try signed(key: DeviceSigningKey())) == .failure(.forged))
    }

    @Test("the nonce memory is bounded: expired nonces make room, a full window refuses as busy")
    func boundedNonces() throws {
        let cache = NonceCache(capacity: 2)
        #expect(try cache.insert("a", now: 0, expiresAt: 10))
        #expect(try cache.insert("b", now: 0, expiresAt: 20))
        #expect(throws: AuthenticationFailure.self) { try cache.insert("c", now: 5, expiresAt: 15) }
        #expect(try cache.insert("c", now: 11, expiresAt: 30))
        #expect(try !cache.insert("b", now: 12, expiresAt: 40))
    }
}
