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
            return .failure(.unsigned)
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
    }

    @Test("a replay is refused after a restart too: the nonce is in the central dataset until twice the skew has passed")
    func replayAfterRestart() throws {
        let headers = try signed()
        #expect(authenticate(headers, authenticator: RequestAuthenticator(central: central)) == .success(device))
        // A new authenticator over the same dataset is a restarted server (or a second one).
        #expect(authenticate(headers, authenticator: RequestAuthenticator(central: central)) == .failure(.replayed))
        let later = RequestAuthenticator(central: central)
        let result = Result { () throws -> RegisteredDevice in
            try later.authenticate(
                method: "POST", path: "/v1/bundles", bodySHA256: RequestSignature.digest(body),
                header: { headers[$0] }, nowMillis: now + 600_001)
        }
        // Past the window the timestamp refuses it, and the nonce is forgotten.
        #expect((try? result.get()) == nil)
        #expect(try central.recordRequestNonce("other", at: now + 600_001, expiresAt: now + 900_000))
        #expect(
            try central.recordRequestNonce(
                "\(device.rawValue)\n\(headers[RequestSignature.Header.nonce]!)", at: now + 600_001, expiresAt: now + 900_000))
    }

    @Test("coordinator endpoints take only the coordinator's key; a device's own signature is refused as not the coordinator's")
    func coordinator() throws {
        let coordinatorKey = DeviceSigningKey()
        let authenticator = RequestAuthenticator(central: central, coordinatorKey: coordinatorKey.publicKey)
        func check(_ headers: [String: String]) -> AuthenticationFailure.Kind? {
            do {
                try authenticator.authenticateCoordinator(
                    method: "GET", path: "/status", bodySHA256: RequestSignature.digest(Data()), header: { headers[$0] },
                    nowMillis: now)
                return nil
            } catch let failure as AuthenticationFailure { return failure.kind } catch { return .unsigned }
        }
        let coordinator = DeviceID(RequestAuthenticator.coordinatorSigner)
        #expect(check(try signed(method: "GET", path: "/status", body: Data(), device: coordinator, key: coordinatorKey)) == nil)
        #expect(check(try signed(method: "GET", path: "/status", body: Data(), device: coordinator, key: key)) == .forged)
        #expect(check(try signed(method: "GET", path: "/status", body: Data())) == .notCoordinator)
        #expect(check(try signed(method: "GET", path: "/status", body: Data(), key: DeviceSigningKey())) == .unregistered)
        #expect(check([:]) == .unsigned)
        // The coordinator's key does not upload bundles.
        #expect(authenticate(try signed(device: coordinator, key: coordinatorKey), authenticator: authenticator) == .failure(.unregistered))
    }

    @Test("a revoked device is told so only when the request is its own")
    func revoked() throws {
        try central.revokeDevice(device, at: 2)
        #expect(authenticate(try signed()) == .failure(.revoked))
        #expect(authenticate(try signed(key: DeviceSigningKey())) == .failure(.forged))
    }
}
