import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID

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

/// `terep device`: the field device's own database.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Set up and inspect this device's interview database, receive packages, fix an interview's training mark.",
        subcommands: [DeviceInit.self, DeviceStatus.self, DeviceReceive.self, DeviceTraining.self, DeviceProtectKey.self])
}

/// `terep device init`: creates the device database.
struct DeviceInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the device database for a device and its interviewer.",
        discussion: """
            The database is made with the device's signing key and encryption key; both public keys \
            are printed for the coordinator to register (terep central add-device --key … \
            --encryption-key …). --coordinator-key gives the coordinator's signing key (printed by \
            terep central init), with which the device checks the coordinator's packages. On an \
            existing database nothing is replaced: it says which device and interviewer it holds and \
            prints its public keys (making the keys first in a database made by an older terep \
            without them; storing a coordinator key it does not have yet); it fails if it holds \
            another device id, interviewer or coordinator key.
            """)

    @Option(name: .customLong("device-id"), help: "A unique name for this laptop, e.g. laptop-07.")
    var deviceID: String

    @Option(help: "The fieldworker's name or code, recorded on every answer.")
    var interviewer: String

    @Option(
        name: .customLong("coordinator-key"),
        help: ArgumentHelp(
            "The coordinator's signing key (ed25519:…, printed by terep central init), or a file holding it.",
            valueName: "key"))
    var coordinatorKey: String?

    @OptionGroup var database: DeviceDatabaseOptions

    func run() throws {
        var coordinator: CoordinatorVerifyingKey?
        if let coordinatorKey {
            do { coordinator = try CoordinatorVerifyingKey(text: KeyArgument.text(coordinatorKey)) } catch {
                throw ValidationError("--coordinator-key: \(error.description)")
            }
        }
        let result: DeviceInitialisation
        do {
            result = try DeviceSetup.initialise(
                path: database.path, deviceID: DeviceID(deviceID), interviewer: interviewer, coordinatorKey: coordinator)
        } catch {
            throw error
        }
        switch result {
        case .created(let device):
            print("Initialised device \(device.deviceID) for interviewer \(device.interviewer) at \(device.path)")
            Self.printKeys(device)
        case .existing(let device, let addedKey, let conflicts):
            print(
                "The device database \(device.path) already exists: device \(device.deviceID), interviewer "
                    + "\(device.interviewer), \(device.events) events (bundled up to \(device.bundledThrough)).")
            if addedKey { print("It had no signing key (made by an older terep); one was made now, so it can send bundles.") }
            Self.printKeys(device)
            guard conflicts.isEmpty else {
                Console.error(
                    "error: it was not changed to \(conflicts.joined(separator: " and ")): a device keeps its id and "
                        + "interviewer (and the coordinator it was given). To set up another device or fieldworker, give another --device-db path."
                )
                throw CommandFailure(nil, status: ExitStatus.failure)
            }
        }
    }

    /// The coordinator key the device trusts, and its public keys for the coordinator (the
    /// signing key last, as scripts read it).
    static func printKeys(_ device: DeviceIdentity) {
        if let coordinator = device.coordinatorKey {
            print("Packages are checked with the coordinator's signing key \(coordinator.fingerprint).")
        }
        if let sealing = device.encryptionKey {
            print("Device encryption key (packages are sealed to it: terep central add-device … --encryption-key KEY):")
            print(sealing.text)
        }
        print("Device public key (register it with: terep central add-device --device-id \(device.deviceID) --key KEY):")
        print(device.publicKey?.text ?? "-")
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
            if let pair = try store.encryptionKey(), let key = try? DeviceEncryptionPublicKey(rawRepresentation: pair.publicKey) {
                print("Encryption:   \(key.text)")
            }
            for status in InterviewStatus.allCases {
                let count = interviews.filter { $0.status == status }.count
                print("\(status.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(count)")
            }
            print("Training:     \(interviews.filter(\.isTest).count) (kept, left out of exports; terep device training --list)")
            print("Integrity:    \(problems.isEmpty ? "ok" : problems.joined(separator: "; "))")
            if !problems.isEmpty { throw CommandFailure(nil, status: ExitStatus.failure) }  // the Integrity line said why
        }
    }
}
