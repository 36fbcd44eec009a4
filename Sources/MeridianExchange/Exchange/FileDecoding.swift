import Foundation
import MeridianCodes

/// Reads the exchange's JSON files (plans, reports) with the decoder's complaint turned into
/// one clear line: `plan.json: activities[0].start: '2027-02-30' is not a date as YYYY-MM-DD`.
///
/// Beyond the types, every file is held to the rules of input before any SQL runs: at most
/// ``largestFile`` bytes, every string plain text (``InputText``: no NUL byte, no terminal
/// control character, at most ``InputText/Limit/any`` characters), and no key the type does
/// not know (a misspelt `"fund"` or `"budgets"` is named, never silently dropped).
enum FileDecoding {
    /// The largest file read (1 MiB): a plan or a report is a few kilobytes.
    static let largestFile = 1 << 20

    static func decode<Value: Codable>(_ type: Value.Type, _ data: Data, file: String, help: String) throws -> Value {
        guard data.count <= largestFile else {
            throw ExchangeError(.invalidData, "\(file): has \(data.count) bytes, at most \(largestFile)", hint: "see \(help) for the file's fields")
        }
        let value: Value
        do {
            value = try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ExchangeError(.invalidData, "\(file): \(InputText.printable(DecodingProblem.describe(error)))", hint: "see \(help) for the file's fields")
        }
        let raw = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        if let problem = textProblem(raw, path: "") {
            throw ExchangeError(.invalidData, "\(file): \(problem)", hint: "give plain text (no NUL byte, no terminal control characters)")
        }
        let known = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [.fragmentsAllowed])
        if let unknown = unknownKey(raw, known: known, path: "") {
            throw ExchangeError(.invalidData, "\(file): \(unknown) is not a field of this file", hint: "remove or correct it; see \(help) for the file's fields")
        }
        return value
    }

    private static func name(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The first string, key or value, that ``InputText`` refuses.
    static func textProblem(_ value: Any, path: String) -> String? {
        switch value {
        case let text as String:
            return InputText.problem(text, field: path.isEmpty ? "the document" : path, maximum: InputText.Limit.any)
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let problem = textProblem(element, path: "\(path)[\(index)]") { return problem }
            }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                if let problem = InputText.problem(key, field: "\(path.isEmpty ? "" : path + ": ")a key", maximum: InputText.Limit.name, multiline: false) {
                    return problem
                }
                if let problem = textProblem(object[key]!, path: name(path, key)) { return problem }
            }
        default:
            break
        }
        return nil
    }

    /// The path of the first key of `raw` that the decoded value does not carry (a key set to
    /// `null` counts as left out).
    static func unknownKey(_ raw: Any, known: Any, path: String) -> String? {
        switch (raw, known) {
        case let (raw as [String: Any], known as [String: Any]):
            for key in raw.keys.sorted() {
                guard let knownValue = known[key] else {
                    if raw[key] is NSNull { continue }
                    return "'\(name(path, key))'"
                }
                if let unknown = unknownKey(raw[key]!, known: knownValue, path: name(path, key)) { return unknown }
            }
        case let (raw as [Any], known as [Any]):
            for (index, (element, knownElement)) in zip(raw, known).enumerated() {
                if let unknown = unknownKey(element, known: knownElement, path: "\(path)[\(index)]") { return unknown }
            }
        default:
            break
        }
        return nil
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
