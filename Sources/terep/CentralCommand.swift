import ArgumentParser
import Foundation
import SurveyStore
import struct SurveyModel.DeviceID
import struct SurveySync.CoordinatorPrivateKey
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
        subcommands: [CentralInit.self, CentralAddDevice.self, CentralRevokeDevice.self, CentralStatusCommand.self])
}

/// `terep central init`: a new central dataset with a coordinator encryption key pair.
struct CentralInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the central dataset and the coordinator's encryption key pair.")

    @OptionGroup var options: CentralDatasetOptions

    func run() throws {
        let path = try options.path()
        let key = CoordinatorPrivateKey()
        do {
            _ = try CentralStore.initialize(
                path: path,
                encryptionKey: SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
        } catch {
            throw failing(error)
        }
        print("Created the central dataset \(path)")
        print("Coordinator public key (give it to devices: terep bundle create --to KEY):")
        print(key.publicKey.text)
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
            let central = try CentralStore.open(path: try options.path())
            let device = try central.registerDevice(
                DeviceID(deviceID), publicKey: publicKey.rawRepresentation, method: .explicit, note: note)
            print("Registered device \(device.id) (key \(publicKey.fingerprint), \(device.method.rawValue))")
        } catch let error as StoreError {
            throw failing(error)
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
            try CentralStore.open(path: try options.path()).revokeDevice(DeviceID(deviceID))
            print("Revoked device \(deviceID)")
        } catch let error as StoreError {
            throw failing(error)
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
        let status: CentralStatus
        do {
            status = try CentralStore.open(path: try options.path(), readOnly: true).status()
        } catch let error as StoreError {
            throw failing(error)
        }
        print(format == .json ? CentralStatusReport(status).json() : CentralStatusReport(status).text())
    }
}

/// `central status` output, for text or JSON.
struct CentralStatusReport: Encodable {
    struct Device: Encodable {
        var id: String, status: String, registered: String, events: Int
        var received: String, missing: String, lastBundle: String?
    }

    var devices: [Device]
    var events: Int
    var interviews: [String: Int]
    var conflicts: Int
    var bundlesAccepted: Int
    var bundlesRejected: Int
    var lastBundle: String?

    init(_ status: CentralStatus) {
        func ranges(_ list: [ClosedRange<Int64>]) -> String {
            list.isEmpty ? "none" : list.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                .joined(separator: ",")
        }
        func describe(_ b: BundleRecord) -> String {
            "\((b.fileName as NSString).lastPathComponent) (\(b.accepted ? "accepted" : "rejected: \(b.reason ?? "?")"))"
        }
        devices = status.devices.map {
            Device(
                id: $0.device.id.rawValue, status: $0.device.status.rawValue, registered: $0.device.method.rawValue,
                events: $0.eventCount, received: ranges($0.received), missing: ranges($0.missing),
                lastBundle: $0.lastBundle.map(describe))
        }
        events = status.eventCount
        interviews = Dictionary(uniqueKeysWithValues: InterviewStatus.allCases.map { ($0.rawValue, status.interviews[$0] ?? 0) })
        conflicts = status.conflicts
        bundlesAccepted = status.bundlesAccepted
        bundlesRejected = status.bundlesRejected
        lastBundle = status.lastBundle.map(describe)
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    func text() -> String {
        var lines = ["Devices: \(devices.count)"]
        for d in devices {
            lines.append("  \(d.id) [\(d.status), \(d.registered)] events \(d.events); received \(d.received); missing \(d.missing)")
            if let last = d.lastBundle { lines.append("      last bundle \(last)") }
        }
        lines.append("Events: \(events)")
        lines.append("Interviews: " + InterviewStatus.allCases.map { "\($0.rawValue) \(interviews[$0.rawValue] ?? 0)" }.joined(separator: ", "))
        lines.append("Conflicts (interviews with events from several devices): \(conflicts)")
        lines.append("Bundles: \(bundlesAccepted) accepted, \(bundlesRejected) rejected")
        if let lastBundle { lines.append("Last bundle: \(lastBundle)") }
        return lines.joined(separator: "\n")
    }
}
