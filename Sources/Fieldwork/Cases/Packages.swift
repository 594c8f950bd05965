import Foundation
import SurveyModel
import SurveyStore
import SurveySync

/// What `terep package create` wrote.
public struct PackageCreated: Sendable {
    public var device: DeviceID
    /// The central fieldwork log's entry the package reflects.
    public var through: Int64
    /// The device's cases by where they stand for it.
    public var assigned: Int
    public var reassigned: Int
    public var withdrawn: Int
    public var reviews: Int
    public var definitions: Int
    /// Whether it was sealed to the device's encryption key.
    public var encrypted: Bool
}

/// What `terep device receive` did with a package that passed every check.
public enum PackageReceipt: Sendable, Equatable {
    /// Applied: the device's cases and review decisions are now the package's.
    case applied(through: Int64, cases: Int, reviews: Int)
    /// Older than, or the same as, the package the device already has: nothing changed.
    case alreadyApplied(through: Int64, current: Int64)
}

/// Packages from the coordinator to a device (docs/package-format.md): the library side of
/// `terep package create` and `terep device receive`. A package holds the whole picture for
/// its device as of one point of the central fieldwork log — every case it was ever given and
/// where each stands, the current questionnaire of their surveys, the review decisions on its
/// interviews — so the newest package alone decides what the device holds, and receiving one
/// twice or an older one after a newer changes nothing.
public enum Packages {
    /// The package contents of a snapshot of the central dataset.
    public static func contents(of snapshot: PackageSnapshot) throws(FieldworkError) -> PackageContents {
        var files: [DefinitionHash: Data] = [:]
        for file in snapshot.definitions.values { files[file.survey.hash] = file.bytes }
        var cases: [DeviceCase] = []
        cases.reserveCapacity(snapshot.cases.count)
        for c in snapshot.cases {
            guard let definition = snapshot.definitions[c.record.survey]?.survey.hash else {
                throw .usage(
                    "survey '\(DisplayText.escaped(c.record.survey.rawValue))' has no published questionnaire; "
                        + "publish it with terep central add-survey")
            }
            cases.append(
                DeviceCase(
                    survey: c.record.survey, id: c.record.id, definition: definition, values: c.record.values,
                    address: c.record.address, note: c.record.note, state: c.state, changedAt: c.changedAt,
                    changedBy: c.changedBy, reason: c.reason))
        }
        return PackageContents(definitionFiles: files, cases: cases, reviews: snapshot.reviews)
    }

    /// Builds the package for `device` from the central dataset, signs it with the
    /// coordinator's signing key, seals it to the device's encryption key when one is
    /// registered, and writes it atomically to `path`.
    public static func create(
        central: any CentralDataset, device: DeviceID, to path: String, at time: Int64
    ) throws(FieldworkError) -> PackageCreated {
        let snapshot = try SampleImport.storing { () throws(StoreError) in try central.packageSnapshot(device: device) }
        guard let pair = try SampleImport.storing({ () throws(StoreError) in try central.signingKey() }),
            let signingKey = try? CoordinatorSigningKey(rawRepresentation: pair.privateKey)
        else {
            throw .usage(
                "the central dataset has no signing key for packages (it was made by an older terep); "
                    + "run terep central init --central \(DisplayText.escaped(central.location)) once to make it, and give it to the devices"
            )
        }
        var recipient: DeviceEncryptionPublicKey?
        if let key = snapshot.encryptionKey {
            do { recipient = try DeviceEncryptionPublicKey(rawRepresentation: key) } catch {
                throw .store(.undecodable(what: "encryption key of device \(device)", detail: error.description))
            }
        }
        let contents = try contents(of: snapshot)
        do {
            try PackageCodec.write(
                contents, device: device, through: snapshot.through, signingKey: signingKey, recipient: recipient,
                createdAtMillis: time, to: path)
        } catch { throw .package(error) }
        let states = snapshot.cases.map(\.state)
        return PackageCreated(
            device: device, through: snapshot.through, assigned: states.count { $0 == .assigned },
            reassigned: states.count { $0 == .reassigned }, withdrawn: states.count { $0 == .withdrawn },
            reviews: contents.reviews.count, definitions: contents.definitionFiles.count, encrypted: recipient != nil)
    }

    /// Verifies a package file against the device (its id, the coordinator key it trusts, its
    /// encryption key) and applies it when it is newer than the one the device has. A refused
    /// package changes nothing and is reported in one line naming the file.
    public static func receive(path: String, device: DeviceStore, at time: Int64) throws(FieldworkError) -> PackageReceipt {
        let (coordinator, decryption) = try keys(of: device)
        let verified: VerifiedPackage
        do {
            verified = try PackageCodec.read(
                path: path, device: device.deviceID, coordinatorKey: coordinator, decryptionKey: decryption)
        } catch { throw .package(error) }
        let package = devicePackage(verified)
        let applied = try SampleImport.storing { () throws(StoreError) in try device.applyPackage(package, receivedAt: time) }
        guard applied else {
            let current = try SampleImport.storing { () throws(StoreError) in try device.packageThrough() }
            return .alreadyApplied(through: package.through, current: current)
        }
        return .applied(through: package.through, cases: package.cases.count, reviews: package.reviews.count)
    }

    /// The coordinator key the device trusts and its own decryption key, as stored.
    private static func keys(of device: DeviceStore) throws(FieldworkError) -> (CoordinatorVerifyingKey?, DeviceEncryptionPrivateKey?) {
        let stored = try SampleImport.storing { () throws(StoreError) in (try device.coordinatorKey(), try device.encryptionKey()) }
        var coordinator: CoordinatorVerifyingKey?
        var decryption: DeviceEncryptionPrivateKey?
        do {
            coordinator = try stored.0.map { data throws(KeyFormatError) in try CoordinatorVerifyingKey(rawRepresentation: data) }
            decryption = try stored.1.map { pair throws(KeyFormatError) in
                try DeviceEncryptionPrivateKey(rawRepresentation: pair.privateKey)
            }
        } catch {
            throw .store(.undecodable(what: "package keys of device \(device.deviceID)", detail: error.description))
        }
        return (coordinator, decryption)
    }

    /// A verified package as the device store applies it.
    static func devicePackage(_ verified: VerifiedPackage) -> DevicePackage {
        let files = verified.contents.definitionFiles.keys.sorted().compactMap { hash -> DefinitionFile? in
            guard let survey = verified.definitions[hash], let bytes = verified.contents.definitionFiles[hash] else { return nil }
            return DefinitionFile(survey: survey, bytes: bytes)
        }
        return DevicePackage(
            through: verified.manifest.through, createdAt: verified.manifest.createdAtMillis, definitions: files,
            cases: verified.contents.cases,
            reviews: verified.contents.reviews)
    }
}
