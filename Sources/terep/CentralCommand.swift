import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore
import struct SurveyModel.DeviceID
import enum SurveyModel.DisplayText
import struct SurveySync.CoordinatorPublicKey
import struct SurveySync.DevicePublicKey

/// `--central PATH`, shared by the coordinator's commands.
struct CentralDatasetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The central dataset file (default: $TEREP_CENTRAL_DB).", valueName: "path"))
    var central: String?

    /// The path given or from the environment.
    func path() throws -> String {
        if let central { return central }
        if let path = ProcessInfo.processInfo.environment["TEREP_CENTRAL_DB"], !path.isEmpty { return path }
        throw ValidationError("give the central dataset with --central PATH (or set TEREP_CENTRAL_DB)")
    }
}

/// `terep central`: the coordinator's merged dataset.
struct CentralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "central",
        abstract: "Create the central dataset, register devices, and show what has been merged.",
        subcommands: [
            CentralInit.self, CentralAddDevice.self, CentralRevokeDevice.self, CentralStatusCommand.self, CentralProtectKey.self,
        ])
}

/// `terep central init`: a new central dataset with a coordinator encryption key pair.
struct CentralInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the central dataset and the coordinator's encryption key pair.")

    @OptionGroup var options: CentralDatasetOptions

    func run() throws {
        let path = try options.path()
        let publicKey: CoordinatorPublicKey
        publicKey = try CentralAdmin.create(path: path)
        print("Created the central dataset \(DisplayText.escaped(path))")
        print("Coordinator public key (give it to devices: terep bundle create --to KEY):")
        print(publicKey.text)
    }
}

/// `terep central add-device`: registers a device's public signing key.
struct CentralAddDevice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-device", abstract: "Register a device with its public key (printed by terep device init).")

    @OptionGroup var options: CentralDatasetOptions
    @Option(name: .customLong("device-id"), help: "The device id.") var deviceID: String
    @Option(help: "The device's public key (ed25519:…), or a file holding it.") var key: String
    @Option(help: "A note kept with the registration (who, when, how verified).") var note: String?

    func run() throws {
        let text = ((try? String(contentsOfFile: key, encoding: .utf8)) ?? key).trimmingCharacters(in: .whitespacesAndNewlines)
        let publicKey: DevicePublicKey
        do { publicKey = try DevicePublicKey(text: text) } catch { throw ValidationError("--key: \(error.description)") }
        do {
            let device = try CentralAdmin.addDevice(path: try options.path(), device: DeviceID(deviceID), key: publicKey, note: note)
            print("Registered device \(DisplayText.escaped(device.id.rawValue)) (key \(publicKey.fingerprint), \(device.method.rawValue))")
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
            try CentralAdmin.revokeDevice(path: try options.path(), device: DeviceID(deviceID))
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
            report = try CentralAdmin.status(path: try options.path())
        }
        print(format == .json ? report.json() : report.text())
    }
}
