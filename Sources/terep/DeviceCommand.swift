import ArgumentParser
import Foundation
import struct SurveyModel.DeviceID
import SurveyStore
import struct SurveySync.DevicePublicKey
import struct SurveySync.DeviceSigningKey

/// `--device-db PATH`, shared by every command that uses the device database.
struct DeviceDatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("device-db"),
        help: ArgumentHelp(
            "The device database (default: $TEREP_DEVICE_DB, else $XDG_DATA_HOME/terep/device.sqlite, "
                + "else ~/.local/share/terep/device.sqlite).", valueName: "path"))
    var deviceDB: String?

    /// The path given, or the default location.
    var path: String { deviceDB ?? DeviceStore.defaultPath() }
}

/// Prints a store error as one line on standard error and fails the command.
func failing(_ error: StoreError) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return ExitCode.failure
}

/// `terep device`: the field device's own database.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Set up and inspect this device's interview database; fix an interview's training mark.",
        subcommands: [DeviceInit.self, DeviceStatus.self, DeviceTraining.self])
}

/// `terep device init`: creates the device database.
struct DeviceInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the device database for a device and its interviewer.")

    @Option(name: .customLong("device-id"), help: "A unique name for this laptop, e.g. laptop-07.")
    var deviceID: String

    @Option(help: "The fieldworker's name or code, recorded on every answer.")
    var interviewer: String

    @OptionGroup var database: DeviceDatabaseOptions

    func run() throws {
        let path = database.path
        do {
            let store = try DeviceStore.initialize(path: path, deviceID: DeviceID(deviceID), interviewer: interviewer)
            let key = DeviceSigningKey()
            try store.setSigningKey(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
            print("Initialised device \(store.deviceID) for interviewer \(store.interviewer) at \(path)")
            print("Device public key (register it with: terep central add-device --device-id \(store.deviceID) --key KEY):")
            print(key.publicKey.text)
        } catch {
            throw failing(error)
        }
    }
}

/// `terep device status`: who this device is and what it holds.
struct DeviceStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the device, its interviews and the database's health.")

    @OptionGroup var database: DeviceDatabaseOptions

    func run() throws {
        let path = database.path
        do {
            let store = try DeviceStore.open(path: path, readOnly: true)
            let info = try store.info()
            let interviews = try store.interviews()
            let problems = try store.integrityCheck()
            print("Device:       \(info.deviceID) (interviewer \(info.interviewer))")
            print("Database:     \(path)")
            print("Events:       \(info.nextSequence - 1) (bundled up to \(try store.bundledThrough()))")
            if let pair = try store.signingKey(), let key = try? DevicePublicKey(rawRepresentation: pair.publicKey) {
                print("Public key:   \(key.text)")
            }
            for status in InterviewStatus.allCases {
                let count = interviews.filter { $0.status == status }.count
                print("\(status.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(count)")
            }
            print("Training:     \(interviews.filter(\.isTest).count) (kept, left out of exports; terep device training --list)")
            print("Integrity:    \(problems.isEmpty ? "ok" : problems.joined(separator: "; "))")
            if !problems.isEmpty { throw ExitCode.failure }
        } catch let error as StoreError {
            throw failing(error)
        }
    }
}
