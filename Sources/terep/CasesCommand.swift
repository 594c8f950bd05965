import ArgumentParser
import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import TerminalInterviewer

/// `terep cases`: the fieldworker's case list.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "List this device's cases: status, last visit and what to do next.",
        discussion: """
            The cases are those of the newest package received (terep device receive). Status: new, \
            visited N times, appointment, in progress, completed, rejected — to fix, final (and moved \
            or withdrawn for cases taken from the device). Start or continue one with terep interview \
            --case CASE. --format json prints one object per case for scripts. See docs/interviewer.md.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var database: DeviceDatabaseOptions

    @ArgumentParser.Option(help: "text or json (default: text).")
    var format: Format = .text

    @ArgumentParser.Option(name: .customLong("ui-lang"), help: "The table's language: hu or en (default: hu).")
    var uiLanguage: String?

    func validate() throws {
        if let uiLanguage, UILanguage(rawValue: uiLanguage) == nil {
            throw ValidationError("--ui-lang must be hu or en, not '\(uiLanguage)'.")
        }
    }

    func run() throws {
        let store = try DeviceStore.open(path: database.path, readOnly: true)
        let entries = try CaseList.load(store: store)
        switch format {
        case .json: print(try CaseListJSON.encode(entries))
        case .text:
            let strings = UIStrings(uiLanguage.flatMap(UILanguage.init(rawValue:)) ?? .hu)
            for line in CaseListView.lines(entries, strings: strings) { print(line) }
        }
    }
}
