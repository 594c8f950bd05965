import Foundation
import SurveyModel
import SurveyStore
import Testing

/// How a write is made to fail in the middle of an interview.
enum DiskLimit: String, CaseIterable, CustomTestStringConvertible {
    /// A file size limit (`ulimit -f`) just above the database: SQLite gets an I/O error.
    case fileSizeLimit
    /// The database on a tiny tmpfs in a private mount namespace: a real ENOSPC, SQLITE_FULL.
    case fullFilesystem

    var testDescription: String { rawValue }

    /// Whether this machine can stage it (`unshare` needs user namespaces).
    var available: Bool {
        switch self {
        case .fileSizeLimit: true
        case .fullFilesystem: (try? Shell.run(["unshare", "-r", "-m", "true"]).status) == 0
        }
    }
}

/// Runs a command with piped input (for the staged runs that go through a shell).
enum Shell {
    static func run(_ arguments: [String], stdin: String = "") throws -> TerepProcess.Result {
        try TerepProcess.run(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments, stdin: stdin)
    }
}

/// A full disk in the middle of a real `terep interview`: a clear message, a non-zero exit,
/// an intact database with every confirmed answer, and an interview that resumes.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(5)))
    struct FullDiskTests {
        /// After the first run (cluster, outcome skipped, hh_n16 2, consent yes), in order.
        static let rest: [(Address, Answer, String)] =
            [
                (Address("life_sat"), .value(.integer(7)), "7"), (Address("nb_prob"), .value(.choices([1, 3])), "1 3"),
                (Address("hh_size"), .value(.integer(9)), "9"),
            ] + (1...9).map { (Address("m_name", rows: [$0]), .value(.text("N\($0)")), "N\($0)") }

        @Test(arguments: DiskLimit.allCases.filter(\.available))
        func aFullDiskMidInterviewIsReportedKeepsEverythingConfirmedAndResumes(_ limit: DiskLimit) throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let first = try TerepProcess.run(["interview", survey, "--device-db", db], stdin: "K1\n\n2\n1\n")
            #expect(first.status == 0, "stderr: \(first.stderr)")
            let id = try #require(try DeviceStore.open(path: db).interviews().first?.id)

            let script = Self.rest.map(\.2).joined(separator: "\n") + "\n\n"
            let full = try runOnFullDisk(
                limit, terep: TerepProcess.requireBinary().path, survey: survey, db: db, dir: dir,
                id: id, stdin: script)
            #expect(full.status == 74, "stdout: \(full.stdout)\nstderr: \(full.stderr)")
            #expect(full.stdout.contains("MENTÉSI HIBA: "))
            #expect(full.stdout.contains("Az utolsó válasz NEM került mentésre; a korábbi válaszok biztonságban vannak."))
            #expect(full.stdout.contains("Szabadítson fel helyet a lemezen"))
            #expect(full.stdout.contains("Minden megerősített válasz mentve. Folytatás: terep interview"))
            if limit == .fullFilesystem { #expect(full.stdout.contains("MENTÉSI HIBA: megtelt a lemez.")) }

            // Intact, and what was confirmed before the failure is a proper prefix of the script.
            let store = try DeviceStore.open(path: db)
            #expect(try store.integrityCheck().isEmpty)
            let saved = try answered(store.events(interview: id))
            #expect(saved[Address("hh_n16")] == [.value(.integer(2))])
            #expect(saved[Address("consent")] == [.value(.choice(1))])
            let kept = Self.rest.prefix { saved[$0.0] == [$0.1] }.count
            #expect(kept >= 1 && kept < Self.rest.count, "the write should fail mid-interview; kept \(kept)")
            #expect(Self.rest.dropFirst(kept).allSatisfy { saved[$0.0] == nil })

            // With the space back, the interview resumes and completes without re-asking anything saved.
            let resumeScript = ([".e"] + Self.rest.dropFirst(kept).map(\.2) + [""]).joined(separator: "\n") + "\n"
            let resumed = try TerepProcess.run(
                ["interview", survey, "--device-db", db, "--resume", id.rawValue], stdin: resumeScript)
            #expect(resumed.status == 0, "stdout: \(resumed.stdout)")
            let record = try #require(try store.interview(id: id))
            #expect(record.status == .completed)
            let final = try answered(store.events(interview: id))
            for (address, answer, _) in Self.rest { #expect(final[address] == [answer], "\(address)") }
            #expect(try store.integrityCheck().isEmpty)
        }

        /// Resumes the interview with writes capped just above the database's current size.
        private func runOnFullDisk(
            _ limit: DiskLimit, terep: String, survey: String, db: String, dir: URL, id: InterviewID, stdin: String
        ) throws -> TerepProcess.Result {
            let size = (try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
            let headroomKB = 48
            switch limit {
            case .fileSizeLimit:
                // SIGXFSZ ignored, so an over-limit write fails with EFBIG instead of killing terep.
                let kb = size / 1024 + headroomKB
                return try Shell.run(
                    [
                        "bash", "-c", "trap '' XFSZ; ulimit -f \(kb); exec \"$0\" \"$@\"", terep, "interview", survey,
                        "--device-db", db, "--resume", id.rawValue,
                    ], stdin: stdin)
            case .fullFilesystem:
                // The database is copied onto a tmpfs with little room left, then copied back.
                let mount = dir.appendingPathComponent("tiny").path
                try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
                let kb = size / 1024 + 32 + headroomKB  // + the 32 KB shared-memory index
                let script = """
                    mount -t tmpfs -o size=\(kb)k tmpfs "$1" && cp "$2" "$1/device.sqlite" || exit 99
                    "$0" interview "$3" --device-db "$1/device.sqlite" --resume "$4"; rc=$?
                    rm -f "$2-wal" "$2-shm"; cp "$1"/device.sqlite* "$(dirname "$2")/"; exit $rc
                    """
                return try Shell.run(
                    ["unshare", "-r", "-m", "sh", "-c", script, terep, mount, db, survey, id.rawValue],
                    stdin: stdin)
            }
        }
    }
}
