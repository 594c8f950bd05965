import Foundation
import SurveyModel
import SurveyStore
import Testing

/// A small questionnaire with every element the interviewer shows, written to a temp folder.
enum MiniSurvey {
    static let source = """
        survey mini {
          title hu "Próba kérdőív" en "Trial questionnaire"
          version "1"
          languages hu en
          outcome outcome complete 11
          specials dk rf
        }

        answers OUTCOME {
          11 hu "Teljes" en "Complete"
          21 hu "Visszautasítás" en "Refusal"
          42 hu "Nincs 16+ lakos" en "No eligible respondent"
        }

        answers NB_PROB {
          1 hu "közbiztonság" en "safety"
          2 hu "szemét" en "litter"
          3 hu "zaj" en "noise"
          97 hu "nincs" en "none" exclusive
        }

        section A {
          title hu "A. Szűrés" en "A. Screening"
          question cluster_id text {
            preload interviewer nodk maxlength 20
            text hu "Mintavételi egység" en "Cluster"
          }
          question outcome single OUTCOME {
            interviewer optional nodk
            text hu "Látogatás eredménye" en "Visit outcome"
          }
          question hh_n16 integer 0..15 {
            text hu "Hány 16 éves vagy idősebb személy lakik itt?" en "How many people aged 16+ live here?"
          }
          end outcome 42 if hh_n16 == 0 {
            text hu "Nincs megkérdezhető személy." en "Nobody eligible."
          }
          question consent yesno {
            nodk
            text hu "Hozzájárul, hogy elkezdjük?" en "Do you agree to start?"
          }
          end outcome 21 if consent == 0
        }

        section B {
          title hu "B. Közérzet" en "B. Well-being"
          question life_sat scale 0..10 {
            text hu "Mennyire elégedett az életével?" en "How satisfied are you with your life?"
          }
          question nb_prob multiple NB_PROB {
            max 3
            text hu "Melyek a legnagyobb gondok a környékén?" en "Which are the biggest problems in your area?"
          }
          question hh_size integer 1..15 {
            text hu "Hányan élnek a háztartásban?" en "How many people live in the household?"
            error if hh_size < hh_n16
              hu "A háztartás létszáma nem lehet kisebb a 16 év felettiek számánál ({hh_n16})."
              en "Household size cannot be smaller than the number aged 16+ ({hh_n16})."
            warn if hh_size > 10 hu "Szokatlanul nagy háztartás." en "Unusually large household."
          }
          roster mem count hh_size max 15 {
            title hu "Háztartástagok" en "Household members"
            rowlabel hu "{m_name}" en "{m_name}"
            question m_name text {
              maxlength 20 pii
              text hu "Keresztneve?" en "First name?"
            }
          }
          question wish text {
            optional maxlength 30
            text hu "Mit változtatna a környékén?" en "What would you change in your area?"
          }
        }

        """

    /// Writes the questionnaire into `directory` and returns its path.
    static func write(into directory: URL) throws -> String {
        let url = directory.appendingPathComponent("mini.survey")
        try Data(source.utf8).write(to: url)
        return url.path
    }

    /// A complete interview: cluster kept, outcome skipped, one invalid and one hard-check
    /// failure corrected, a soft check confirmed with a reason, three names, no wish.
    static let completeScript = [
        "", "", "16", "2", "1", "7", "1 97", "1 3", "1", "12", "i nagycsalád", "Anna", "Béla", "Cili",
        String(repeating: "x", count: 25), "Cili", "Dóra", "Edit", "Feri", "Gábor", "Hanna", "Ili", "Jani", "Kati", "",
    ]
}

/// The real `terep interview` binary with piped input, checked through the device database.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(5)))
    struct InterviewEndToEndTests {
        @Test func scriptedInterviewStoresConfirmedAnswersOnly() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let run = try TerepProcess.run(
                ["interview", survey, "--device-db", db, "--case", "cluster_id=K042", "--seed", "7"],
                stdin: MiniSurvey.completeScript.joined(separator: "\n") + "\n")
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("Érvénytelen válasz: 0 és 15 közötti egész számot adjon meg."))
            #expect(run.stdout.contains("Hiba: A háztartás létszáma nem lehet kisebb a 16 év felettiek számánál (2)."))
            #expect(run.stdout.contains("Túl hosszú válasz: legfeljebb 20 karakter lehet (most 25)."))

            let store = try DeviceStore.open(path: db, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(record.status == .completed)
            #expect(record.outcome == 11)
            #expect(record.caseIdentifiers[VariableName("cluster_id")] == .text("K042"))
            let answers = try answered(store.events(interview: record.id))
            #expect(answers[Address("hh_n16")] == [.value(.integer(2))])
            #expect(answers[Address("hh_size")] == [.value(.integer(12))])
            #expect(answers[Address("nb_prob")] == [.value(.choices([1, 3]))])
            #expect(answers[Address("m_name", rows: [12])] == [.value(.text("Kati"))])
            #expect(answers.values.joined().allSatisfy { $0 != .value(.integer(16)) && $0 != .value(.integer(1)) })
            let kinds = try store.events(interview: record.id).map(\.kind)
            #expect(kinds.contains(.warningConfirmed("chk_hh_size_2", rows: [], reason: "nagycsalád")))
            #expect(try store.integrityCheck().isEmpty)
        }

        @Test func aTrainingInterviewIsAnnouncedAndMarkedRightAfterItsStart() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let run = try TerepProcess.run(
                ["interview", survey, "--device-db", db, "--training", "--ui-lang", "en"], stdin: "K1\n\n0\ni\n")
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("Training (test) interview: kept, but excluded from exports and reports."))
            let store = try DeviceStore.open(path: db, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(record.isTest)
            let kinds = try store.events(interview: record.id).map(\.kind)
            #expect(kinds.count >= 2 && kinds[1] == .trainingMarked(true))
            let resume = try TerepProcess.run(["interview", survey, "--device-db", db, "--resume", record.id.rawValue, "--training"])
            #expect(resume.status != 0 && resume.stderr.contains("--training applies to a new interview"))
        }

        @Test func endOfInputLeavesAResumableInterviewThatResumesOnTheSameQuestion() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let first = try TerepProcess.run(["interview", survey, "--device-db", db], stdin: "K1\n\n3\n1\n")
            #expect(first.status == 0)
            #expect(first.stdout.contains("Minden megerősített válasz mentve. Folytatás: terep interview"))
            let store = try DeviceStore.open(path: db, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(record.status == .inProgress)

            let list = try TerepProcess.run(["interview", survey, "--device-db", db, "--list"])
            #expect(list.stdout.contains(record.id.rawValue))
            let another = try TerepProcess.run(["interview", survey, "--device-db", db, "--case", "cluster_id=K9"], stdin: ".k\n")
            #expect(another.stdout.contains("Figyelem: 1 befejezetlen interjú van ezen a gépen"))
            // The list says which case each is: the one started with --case by its value.
            let listed = try TerepProcess.run(["interview", survey, "--device-db", db, "--list"]).stdout
            #expect(listed.split(separator: "\n").contains { $0.hasSuffix("  cluster_id=K9") }, "\(listed)")

            let resumed = try TerepProcess.run(
                ["interview", survey, "--device-db", db, "--resume", record.id.rawValue], stdin: "8\n.k\n")
            let firstScreen = try #require(resumed.stdout.components(separatedBy: "Válasz> ").first)
            #expect(firstScreen.contains("life_sat"), "resumed on: \(firstScreen)")
            let answers = try answered(store.events(interview: record.id))
            #expect(answers[Address("life_sat")] == [.value(.integer(8))])
            #expect(answers[Address("consent")] == [.value(.choice(1))])
        }

        /// `--list` and `--resume` without the questionnaire: the device database keeps the
        /// definition each interview was started on.
        @Test func listAndResumeWithoutTheQuestionnaireFile() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let first = try TerepProcess.run(["interview", survey, "--device-db", db], stdin: "K1\n\n3\n1\n")
            #expect(first.status == 0, "\(first.stderr)")
            let store = try DeviceStore.open(path: db, readOnly: true)
            let record = try #require(try store.interviews().first)
            // The questionnaire file is gone: the device database still has its definition.
            try FileManager.default.removeItem(atPath: survey)

            let list = try TerepProcess.run(["interview", "--device-db", db, "--list"])
            #expect(list.status == 0, "\(list.stderr)")
            let line = try #require(list.stdout.split(separator: "\n").first { $0.contains(record.id.rawValue) })
            #expect(line.split(separator: " ").contains("mini"), "the line names the questionnaire: \(line)")
            // Which case it is, as the header says it (none here: cluster_id was typed, not given
            // with --case), without the log's event count or the automatic visit fields.
            #expect(line.hasSuffix("  mini") && !line.contains("int_id="), "\(line)")
            let english = try TerepProcess.run(["interview", "--device-db", db, "--list", "--ui-lang", "en"])
            #expect(english.stdout.hasPrefix("Unfinished interviews:\n") && english.stdout.contains(record.id.rawValue))

            let resumed = try TerepProcess.run(
                ["interview", "--device-db", db, "--resume", String(record.id.rawValue.prefix(8))], stdin: "8\n.k\n")
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            let firstScreen = try #require(resumed.stdout.components(separatedBy: "Válasz> ").first)
            #expect(firstScreen.contains("life_sat"), "resumed on: \(firstScreen)")
            #expect(resumed.stdout.contains("terep interview --device-db \(db) --resume \(record.id)"), "\(resumed.stdout)")
            #expect(try answered(store.events(interview: record.id))[Address("life_sat")] == [.value(.integer(8))])

            let unknown = try TerepProcess.run(["interview", "--device-db", db, "--resume", "zzzz", "--ui-lang", "en"])
            #expect(unknown.status == 64 && unknown.stderr.contains("zzzz"), "\(unknown.stderr)")
            #expect(unknown.stderr.contains("terep interview --device-db \(db) --list"), "\(unknown.stderr)")
            // A new interview still needs its questionnaire; a database that is not there is not made.
            let training = try TerepProcess.run(["interview", "--device-db", db, "--training"])
            #expect(training.status == 64 && training.stderr.contains("A new interview needs its questionnaire file"))
            let missing = dir.appendingPathComponent("none.sqlite").path
            let none = try TerepProcess.run(["interview", "--device-db", missing, "--list"])
            #expect(none.status != 0 && none.stderr.contains(missing), "\(none.stderr)")
            #expect(!FileManager.default.fileExists(atPath: missing))
        }

        @Test func freshMachineCreatesTheDefaultDeviceDatabase() throws {
            let home = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: home)
            let run = try TerepProcess.run(
                ["interview", survey], stdin: "K1\n\n0\ni\n",
                environment: ["HOME": home.path, "USER": "kovacs.anna", "TEREP_DEVICE_DB": "", "XDG_DATA_HOME": ""])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let path = home.appendingPathComponent(".local/share/terep/device.sqlite").path
            let store = try DeviceStore.open(path: path, readOnly: true)
            #expect(store.interviewer == "kovacs.anna")
            let record = try #require(try store.interviews().first)
            #expect(record.status == .ended)
            #expect(record.outcome == 42)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }

        @Test func sigtermStopsCleanlyKeepingWhatWasConfirmed() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let terep = try InteractiveTerep(["interview", survey, "--device-db", db])
            for line in ["K1", "", "2"] {
                _ = terep.readScreen()
                terep.send(line)
            }
            _ = terep.readScreen()  // the consent question: hh_n16 is committed
            kill(terep.process.processIdentifier, SIGTERM)
            let status = terep.wait()
            #expect(status == 128 + SIGTERM)
            #expect(terep.transcript.contains("Folytatás: terep interview"))
            let store = try DeviceStore.open(path: db, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(try answered(store.events(interview: record.id))[Address("hh_n16")] == [.value(.integer(2))])
        }

        static let studies = ["wellbeing.survey", "energy.survey", "stakeholders.survey"].filter { TerepProcess.questionnaire($0) != nil }

        @Test(arguments: studies)
        func studyQuestionnaireCompletesUnderAScreenReadingInterviewer(_ name: String) throws {
            let survey = try #require(TerepProcess.questionnaire(name))
            let dir = try TerepProcess.temporaryDirectory()
            let db = dir.appendingPathComponent("device.sqlite").path
            let terep = try InteractiveTerep(["interview", survey, "--device-db", db, "--seed", "3"])
            var answerer = ScreenAnswerer()
            answerer.answerAll(terep)
            #expect(terep.wait() == 0)
            let store = try DeviceStore.open(path: db, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(record.status == .completed, "transcript tail: \(terep.transcript.suffix(1500))")
            #expect(answerer.questionsSeen > 20)
            let answers = try answered(store.events(interview: record.id))
            for (question, lines) in answerer.rejected {
                let stored = answers.filter { $0.key.variable.rawValue == question }.values.joined()
                for line in lines where !line.isEmpty {
                    #expect(!stored.contains { ScreenAnswerer.typed($0) == line }, "rejected '\(line)' at \(question) was stored")
                }
            }
            #expect(try store.integrityCheck().isEmpty)
        }

        @Test(.enabled(if: getuid() != 0, "root ignores file permissions, so a read-only database cannot be staged"))
        func readOnlyDatabaseIsReportedClearlyAndKeepsWhatWasSaved() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let dbDir = dir.appendingPathComponent("db")
            try FileManager.default.createDirectory(at: dbDir, withIntermediateDirectories: true)
            let db = dbDir.appendingPathComponent("device.sqlite").path
            _ = try TerepProcess.run(["interview", survey, "--device-db", db], stdin: "K1\n\n2\n")
            let id = try #require(try DeviceStore.open(path: db, readOnly: true).interviews().first?.id)
            let files = try FileManager.default.contentsOfDirectory(atPath: dbDir.path).map { dbDir.appendingPathComponent($0).path }
            for file in files { try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: file) }
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: dbDir.path)
            defer {
                try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dbDir.path)
                for file in files { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file) }
            }
            let run = try TerepProcess.run(["interview", survey, "--device-db", db, "--resume", id.rawValue], stdin: "1\n")
            #expect(run.status != 0)
            #expect((run.stdout + run.stderr).contains("read-only"), "stdout: \(run.stdout)\nstderr: \(run.stderr)")
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dbDir.path)
            for file in files { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file) }
            let store = try DeviceStore.open(path: db, readOnly: true)
            #expect(try store.integrityCheck().isEmpty)
            #expect(answered(try store.events(interview: id))[Address("hh_n16")] == [.value(.integer(2))])
        }

        @Test func unknownCaseVariableIsAClearError() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let run = try TerepProcess.run(
                ["interview", survey, "--device-db", dir.appendingPathComponent("d.sqlite").path, "--case", "nincs=1"])
            #expect(run.status != 0)
            #expect(run.stderr.contains("'nincs' is not a question of this questionnaire; preloaded questions: cluster_id."))
        }

        /// A code the question does not offer: the command line shows no options, so the error
        /// lists them with their labels (it said "Type one of the codes shown").
        @Test func aCaseCodeNotOfferedListsTheCodes() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let energy = try #require(TerepProcess.questionnaire("energy.survey"))
            let run = try TerepProcess.run(
                ["interview", energy, "--device-db", dir.appendingPathComponent("d.sqlite").path, "--case", "district=6"])
            #expect(run.status == 64)
            #expect(run.stderr.contains("--case district=6: “6” is not one of the codes: 1 "), "\(run.stderr)")
            #expect(!run.stderr.contains("codes shown"))
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("d.sqlite").path), "no database made for nothing")
        }
    }
}

/// The answers recorded at each address, in log order.
func answered(_ events: [InterviewEvent]) -> [Address: [Answer]] {
    var out: [Address: [Answer]] = [:]
    for event in events {
        if case .answered(let at, let answer) = event.kind { out[at, default: []].append(answer) }
    }
    return out
}
