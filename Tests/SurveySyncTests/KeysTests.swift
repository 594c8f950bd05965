import Foundation
import Testing

@testable import SurveySync

@Test func devicePublicKeyTextRoundTrips() throws {
    let key = DeviceSigningKey().publicKey
    #expect(key.text.hasPrefix("ed25519:"))
    #expect(try DevicePublicKey(text: key.text) == key)
    #expect(try DevicePublicKey(text: key.rawRepresentation.hexString) == key)
}

@Test func hexStringIsLowerCaseTwoDigitsAByte() {
    #expect(Data().hexString == "")
    #expect(Data([0x00, 0x0F, 0xA5, 0xFF, 0x10]).hexString == "000fa5ff10")
    let bytes = Data((0...255).map { UInt8($0) })
    #expect(bytes.hexString == bytes.map { String(format: "%02x", $0) }.joined())
}

@Test func coordinatorKeysRoundTripThroughTextAndRawBytes() throws {
    let secret = CoordinatorPrivateKey()
    let restored = try CoordinatorPrivateKey(text: secret.text)
    #expect(restored.publicKey == secret.publicKey)
    #expect(try CoordinatorPublicKey(text: secret.publicKey.text) == secret.publicKey)
    #expect(try CoordinatorPublicKey(rawRepresentation: secret.publicKey.rawRepresentation) == secret.publicKey)
}

@Test func signingKeySurvivesStorageAsRawBytes() throws {
    let key = DeviceSigningKey()
    let restored = try DeviceSigningKey(rawRepresentation: key.rawRepresentation)
    #expect(restored.publicKey == key.publicKey)
}

@Test func fingerprintIsFourGroupsOfHexAndDiffersBetweenKeys() {
    let a = DeviceSigningKey().publicKey.fingerprint.rawValue
    let b = DeviceSigningKey().publicKey.fingerprint.rawValue
    #expect(a.count == 19)
    #expect(a.split(separator: ":").count == 4)
    #expect(a.allSatisfy { "0123456789abcdef:".contains($0) })
    #expect(a != b)
}

@Test(arguments: [
    "", "ed25519:", "ed25519:AAAA", "x25519:" + Data(count: 32).base64EncodedString(), "zz", String(repeating: "a", count: 62),
])
func malformedDeviceKeyTextIsRejected(_ text: String) {
    #expect(throws: KeyFormatError.self) { try DevicePublicKey(text: text) }
}
