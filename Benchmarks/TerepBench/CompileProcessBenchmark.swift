import Foundation
import TestSupportFixtures

#if canImport(Glibc)
    import Glibc
#endif

/// `TerepBench compile-process`: the whole `terep compile` process (start, read, compile, hash,
/// write the compiled file, exit) on the synthetic 1,000- and 10,000-question forms, beside
/// pyxform's `xls2xform` (`python3 -m pyxform.xls2xform`) on the equivalent XLSForm (scripts/xlsform-synthetic.py), in the same
/// run. Figures are CPU seconds (user + system, of the process and its children) and wall
/// seconds, the median of several runs each; the ratio is pyxform's CPU over terep's.
///
/// pyxform runs with `--skip_validate`: by default `xls2xform` also starts ODK Validate (a Java
/// program, when Java is installed), which more than triples its CPU time at 1,000 questions;
/// the baseline is pyxform's own conversion and checks, the same on every machine.
///
/// Needs the release `terep` beside this benchmark (`swift build -c release --product terep`),
/// and pyxform (`pip install pyxform`) with openpyxl; it stops and says so when one is missing.
/// TEREP_BENCH_COMPILE_DIR keeps the generated forms and outputs in that folder (for profiling).
enum CompileProcessBenchmark {
    struct Run {
        var cpu: Double
        var wall: Double
    }

    static func run() throws {
        let terep = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("terep").path
        guard FileManager.default.isExecutableFile(atPath: terep) else {
            throw BenchFailure("no terep beside TerepBench (\(terep)): build it with swift build -c release --product terep")
        }
        // pyxform's own interpreter, not a version manager's shim (whose start-up is not pyxform's).
        guard let shim = which("python3"), let python = try? output(shim, ["-c", "import pyxform, sys; print(sys.executable)"]) else {
            throw BenchFailure("python3 with pyxform not found: pip install pyxform")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/xlsform-synthetic.py").standardized.path
        let keep = ProcessInfo.processInfo.environment["TEREP_BENCH_COMPILE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let dir =
            keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("terep-compile-process-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let runs = Int(ProcessInfo.processInfo.environment["TEREP_BENCH_COMPILE_RUNS"] ?? "") ?? 5
        for (label, spec) in [("1,000", SyntheticSurvey.standard), ("10,000", SyntheticSurvey.tenTimes)] {
            let source = dir.appendingPathComponent("synthetic-\(spec.questions).survey")
            try spec.source().write(to: source, atomically: true, encoding: .utf8)
            let xlsx = dir.appendingPathComponent("synthetic-\(spec.questions).xlsx")
            _ = try measure(python, [script, String(spec.questions), xlsx.path])
            let compiled = dir.appendingPathComponent("synthetic-\(spec.questions).json")
            let xml = dir.appendingPathComponent("synthetic-\(spec.questions).xml")
            // Alternate the two, so a change of load hits both alike.
            var ours: [Run] = []
            var theirs: [Run] = []
            for _ in 0..<max(1, runs) {
                ours.append(try measure(terep, ["compile", source.path, "-o", compiled.path]))
                theirs.append(try measure(python, ["-m", "pyxform.xls2xform", "--skip_validate", xlsx.path, xml.path]))
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: compiled.path)[.size] as? Int) ?? 0
            let t = median(ours), p = median(theirs)
            print(
                String(
                    format:
                        "compile %@ questions, whole process: terep %.3f s CPU (%.3f s wall), compiled file %.0f kB = %.2f kB/question; "
                        + "baseline pyxform xls2xform --skip_validate %.2f s CPU (%.2f s wall): %.1f× (CPU), %.1f× (wall)",
                    label, t.cpu, t.wall, Double(size) / 1000, Double(size) / 1000 / Double(spec.questions), p.cpu, p.wall,
                    p.cpu / t.cpu, p.wall / t.wall))
        }
        print("(median of \(runs) runs each, alternated; goal ≥ 20× at both sizes)")
    }

    /// Runs a process to its end; its CPU time (user + system, with its own children) and wall time.
    static func measure(_ tool: String, _ arguments: [String]) throws -> Run {
        let before = childrenCPU()
        let start = DispatchTime.now().uptimeNanoseconds
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard process.terminationStatus == 0 else {
            throw BenchFailure(
                "\(tool) \(arguments.joined(separator: " ")) failed: \(String(decoding: message.prefix(2000), as: UTF8.self))")
        }
        return Run(cpu: childrenCPU() - before, wall: wall)
    }

    /// User + system seconds of every child process waited for so far.
    static func childrenCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func median(_ runs: [Run]) -> Run {
        let cpu = runs.map(\.cpu).sorted(), wall = runs.map(\.wall).sorted()
        return Run(cpu: cpu[cpu.count / 2], wall: wall[wall.count / 2])
    }

    /// A short command's standard output, trimmed; nil when it fails.
    static func output(_ tool: String, _ arguments: [String]) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    typealias BenchFailure = BundleMemoryBenchmark.BenchFailure
}
