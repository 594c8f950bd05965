import Foundation
@_spi(Benchmark) import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import TestSupportFixtures

/// Compile time of the synthetic 1,000- and 10,000-question forms, with the growth ratio,
/// beside a baseline measured in the same run: JSONDecoder reading the compiled output of the
/// same form (the least any consumer of the compiled file pays).
enum CompileBenchmark {
    static func run() throws {
        var rows: [(name: String, compile: Double, decode: Double, bytes: Int)] = []
        for (name, spec) in [("1k", SyntheticSurvey.standard), ("10k", SyntheticSurvey.tenTimes)] {
            let source = SourceFile(path: "synthetic-\(name).survey", text: spec.source())
            var compiled: CompiledSurvey? = nil
            // The previous run's result is released before the clock starts (it is the
            // caller's data; freeing a 10k form's definition takes tens of milliseconds).
            let compileTime = median(
                runs: name == "1k" ? 9 : 5, before: { compiled = nil },
                body: {
                    let result = compile(source, loader: InMemoryLoader())
                    precondition(!result.hasErrors, "synthetic form must compile")
                    compiled = result.compiled
                })
            guard let compiled else { continue }
            let data = try compiled.fileData()
            let decodeTime = median(runs: name == "1k" ? 9 : 5) {
                _ = try? JSONDecoder().decode(CompiledSurvey.self, from: data)
            }
            let hashTime = median(runs: 5) { _ = try? SurveyHasher.hash(compiled.definition) }
            let fileTime = median(runs: 5) { _ = try? compiled.fileData() }
            let encoderTime = median(runs: 5) { _ = try? SurveyDefinition.canonicalEncoder(pretty: true).encode(compiled) }
            print(
                String(
                    format:
                        "  the compiled file (%d KB, pretty-printed): fast writer + indentation %.1f ms; baseline JSONEncoder .prettyPrinted %.1f ms (%.1fx)",
                    data.count / 1024, fileTime * 1000, encoderTime * 1000, encoderTime / fileTime))
            print(
                String(
                    format: "  of which hashing (canonical JSON encode + SHA-256): %.1f ms; compiled file %d KB",
                    hashTime * 1000, data.count / 1024))
            rows.append((name, compileTime, decodeTime, source.bytes.count))
            print(
                String(
                    format: "compile %@ questions (%d KB source): %8.1f ms   baseline JSONDecoder of the compiled file: %8.1f ms   (%.2fx)",
                    name, source.bytes.count / 1024, compileTime * 1000, decodeTime * 1000, compileTime / decodeTime))
        }
        if rows.count == 2 {
            print(
                String(
                    format: "growth 1k → 10k: compile %.1fx, baseline %.1fx (10x input; near-linear means ≈10x)",
                    rows[1].compile / rows[0].compile, rows[1].decode / rows[0].decode))
            print(String(format: "target: 1,000 questions under 100 ms — %@", rows[0].compile < 0.1 ? "met" : "NOT met"))
        }
    }

    /// Per-phase compile time of the 1k and 10k forms (median of 7 / 5 runs after a warm-up),
    /// with each phase's growth for 10x the input, to find a phase that grows faster than linear.
    static func runPhases() throws {
        var medians: [String: [Double]] = [:]
        var order: [String] = []
        for (name, spec) in [("1k", SyntheticSurvey.standard), ("10k", SyntheticSurvey.tenTimes)] {
            let source = SourceFile(path: "synthetic-\(name).survey", text: spec.source())
            _ = CompilePhases.measure(source, loader: InMemoryLoader())
            var samples: [String: [Double]] = [:]
            for _ in 0..<(name == "1k" ? 7 : 5) {
                for (phase, seconds) in CompilePhases.measure(source, loader: InMemoryLoader()) {
                    if samples[phase] == nil, !order.contains(phase) { order.append(phase) }
                    samples[phase, default: []].append(seconds)
                }
            }
            for (phase, s) in samples { medians[phase, default: []].append(s.sorted()[s.count / 2]) }
        }
        print("phase                      1k (ms)   10k (ms)   growth")
        var totals = (0.0, 0.0)
        for phase in order {
            guard let m = medians[phase], m.count == 2 else { continue }
            totals.0 += m[0]
            totals.1 += m[1]
            print(
                phase.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: " %9.2f %10.2f %7.1fx", m[0] * 1000, m[1] * 1000, m[1] / m[0]))
        }
        print(
            "sum".padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(
                    format: " %9.2f %10.2f %7.1fx  (lex counted twice: once alone, once in parse)", totals.0 * 1000, totals.1 * 1000,
                    totals.1 / totals.0))
    }

    /// The median wall time of `runs` executions, in seconds, after one warm-up; `before` runs
    /// ahead of each timed execution, off the clock.
    static func median(runs: Int, before: () -> Void = {}, body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<runs {
            before()
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }
}
