import Foundation
import Testing

extension TerepProcess {
    /// The usual start of an end-to-end test of the coordinator's commands, with the real
    /// binary: device `lap-1` (interviewer I1) simulates `interviews` interviews of `survey`,
    /// bundles them, and a new central dataset in `dir` registers it and merges the bundle.
    /// The central dataset's path and `terep merge`'s result.
    static func mergedCentral(in dir: URL, survey: String, interviews: Int, seed: Int) throws -> (central: String, merge: Result) {
        let device = dir.appendingPathComponent("d1.sqlite").path
        let made = try run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device])
        try #require(made.status == 0, "\(made.stderr)")
        let key = try #require(made.stdout.split(separator: "\n").last.map(String.init))
        let simulated = try run(["simulate", survey, "--interviews", "\(interviews)", "--device-db", device, "--seed", "\(seed)"])
        try #require(simulated.status == 0, "\(simulated.stderr)")
        let bundle = dir.appendingPathComponent("b.terepbundle").path
        let bundled = try run(["bundle", "create", "--device-db", device, "-o", bundle])
        try #require(bundled.status == 0, "\(bundled.stderr)")
        let central = dir.appendingPathComponent("central.sqlite").path
        let created = try run(["central", "init", "--central", central])
        try #require(created.status == 0, "\(created.stderr)")
        let added = try run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key])
        try #require(added.status == 0, "\(added.stderr)")
        return (central, try run(["merge", "--central", central, bundle]))
    }
}
