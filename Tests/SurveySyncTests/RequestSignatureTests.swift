import Foundation
import SurveyModel
import Testing

@testable import SurveySync

@Suite struct RequestSignatureTests {
    @Test("the signed message is the documented seven lines")
    func message() {
        let text = String(
            decoding: RequestSignature.message(
                method: "POST", path: "/v1/bundles", bodySHA256: RequestSignature.digest(Data()), timestampMillis: 1234,
                nonce: "abcdefghijklmnop", device: DeviceID("lap-1")), as: UTF8.self)
        #expect(
            text == "terep-request-1\nPOST\n/v1/bundles\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "1234\nabcdefghijklmnop\nlap-1\n")
    }

    @Test("headers round-trip and verify; a different key does not")
    func roundTrip() throws {
        let key = DeviceSigningKey()
        let body = Data("x".utf8)
        let signed = try RequestSignature.sign(
            method: "POST", path: "/p", body: body, device: DeviceID("d"), key: key, timestampMillis: 99)
        let headers = Dictionary(uniqueKeysWithValues: signed.headers.map { ($0.name, $0.value) })
        let parsed = try RequestSignature.parse { headers[$0] }.get()
        #expect(parsed == signed)
        #expect(parsed.verifies(method: "POST", path: "/p", bodySHA256: RequestSignature.digest(body), key: key.publicKey))
        #expect(!parsed.verifies(method: "POST", path: "/p", bodySHA256: RequestSignature.digest(body), key: DeviceSigningKey().publicKey))
    }

    @Test("nonces are fresh, 22 URL-safe characters")
    func nonces() {
        let a = RequestSignature.newNonce(), b = RequestSignature.newNonce()
        #expect(a != b && a.count == 22 && RequestSignature.isValidNonce(a))
        #expect(!RequestSignature.isValidNonce("has space in it!!"))
    }
}
