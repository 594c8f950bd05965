// terep benchmarks. Run in release mode:
//   swift run -c release TerepBench [name…]
// Each benchmark prints its figure beside a baseline measured in the same run.

/// Every benchmark by name; add yours here (one file per benchmark in this folder).
let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("compile", CompileBenchmark.run),
    ("compile-phases", CompileBenchmark.runPhases),
    ("compile-process", CompileProcessBenchmark.run),
    ("store", StoreBenchmark.run),
    ("merge", MergeBenchmark.run),
    ("merge-postgres", PostgresMergeBenchmark.run),
    ("sync", SyncBenchmark.run),
    ("bundle-memory", BundleMemoryBenchmark.run),
    ("engine", EngineBenchmark.run),
    ("export", ExportBenchmark.run),
    ("export-versions", VersionExportBenchmark.run),
    ("fieldwork", FieldworkBenchmark.run),
    ("fieldwork-cache", CleanedCacheBenchmark.run),
    ("report-scale", CleanedCacheBenchmark.runAtScale),
    ("report", ReportBenchmark.run),
    ("interview-commit", InterviewCommitBenchmark.run),
    ("screen", ScreenBenchmark.run),
    ("server-load", ServerLoadBenchmark.run),
    ("sample-import", CasesBenchmark.runSampleImport),
    ("sample-import-postgres", PostgresSampleBenchmark.run),
    ("cases", CasesBenchmark.runCaseList),
    ("package", CasesBenchmark.runPackage),
]

let wanted = Set(CommandLine.arguments.dropFirst())
for b in benchmarks where wanted.isEmpty || wanted.contains(b.name) {
    print("== \(b.name)")
    try b.run()
}
if benchmarks.isEmpty { print("no benchmarks registered yet") }
