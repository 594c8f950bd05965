import Foundation
import SurveyModel
import Testing

@testable import SurveySync

/// Packages good and bad (docs/package-format.md): each kind of bad package is refused with its
/// own one-line message naming the file.
private enum PackageForge {
    static let coordinator = try! CoordinatorSigningKey(rawRepresentation: Data(repeating: 5, count: 32))
    static let otherCoordinator = try! CoordinatorSigningKey(rawRepresentation: Data(repeating: 6, count: 32))
    static let deviceSealing = try! DeviceEncryptionPrivateKey(rawRepresentation: Data(repeating: 7, count: 32))
    static let otherSealing = try! DeviceEncryptionPrivateKey(rawRepresentation: Data(repeating: 8, count: 32))
    static let def = Fixtures.definitionFile()

    static let contents = PackageContents(
        definitionFiles: [def.hash: def.bytes],
        cases: [
            DeviceCase(
                survey: "wellbeing", id: "W-0001", definition: def.hash, values: ["hh_size": .integer(3)],
                address: "Szondi György u. 3, 2/7", state: .assigned, changedAt: 1_000, changedBy: "Kata"),
            DeviceCase(
                survey: "wellbeing", id: "W-0002", definition: def.hash, values: [:], state: .withdrawn, changedAt: 2_000,
                changedBy: "Kata", reason: "üres"),
        ],
        reviews: [])

    static func good(signer: CoordinatorSigningKey = coordinator, sealedTo: DeviceEncryptionPublicKey? = nil, through: Int64 = 7) -> Data {
        try! PackageCodec.encode(
            contents, device: "lap-1", through: through, signingKey: signer, recipient: sealedTo, createdAtMillis: 1_000)
    }

    /// `data` with one byte of its payload changed and the file checksum made right again.
    static func tamperedPayload(_ data: Data) -> Data {
        var parts = try! SignedContainer.parse(.package, data, maxPayload: 1 << 30)
        parts.payload[parts.payload.startIndex + 5] ^= 0x01
        return SignedContainer.assemble(.package, manifestBytes: parts.manifestBytes, signature: parts.signature, payload: parts.payload)
    }

    /// `data` with its manifest edited (text substitution) and the checksum made right again.
    static func editedManifest(_ data: Data, _ old: String, _ new: String) -> Data {
        let parts = try! SignedContainer.parse(.package, data, maxPayload: 1 << 30)
        let text = String(decoding: parts.manifestBytes, as: UTF8.self).replacingOccurrences(of: old, with: new)
        return SignedContainer.assemble(.package, manifestBytes: Data(text.utf8), signature: parts.signature, payload: parts.payload)
    }

    static func read(
        _ data: Data, trusting key: CoordinatorVerifyingKey? = coordinator.publicKey,
        decrypting: DeviceEncryptionPrivateKey? = deviceSealing
    ) throws(PackageError) -> VerifiedPackage {
        try PackageCodec.read(data, file: "lap-1.terepkg", device: "lap-1", coordinatorKey: key, decryptionKey: decrypting)
    }
}

@Suite("Bad packages")
struct BadPackageTests {
    @Test func aGoodPackageReadsBackPlainOrSealed() throws {
        for sealed in [nil, PackageForge.deviceSealing.publicKey] {
            let read = try PackageForge.read(PackageForge.good(sealedTo: sealed))
            #expect(read.contents == PackageForge.contents)
            #expect(read.manifest.through == 7 && read.manifest.device == "lap-1")
            #expect((read.manifest.encryption != nil) == (sealed != nil))
        }
    }

    static let cases: [(String, @Sendable () throws(PackageError) -> VerifiedPackage, String)] = [
        (
            "not a package", { () throws(PackageError) in try PackageForge.read(Data("case_id,district\nW-1,6\n".utf8)) },
            "lap-1.terepkg: not a terep package (no 'terep-package' header); check that you picked the right file"
        ),
        (
            "a bundle", { () throws(PackageError) in try PackageForge.read(ContainerKind.bundle.magic + Data(count: 40)) },
            "lap-1.terepkg: this is a device's bundle, not a package; bundles go to the coordinator (terep merge)"
        ),
        (
            "cut short",
            { () throws(PackageError) in
                let d = PackageForge.good(); return try PackageForge.read(d.prefix(d.count - 50))
            },
            "lap-1.terepkg: truncated: \(PackageForge.good().count - 50) of \(PackageForge.good().count) bytes; copy the package again"
        ),
        (
            "a flipped bit",
            { () throws(PackageError) in
                var d = PackageForge.good(); d[d.count / 2] ^= 0x10; return try PackageForge.read(d)
            },
            "lap-1.terepkg: damaged: file checksum mismatch (bits changed in transit or on disk); copy it again"
        ),
        (
            "another device's",
            { () throws(PackageError) in try PackageForge.read(PackageForge.editedManifest(PackageForge.good(), "\"lap-1\"", "\"lap-2\""))
            },
            "lap-1.terepkg: this package is for device 'lap-2', and this is device 'lap-1'; ask the coordinator for this device's package"
        ),
        (
            "another coordinator's",
            { () throws(PackageError) in try PackageForge.read(PackageForge.good(signer: PackageForge.otherCoordinator)) },
            "lap-1.terepkg: signed by coordinator key \(PackageForge.otherCoordinator.publicKey.fingerprint), but this device trusts coordinator key \(PackageForge.coordinator.publicKey.fingerprint); it is from another central dataset"
        ),
        (
            "a forged signature",
            { () throws(PackageError) in
                try PackageForge.read(PackageForge.editedManifest(PackageForge.good(), "\"through\":7", "\"through\":9"))
            },
            "lap-1.terepkg: signature does not verify with the coordinator's key (tampered or forged)"
        ),
        (
            "a tampered payload", { () throws(PackageError) in try PackageForge.read(PackageForge.tamperedPayload(PackageForge.good())) },
            "lap-1.terepkg: payload SHA-256 does not match the signed manifest (tampered or damaged)"
        ),
        (
            "sealed to another device key",
            { () throws(PackageError) in try PackageForge.read(PackageForge.good(sealedTo: PackageForge.otherSealing.publicKey)) },
            "lap-1.terepkg: encrypted to key \(PackageForge.otherSealing.publicKey.fingerprint), which is not this device's encryption key"
        ),
        (
            "a device without a coordinator key", { () throws(PackageError) in try PackageForge.read(PackageForge.good(), trusting: nil) },
            "lap-1.terepkg: this device has no coordinator key to check packages with; give it with terep device init --coordinator-key KEY"
        ),
    ]

    @Test(arguments: 0..<cases.count)
    func eachKindOfBadPackageHasItsOwnMessage(_ index: Int) {
        let (name, read, message) = Self.cases[index]
        do {
            _ = try read()
            Issue.record("\(name): was accepted")
        } catch {
            #expect(error.description == message, "\(name)")
        }
    }
}
