import Foundation
import Testing

extension TerepProcess {
    /// The usual start of an end-to-end test of the coordinator's commands, with the real
    /// binary: device `lap-1` (interviewer I1) simulates `interviews` interviews of `survey`,
    /// bundles them, and a new central dataset in `dir` registers it and merges the bundle.
    /// The central dataset's path and `terep merge`'s result.
    static func mergedCentral(in dir: URL, survey: String, interviews: Int, seed: Int) throws -> (central: String, merge: Result) {
        let device = try simulatedDevice(
            "lap-1", database: dir.appendingPathComponent("d1.sqlite").path, interviewer: "I1", survey: survey,
            interviews: interviews, seed: seed)
        let bundle = try self.bundle(device.database, to: dir.appendingPathComponent("b.terepbundle").path)
        let central = dir.appendingPathComponent("central.sqlite").path
        try initCentral(central)
        try register(device, central: central)
        return (central, try run(["merge", "--central", central, bundle]))
    }
}
