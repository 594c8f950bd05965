// Compact, stable JSON forms for values and answers:
//   {"int":5} {"dec":1.5} {"text":"…"} {"bool":true} {"date":"2024-01-31"} {"time":"13:05"}
//   {"datetime":"2026-11-26T14:05:00"}
//   {"code":3} {"codes":[1,4]}      and for answers additionally {"special":"dk"}

private enum ValueKey: String, CodingKey, CaseIterable {
    case int, dec, text, bool, date, time, datetime, code, codes, special
}

extension Value: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ValueKey.self)
        guard let key = c.allKeys.first, c.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a value has exactly one key"))
        }
        switch key {
        case .int: self = .integer(try c.decode(Int.self, forKey: key))
        case .dec: self = .decimal(try c.decode(Double.self, forKey: key))
        case .text: self = .text(try c.decode(String.self, forKey: key))
        case .bool: self = .boolean(try c.decode(Bool.self, forKey: key))
        case .date: self = .date(try c.decode(LocalDate.self, forKey: key))
        case .time: self = .time(try c.decode(TimeOfDay.self, forKey: key))
        case .datetime: self = .datetime(try c.decode(LocalDateTime.self, forKey: key))
        case .code: self = .choice(try c.decode(Int.self, forKey: key))
        case .codes: self = .choices(normalizing: try c.decode([Int].self, forKey: key))
        case .special:
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "a special answer is not a value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ValueKey.self)
        switch self {
        case .integer(let v): try c.encode(v, forKey: .int)
        case .decimal(let v): try c.encode(v, forKey: .dec)
        case .text(let v): try c.encode(v, forKey: .text)
        case .boolean(let v): try c.encode(v, forKey: .bool)
        case .date(let v): try c.encode(v, forKey: .date)
        case .time(let v): try c.encode(v, forKey: .time)
        case .datetime(let v): try c.encode(v, forKey: .datetime)
        case .choice(let v): try c.encode(v, forKey: .code)
        case .choices(let v): try c.encode(v, forKey: .codes)
        }
    }
}

extension Answer: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ValueKey.self)
        if let special = try c.decodeIfPresent(SpecialAnswer.self, forKey: .special) {
            self = .special(special)
        } else {
            self = .value(try Value(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let v): try v.encode(to: encoder)
        case .special(let s):
            var c = encoder.container(keyedBy: ValueKey.self)
            try c.encode(s, forKey: .special)
        }
    }
}
