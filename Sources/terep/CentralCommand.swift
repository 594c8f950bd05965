import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore
import SurveyStorePostgres
import SurveySync

import struct SurveyModel.DeviceID
import enum SurveyModel.DisplayText

/// A key given on the command line, as its text or as a file holding it.
enum KeyArgument {
    static func text(_ argument: String) -> String {
        ((try? String(contentsOfFile: argument, encoding: .utf8)) ?? argument).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `--central PATH|URL`, shared by the coordinator's commands: an SQLite file, or a PostgreSQL
/// database as `postgres://USER@HOST:PORT/DATABASE` (docs/server.md).
struct CentralDatasetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The central dataset: an SQLite file, or a PostgreSQL database as postgres://USER@HOST:PORT/DATABASE "
                + "(password from $PGPASSWORD; default: $TEREP_CENTRAL_DB).", valueName: "path|url"))
    var central: String?

    /// The file or URL given, or from the environment.
    func location() throws -> String {
        if let central { return central }
        if let path = ProcessInfo.processInfo.environment["TEREP_CENTRAL_DB"], !path.isEmpty { return path }
        throw ValidationError("give the central dataset with --central PATH|URL (or set TEREP_CENTRAL_DB)")
    }

    /// Opens the dataset, applying pending schema steps (read-only: reading only).
    func open(readOnly: Bool = false) throws -> any CentralDataset {
        let location = try location()
        if PostgresLocation.isURL(location) { return try PostgresCentralStore.open(url: location, readOnly: readOnly) }
        return try CentralStore.open(path: location, readOnly: readOnly)
    }

    /// Opens the dataset to read it (exports, reports), writable when it can be, so the cache of
    /// cleaned records fills.
    func openForReading() throws -> any CentralDataset {
        let location = try location()
        if PostgresLocation.isURL(location) { return try PostgresCentralStore.open(url: location) }
        return try CentralStore.openForReading(path: location)
    }
}

/// `terep central`: the coordinator's merged dataset.
struct CentralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "central",
        abstract: "Create the central dataset, register devices, and show what has been merged.",
        subcommands: [
            CentralInit.self, CentralAddDevice.self, CentralRevokeDevice.self, CentralAddSurvey.self, CentralStatusCommand.self,
            CentralProtectKey.self, CentralFetch.self, CentralCopy.self,
        ])
}

/// `--by NAME`: who does a coordinator's action, for the fieldwork log.
struct ActorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Who does this, for the fieldwork log (default: $USER).", valueName: "name"))
    var by: String?

    var actor: String {
        if let by, !by.trimmingCharacters(in: .whitespaces).isEmpty { return by }
        let env = ProcessInfo.processInfo.environment
        return [env["USER"], env["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty } ?? "coordinator"
    }
}

/// `terep central init`: a new central dataset with the coordinator's key pairs.
struct CentralInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the central dataset and the coordinator's encryption and signing key pairs.",
        discussion: """
            Prints the two public keys devices are given: the signing key (terep device init \
            --coordinator-key), with which they check the coordinator's packages, and the encryption \
            key (terep bundle create --to), to which they encrypt their bundles. On a dataset made by \
            an older terep without a signing key, it makes one and prints it.
            """)

    @OptionGroup var options: CentralDatasetOptions

    func run() throws {
        let location = try options.location()
        if PostgresLocation.isURL(location) {
            let keys = try CentralAdmin.create { pair throws(StoreError) in
                try PostgresCentralStore.initialize(url: location, encryptionKey: pair)
            }
            print("Created the central dataset \(try PostgresLocation(url: location))")
            print("Coordinator signing key (give it to devices: terep device init --coordinator-key KEY):")
            print(keys.signing.text)
            print("Coordinator public key (give it to devices: terep bundle create --to KEY):")
            print(keys.encryption.text)
            return
        }
        let path = location
        if FileManager.default.fileExists(atPath: path) {
            let signing: (key: CoordinatorSigningKey, isNew: Bool)
            signing = try CentralAdmin.signingKey(of: try CentralStore.open(path: path))
            guard signing.isNew else { throw StoreError.alreadyInitialized(path: path) }
            print("The central dataset \(DisplayText.escaped(path)) had no signing key; one was made now.")
            print("Coordinator signing key (give it to devices: terep device init --coordinator-key KEY):")
            print(signing.key.publicKey.text)
            return
        }
        let keys: CentralAdmin.Keys
        keys = try CentralAdmin.create(path: path)
        print("Created the central dataset \(DisplayText.escaped(path))")
        print("Coordinator signing key (give it to devices: terep device init --coordinator-key KEY):")
        print(keys.signing.text)
        print("Coordinator public key (give it to devices: terep bundle create --to KEY):")
        print(keys.encryption.text)
    }
}

/// `terep central add-survey`: publishes a questionnaire version to the central dataset.
struct CentralAddSurvey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-survey", abstract: "Publish a questionnaire (a .survey source or a compiled .json) to the central dataset.",
        discussion: """
            Every version is kept; the one published last is the survey's current version: its \
            sample is checked against it and new interviews of its cases start on it. The survey id \
            comes from the file.
            """)

    @OptionGroup var options: CentralDatasetOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The questionnaire file.") var file: String

    func run() throws {
        let compiled = try SurveyFile.load(file)
        do {
            let store = try options.open()
            try SampleImport.publish(compiled, central: store, actor: actor.actor, at: DeviceStore.currentMilliseconds())
        } catch let error as StoreError {
            throw error
        }
        let d = compiled.definition
        print("Published \(d.id) \(DisplayText.escaped(d.version)) (\(compiled.hash.short)): the current version of survey \(d.id)")
    }
}

/// `terep central add-device`: registers a device's public signing key.
struct CentralAddDevice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-device", abstract: "Register a device with its public key (printed by terep device init).")

    @OptionGroup var options: CentralDatasetOptions
    @Option(name: .customLong("device-id"), help: "The device id.") var deviceID: String
    @Option(help: "The device's public key (ed25519:…), or a file holding it.") var key: String
    @Option(
        name: .customLong("encryption-key"),
        help: "The device's encryption key (x25519:…, printed by terep device init), or a file holding it: its packages are then encrypted."
    )
    var encryptionKey: String?
    @Option(help: "A note kept with the registration (who, when, how verified).") var note: String?

    func run() throws {
        let publicKey: DevicePublicKey
        do { publicKey = try DevicePublicKey(text: KeyArgument.text(key)) } catch { throw ValidationError("--key: \(error.description)") }
        var sealing: DeviceEncryptionPublicKey?
        if let encryptionKey {
            do { sealing = try DeviceEncryptionPublicKey(text: KeyArgument.text(encryptionKey)) } catch {
                throw ValidationError("--encryption-key: \(error.description)")
            }
        }
        do {
            let device = try CentralAdmin.addDevice(
                central: try options.open(), device: DeviceID(deviceID), key: publicKey, encryptionKey: sealing, note: note)
            print(
                "Registered device \(DisplayText.escaped(device.id.rawValue)) (key \(publicKey.fingerprint), \(device.method.rawValue))"
                    + (sealing.map { "; its packages are encrypted to \($0.fingerprint)" } ?? ""))
        }
    }
}

/// `terep central revoke-device`: bundles from the device are rejected from now on.
struct CentralRevokeDevice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-device", abstract: "Revoke a device: its merged data stays, new bundles are rejected.")

    @OptionGroup var options: CentralDatasetOptions
    @Option(name: .customLong("device-id"), help: "The device id.") var deviceID: String

    func run() throws {
        do {
            try options.open().revokeDevice(DeviceID(deviceID))
            print("Revoked device \(DisplayText.escaped(deviceID))")
        }
    }
}

/// `terep central status`: devices, last bundles, missing ranges, counts.
struct CentralStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show devices, the last bundles, missing sequence ranges and counts.")

    @OptionGroup var options: CentralDatasetOptions
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        let report: CentralStatusReport
        do {
            report = CentralStatusReport(try options.open(readOnly: true).status())
        }
        print(format == .json ? report.json() : report.text())
    }
}

/// `terep central copy`: moves an SQLite central dataset into PostgreSQL, checked.
struct CentralCopy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Copy an SQLite central dataset into a new PostgreSQL database, verified.",
        discussion: """
            Copies every table but the cache of cleaned records (keys, devices, events, bundles, the \
            fieldwork log, the sample) in one transaction, then reads every row back and compares each \
            table's row count and SHA-256 with the source; a difference rolls everything back. The \
            destination schema must hold no dataset. Stop merging into the source meanwhile \
            (docs/server.md, "Moving from SQLite").
            """)

    @Option(help: ArgumentHelp("The SQLite central dataset to copy.", valueName: "path")) var from: String
    @Option(help: ArgumentHelp("The new PostgreSQL dataset: postgres://USER@HOST:PORT/DATABASE.", valueName: "url")) var to: String

    func run() throws {
        guard PostgresLocation.isURL(to) else {
            throw CommandFailure("--to must be a postgres:// URL (the SQLite file itself is the copy's source)", status: ExitStatus.usage)
        }
        let report = try PostgresCentralStore.copy(from: try CentralStore.open(path: from, readOnly: true), to: to)
        for table in report.tables {
            print("\(table.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(table.rows) rows  sha256 \(table.checksum)")
        }
        print("Copied \(DisplayText.escaped(from)) to \(report.destination): every table's rows and checksum match")
    }
}
