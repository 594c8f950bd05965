import Foundation
import Testing

/// A device of an end-to-end test, made with the real binary: its id, database and public
/// signing key (the last line `terep device init` prints).
struct SimulatedDevice: Sendable {
    let name: String
    let database: String
    let key: String
}

/// The steps most end-to-end tests of the coordinator's side start with, each one command of the
/// real binary that must succeed.
extension TerepProcess {
    /// `terep device init` of device `name` with its database at `database`, then `terep simulate`
    /// of `interviews` interviews of `survey` (none when 0).
    static func simulatedDevice(
        _ name: String, database: String, interviewer: String, survey: String, interviews: Int, seed: Int
    ) throws -> SimulatedDevice {
        let made = try run(["device", "init", "--device-id", name, "--interviewer", interviewer, "--device-db", database])
        try #require(made.status == 0, "\(made.stderr)")
        let key = try #require(made.stdout.split(separator: "\n").last.map(String.init))
        if interviews > 0 { try simulate(database, survey: survey, interviews: interviews, seed: seed) }
        return SimulatedDevice(name: name, database: database, key: key)
    }

    /// `terep simulate` of `interviews` more interviews of `survey` on a device.
    static func simulate(_ database: String, survey: String, interviews: Int, seed: Int) throws {
        let simulated = try run(["simulate", survey, "--interviews", "\(interviews)", "--device-db", database, "--seed", "\(seed)"])
        try #require(simulated.status == 0, "\(simulated.stderr)")
    }

    /// `terep bundle create` of a device's database to `path`; the path.
    static func bundle(_ database: String, to path: String) throws -> String {
        let created = try run(["bundle", "create", "--device-db", database, "-o", path])
        try #require(created.status == 0, "\(created.stderr)")
        return path
    }

    /// `terep central init` of a new central dataset at `path`.
    static func initCentral(_ path: String) throws {
        let created = try run(["central", "init", "--central", path])
        try #require(created.status == 0, "\(created.stderr)")
    }

    /// `terep central add-device` of `device` in the central dataset at `central`.
    static func register(_ device: SimulatedDevice, central: String) throws {
        let added = try run(["central", "add-device", "--central", central, "--device-id", device.name, "--key", device.key])
        try #require(added.status == 0, "\(added.stderr)")
    }
}
