import Foundation

/// Reads the exchange's JSON files (plans, reports) with the decoder's complaint turned into
/// one clear line: `plan.json: activities[0].start: '2027-02-30' is not a date as YYYY-MM-DD`.
enum FileDecoding {
    static func decode<Value: Decodable>(_ type: Value.Type, _ data: Data, file: String, help: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ExchangeError(.invalidData, "\(file): \(DecodingProblem.describe(error))", hint: "see \(help) for the file's fields")
        }
    }
}

extension FileDecoding {
    /// Decodes like ``decode(_:_:file:help:)`` and refuses a key the type does not know (a
    /// misspelt `"fnud"` would otherwise be dropped without a word): the value is encoded back
    /// and every key of the file that is not in it, and not `null`, is named.
    static func decodeStrictly<Value: Codable>(_ type: Value.Type, _ data: Data, file: String, help: String) throws -> Value {
        let value = try decode(type, data, file: file, help: help)
        let original = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let known = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value), options: [.fragmentsAllowed])
        if let unknown = unknownKeys(in: original, known: known, path: "").first {
            throw ExchangeError(.invalidData, "\(file): \(unknown): unknown field; it is refused rather than ignored", hint: "see \(help) for the file's fields")
        }
        return value
    }

    /// Paths of the keys of `original` that `known` lacks, in the file's order of arrays and sorted keys.
    static func unknownKeys(in original: Any, known: Any, path: String) -> [String] {
        if let object = original as? [String: Any] {
            let knownObject = known as? [String: Any] ?? [:]
            return object.keys.sorted().flatMap { key -> [String] in
                let at = path.isEmpty ? key : "\(path).\(key)"
                guard let inner = knownObject[key] else { return object[key] is NSNull ? [] : [at] }
                return unknownKeys(in: object[key]!, known: inner, path: at)
            }
        }
        if let array = original as? [Any], let knownArray = known as? [Any] {
            return zip(array, knownArray).enumerated().flatMap { index, pair in unknownKeys(in: pair.0, known: pair.1, path: "\(path)[\(index)]") }
        }
        return []
    }
}

extension VisitPlan {
    /// Reads a plan file (JSON); see ``VisitPlan`` for its fields. An unknown key is refused.
    public static func decode(_ data: Data, file: String) throws -> VisitPlan {
        try FileDecoding.decodeStrictly(VisitPlan.self, data, file: file, help: "`meridian exchange plan import --help`")
    }
}

extension ResultsReport {
    /// Reads a results report file (JSON); see ``ResultsReport`` for its fields.
    public static func decode(_ data: Data, file: String) throws -> ResultsReport {
        try FileDecoding.decode(ResultsReport.self, data, file: file, help: "`meridian exchange report submit --help`")
    }
}
