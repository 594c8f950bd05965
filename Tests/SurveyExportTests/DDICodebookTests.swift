import Foundation
import SurveyModel
import Testing

import enum SurveyTestSupport.DDISchema

@testable import SurveyExport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The DDI-Codebook 2.5 export checked against the structure of the DDI 2.5 schema: every
/// element is one the schema allows under its parent, children come in the schema's order,
/// required children are there, and every reference (`files`, `var`) points at an ID.
struct DDICodebookTests {
    /// The child elements DDI-Codebook 2.5 (codebook.xsd) allows, in the order its sequences
    /// require, for every element the export writes (those with text only have none).
    static let order: [String: [String]] = [
        "codeBook": ["docDscr", "stdyDscr", "fileDscr", "dataDscr", "otherMat"],
        "docDscr": ["citation", "guide", "docStatus", "docSrc", "controlledVocabUsed", "notes"],
        "stdyDscr": ["citation", "studyAuthorization", "stdyInfo", "studyDevelopment", "method", "dataAccs", "othrStdyMat", "notes"],
        "citation": ["titlStmt", "rspStmt", "prodStmt", "distStmt", "serStmt", "verStmt", "biblCit", "holdings", "notes"],
        "titlStmt": ["titl", "subTitl", "altTitl", "parTitl", "IDNo"],
        "prodStmt": ["producer", "copyright", "prodDate", "prodPlac", "software", "fundAg", "grantNo"],
        "verStmt": ["version", "verResp", "notes"],
        "stdyInfo": ["studyBudget", "subject", "abstract", "sumDscr", "qualityStatement", "notes", "exPostEvaluation"],
        "sumDscr": [
            "timePrd", "collDate", "nation", "geogCover", "geogUnit", "geoBndBox", "boundPoly", "anlyUnit", "universe", "dataKind",
        ],
        "method": ["dataColl", "notes", "anlyInfo", "stdyClas", "dataProcessing", "codingInstructions"],
        "dataColl": [
            "timeMeth", "dataCollector", "collectorTraining", "frequenc", "sampProc", "sampleFrame", "targetSampleSize", "deviat",
            "collMode", "resInstru", "instrumentDevelopment", "sources", "collSitu", "actMin", "ConOps", "weight", "cleanOps",
        ],
        "fileDscr": ["fileTxt", "locMap", "notes"],
        "fileTxt": [
            "fileName", "fileCitation", "fileCont", "fileStrc", "dimensns", "fileType", "format", "filePlac", "dataChck", "ProcStat",
            "dataMsng", "software", "verStmt",
        ],
        "dimensns": ["caseQnty", "varQnty", "logRecL", "recPrCas", "recNumTot"],
        "dataDscr": ["varGrp", "nCubeGrp", "var", "nCube", "notes"],
        "varGrp": ["labl", "txt", "concept", "defntn", "universe", "notes"],
        "var": [
            "location", "labl", "imputation", "security", "embargo", "respUnit", "anlysUnit", "qstn", "valrng", "invalrng", "undocCod",
            "universe", "TotlResp", "sumStat", "txt", "stdCatgry", "catgryGrp", "catgry", "codInstr", "verStmt", "concept", "derivation",
            "varFormat", "geoMap", "catLevel", "notes",
        ],
        "valrng": ["item", "range", "key", "notes"],
        "catgry": ["catValu", "labl", "txt", "catStat", "mrow"],
    ]
    /// Children a schema sequence requires (minOccurs 1).
    static let required: [String: [String]] = [
        "codeBook": ["stdyDscr"], "stdyDscr": ["citation"], "citation": ["titlStmt"], "titlStmt": ["titl"],
    ]
    /// `qstn` is a choice of these, in any order.
    static let qstnChildren: Set<String> = ["preQTxt", "qstnLit", "postQTxt", "forward", "backward", "ivuInstr"]
    /// Elements of text only.
    static let leaves: Set<String> = [
        "titl", "IDNo", "prodDate", "software", "version", "notes", "anlyUnit", "collMode", "cleanOps", "fileName", "fileCont",
        "caseQnty", "varQnty", "fileType", "labl", "qstnLit", "ivuInstr", "range", "universe", "sumStat", "catValu", "catStat",
        "varFormat",
    ]

    final class Tree: NSObject, XMLParserDelegate {
        final class Node {
            let name: String
            let attributes: [String: String]
            var children: [Node] = []
            var text = ""
            init(_ name: String, _ attributes: [String: String]) { (self.name, self.attributes) = (name, attributes) }
        }
        var stack: [Node] = []
        var root: Node?
        func parser(
            _ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]
        ) {
            let node = Node(e, a)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
        }
        func parser(_ p: XMLParser, foundCharacters s: String) { stack.last?.text += s }
        func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }
    }

    static func parse(_ xml: String) throws -> Tree.Node {
        let parser = XMLParser(data: Data(xml.utf8))
        let tree = Tree()
        parser.delegate = tree
        #expect(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return try #require(tree.root)
    }

    /// Problems with `node` and everything under it against the schema's structure.
    static func problems(_ node: Tree.Node, path: String = "") -> [String] {
        let here = path + "/" + node.name
        var out: [String] = []
        let names = node.children.map(\.name)
        if node.name == "qstn" {
            out += names.filter { !qstnChildren.contains($0) }.map { "\(here): \($0) is not allowed" }
        } else if let allowed = order[node.name] {
            var last = -1
            for name in names {
                guard let i = allowed.firstIndex(of: name) else {
                    out.append("\(here): \(name) is not allowed")
                    continue
                }
                if i < last { out.append("\(here): \(name) comes after \(allowed[last])") }
                last = Swift.max(last, i)
            }
        } else if !leaves.contains(node.name) {
            out.append("\(here): an element the test does not know")
        } else if !names.isEmpty {
            out.append("\(here): text element with children \(names)")
        }
        for r in required[node.name] ?? [] where !names.contains(r) { out.append("\(here): \(r) is missing") }
        return out + node.children.flatMap { problems($0, path: here) }
    }

    static func all(_ node: Tree.Node) -> [Tree.Node] { [node] + node.children.flatMap(all) }

    /// The fixture's schema and its DDI, with the frequencies of its rows.
    static func fixtureDDI() throws -> (ExportSchema, String) {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(identifiers: Fixture.pseudonyms))
        var freq = Frequencies()
        let rows = try Fixture.rows(schema)
        for (t, table) in schema.tables.enumerated() { for r in rows[t] { freq.add(r, of: table) } }
        return (schema, DDICodebook(schema: schema, definition: Fixture.definition, frequencies: freq).xml())
    }

    @Test func theDDIFollowsTheSchemaAndItsReferencesResolve() throws {
        let (schema, xml) = try Self.fixtureDDI()
        let root = try Self.parse(xml)
        #expect(root.name == "codeBook" && root.attributes["version"] == "2.5" && root.attributes["xmlns"] == "ddi:codebook:2_5")
        #expect(Self.problems(root) == [])
        let nodes = Self.all(root)
        let ids = Set(nodes.compactMap { $0.attributes["ID"] })
        for node in nodes {
            for key in ["files", "var"] {
                for id in node.attributes[key]?.split(separator: " ") ?? [] {
                    #expect(ids.contains(String(id)), "\(node.name) \(key)=\(id)")
                }
            }
        }
        let vars = nodes.filter { $0.name == "var" }
        #expect(vars.count == schema.tables.reduce(0) { $0 + $1.variables.count })
        let life = try #require(vars.first { $0.attributes["name"] == "life_sat" })
        #expect(life.children.first { $0.name == "qstn" }?.children.first?.text == "Mennyire elégedett az életével?")
        let categories = life.children.filter { $0.name == "catgry" }
        #expect(categories.map { $0.children.first?.text } == ["0", "10", "-7", "-8", "-9"])
        #expect(categories.filter { $0.attributes["missing"] == "Y" }.count == 3)
        #expect(categories[3].children.first { $0.name == "catStat" }?.text == "1", "one don't know")
        #expect(
            life.children.contains {
                $0.name == "notes" && $0.attributes["subject"] == "best end"
                    && $0.text.contains("10 (Teljes mértékben elégedett), the high end")
            })
        let floor = try #require(vars.first { $0.attributes["name"] == "floor_m2" })
        #expect(floor.children.first { $0.name == "universe" }?.text == "tenure_yrs > 1")
        let group = try #require(nodes.first { $0.name == "varGrp" })
        #expect(group.attributes["type"] == "multipleResp" && group.attributes["var"]?.split(separator: " ").count == 3)
        #expect(!xml.contains("Kovács") && !xml.contains("int07"), "no personal data")
    }

    /// The DDI Alliance's own schema, with a real validator (xmllint): the fixture's DDI is valid,
    /// and a file with a misplaced element is not (so the check can fail).
    @Test(.disabled(if: DDISchema.turnedOff, DDISchema.offReason))
    func theDDIIsValidAgainstTheDDIAllianceSchema() throws {
        let (_, xml) = try Self.fixtureDDI()
        let dir = try Fixture.temporaryDirectory()
        let file = dir.appendingPathComponent("fixture_ddi.xml")
        try Data(xml.utf8).write(to: file)
        #expect(try DDISchema.problems(file) == "")

        let broken = dir.appendingPathComponent("broken_ddi.xml")
        try Data(xml.replacingOccurrences(of: "<stdyDscr>", with: "<stdyDscr><bogus/>").utf8).write(to: broken)
        #expect(try DDISchema.problems(broken).contains("bogus"))
    }

    @Test func theStructureCheckFindsMisplacedElements() throws {
        let root = try Self.parse(
            "<codeBook><dataDscr/><stdyDscr><citation><titlStmt><titl>x</titl></titlStmt></citation></stdyDscr><bogus/></codeBook>")
        #expect(
            Self.problems(root) == [
                "/codeBook: stdyDscr comes after dataDscr", "/codeBook: bogus is not allowed",
                "/codeBook/bogus: an element the test does not know",
            ])
    }
}
