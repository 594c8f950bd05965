// Stable JSON forms for the definition's enums:
//   Node:         {"group":{…}} | {"question":{…}} | {"end":{…}}
//   GroupKind:    {"section":true} | {"grid":true} | {"roster":{…}}
//   QuestionKind: {"type":"single","choice":{…}} | {"type":"multiple","choice":{…},"min":1,"max":3}
//                 {"type":"integer","min":E,"max":E} | {"type":"decimal","min":E,"max":E,"places":1}
//                 {"type":"text","maxLength":200,"pattern":"…"} | {"type":"date","min":E,"max":E}
//                 {"type":"time"} | {"type":"scale","min":0,"max":10,"labels":"SAT10"}
//                 {"type":"note"} | {"type":"calculated","expr":E,"valueType":"integer"}

private enum NodeKey: String, CodingKey { case group, question, end }

extension Node: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: NodeKey.self)
        if let g = try c.decodeIfPresent(Group.self, forKey: .group) {
            self = .group(g)
        } else if let q = try c.decodeIfPresent(Question.self, forKey: .question) {
            self = .question(q)
        } else if let e = try c.decodeIfPresent(EndRule.self, forKey: .end) {
            self = .end(e)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown node"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NodeKey.self)
        switch self {
        case .group(let g): try c.encode(g, forKey: .group)
        case .question(let q): try c.encode(q, forKey: .question)
        case .end(let e): try c.encode(e, forKey: .end)
        }
    }
}

private enum GroupKindKey: String, CodingKey { case section, grid, roster }

extension GroupKind: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: GroupKindKey.self)
        if let r = try c.decodeIfPresent(RosterSpec.self, forKey: .roster) {
            self = .roster(r)
        } else if c.contains(.grid) {
            self = .grid
        } else if c.contains(.section) {
            self = .section
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown group kind"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: GroupKindKey.self)
        switch self {
        case .section: try c.encode(true, forKey: .section)
        case .grid: try c.encode(true, forKey: .grid)
        case .roster(let r): try c.encode(r, forKey: .roster)
        }
    }
}

private enum KindKey: String, CodingKey {
    case type, choice, min, max, places, maxLength, pattern, labels, expr, valueType
}

extension QuestionKind: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: KindKey.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "single": self = .singleChoice(try c.decode(ChoiceSpec.self, forKey: .choice))
        case "multiple":
            self = .multipleChoice(
                try c.decode(ChoiceSpec.self, forKey: .choice),
                min: try c.decodeIfPresent(Int.self, forKey: .min), max: try c.decodeIfPresent(Int.self, forKey: .max))
        case "integer":
            self = .integer(
                min: try c.decodeIfPresent(Expr.self, forKey: .min), max: try c.decodeIfPresent(Expr.self, forKey: .max))
        case "decimal":
            self = .decimal(
                min: try c.decodeIfPresent(Expr.self, forKey: .min), max: try c.decodeIfPresent(Expr.self, forKey: .max),
                places: try c.decode(Int.self, forKey: .places))
        case "text":
            self = .text(
                maxLength: try c.decode(Int.self, forKey: .maxLength),
                pattern: try c.decodeIfPresent(String.self, forKey: .pattern))
        case "date":
            self = .date(
                min: try c.decodeIfPresent(Expr.self, forKey: .min), max: try c.decodeIfPresent(Expr.self, forKey: .max))
        case "time": self = .time
        case "datetime":
            self = .datetime(
                min: try c.decodeIfPresent(Expr.self, forKey: .min), max: try c.decodeIfPresent(Expr.self, forKey: .max))
        case "scale":
            self = .scale(
                min: try c.decode(Int.self, forKey: .min), max: try c.decode(Int.self, forKey: .max),
                labels: try c.decodeIfPresent(AnswerSetID.self, forKey: .labels))
        case "note": self = .note
        case "calculated":
            self = .calculated(try c.decode(Expr.self, forKey: .expr), try c.decode(ValueType.self, forKey: .valueType))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown question type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: KindKey.self)
        switch self {
        case .singleChoice(let spec):
            try c.encode("single", forKey: .type)
            try c.encode(spec, forKey: .choice)
        case .multipleChoice(let spec, let min, let max):
            try c.encode("multiple", forKey: .type)
            try c.encode(spec, forKey: .choice)
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
        case .integer(let min, let max):
            try c.encode("integer", forKey: .type)
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
        case .decimal(let min, let max, let places):
            try c.encode("decimal", forKey: .type)
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
            try c.encode(places, forKey: .places)
        case .text(let maxLength, let pattern):
            try c.encode("text", forKey: .type)
            try c.encode(maxLength, forKey: .maxLength)
            try c.encodeIfPresent(pattern, forKey: .pattern)
        case .date(let min, let max):
            try c.encode("date", forKey: .type)
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
        case .time: try c.encode("time", forKey: .type)
        case .datetime(let min, let max):
            try c.encode("datetime", forKey: .type)
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
        case .scale(let min, let max, let labels):
            try c.encode("scale", forKey: .type)
            try c.encode(min, forKey: .min)
            try c.encode(max, forKey: .max)
            try c.encodeIfPresent(labels, forKey: .labels)
        case .note: try c.encode("note", forKey: .type)
        case .calculated(let expr, let type):
            try c.encode("calculated", forKey: .type)
            try c.encode(expr, forKey: .expr)
            try c.encode(type, forKey: .valueType)
        }
    }
}
