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

extension VisitPlan {
    /// Reads a plan file (JSON); see ``VisitPlan`` for its fields.
    public static func decode(_ data: Data, file: String) throws -> VisitPlan {
        try FileDecoding.decode(VisitPlan.self, data, file: file, help: "`meridian exchange plan import --help`")
    }
}

extension ResultsReport {
    /// Reads a results report file (JSON); see ``ResultsReport`` for its fields.
    public static func decode(_ data: Data, file: String) throws -> ResultsReport {
        try FileDecoding.decode(ResultsReport.self, data, file: file, help: "`meridian exchange report submit --help`")
    }
}
