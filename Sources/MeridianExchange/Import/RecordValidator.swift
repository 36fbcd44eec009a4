import Foundation

/// Turns a raw record into an ``Experience``, collecting a diagnostic per bad field.
///
/// The checks mirror the table's CHECK constraints, so that a file fails here with a line
/// number rather than in the database with a constraint name.
struct RecordValidator {
    /// Field names of a record, in the order of a CSV header.
    static let fieldNames = [
        "country_code", "country_name", "region", "income_group", "sectors", "programme", "start_year",
        "end_year", "problem", "approach", "outcomes", "outcome_strength", "sources", "provenance", "summary",
    ]
    /// The CSV columns: the fields, with `summary` as one column per language (`summary_fr`).
    static let csvColumns = fieldNames.filter { $0 != "summary" } + Language.allCases.map { "summary_\($0.rawValue)" }
    static let optionalFields = Set(["end_year", "provenance", "summary"] + Language.allCases.map { "summary_\($0.rawValue)" })
    /// The longest summary sentence a language may have.
    static let summaryLength = 600

    let file: String
    /// Whether every record must say its provenance: the shipped catalogue's rule
    /// (``ExperienceImporter/Rules/catalogue``); a user's own import may leave it out.
    let requireProvenance: Bool
    private(set) var diagnostics: [ImportDiagnostic] = []

    init(file: String, requireProvenance: Bool = false) {
        self.file = file
        self.requireProvenance = requireProvenance
    }

    mutating func validate(_ record: RawRecord) -> Experience? {
        let before = diagnostics.count
        for name in record.fields.keys.sorted() where !Self.fieldNames.contains(name) {
            report(record, name, "unknown field; the fields are \(Self.fieldNames.joined(separator: ", "))")
        }
        let code = text(record, "country_code", maxLength: 3).map { $0.uppercased() }
        if let code, !code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) || code.count != 3 {
            report(record, "country_code", "'\(code)' is not an ISO 3166-1 alpha-3 code (three letters, such as RWA)")
        }
        let name = text(record, "country_name", maxLength: 100)
        let region = text(record, "region", maxLength: 100).flatMap { value -> Region? in
            guard let region = Region(rawValue: value) else {
                report(record, "region", "unknown region '\(value)'; one of \(Region.codes)")
                return nil
            }
            return region
        }
        let income = text(record, "income_group", maxLength: 100).flatMap { value -> IncomeGroup? in
            guard let group = IncomeGroup(rawValue: value) else {
                report(record, "income_group", "unknown income group '\(value)'; one of \(IncomeGroup.codes)")
                return nil
            }
            return group
        }
        let sectors = list(record, "sectors").flatMap { values -> [Sector]? in
            let unknown = values.filter { Sector(rawValue: $0) == nil }
            guard unknown.isEmpty else {
                report(record, "sectors", "unknown sector \(unknown.map { "'\($0)'" }.joined(separator: ", ")); one of \(Sector.codes)")
                return nil
            }
            guard values.count <= 8 else {
                report(record, "sectors", "at most 8 sectors, found \(values.count)")
                return nil
            }
            var seen: [Sector] = []
            for sector in values.compactMap(Sector.init(rawValue:)) where !seen.contains(sector) { seen.append(sector) }
            return seen
        }
        let programme = text(record, "programme", maxLength: 200)
        let start = year(record, "start_year")
        let end = year(record, "end_year")
        if let start, let end, end < start {
            report(record, "end_year", "\(end) is before start_year \(start)")
        }
        let problem = text(record, "problem", maxLength: 4000)
        let approach = text(record, "approach", maxLength: 4000)
        let outcomes = text(record, "outcomes", maxLength: 4000)
        let strength = integer(record, "outcome_strength").flatMap { value -> OutcomeStrength? in
            guard let strength = OutcomeStrength(rawValue: value) else {
                report(record, "outcome_strength", "\(value) is not 0 (none reported), 1 (reported), 2 (measured) or 3 (rigorous evaluation)")
                return nil
            }
            return strength
        }
        let sources = list(record, "sources")
        let beforeProvenance = diagnostics.count
        let provenance = text(record, "provenance", maxLength: 2000)
        if provenance == nil, requireProvenance, diagnostics.count == beforeProvenance {
            report(record, "provenance", "required in the shipped catalogue: one line saying what was checked against which source, and what is not confirmed")
        }
        let summaries = summary(record)
        guard diagnostics.count == before, let code, let name, let region, let income, let sectors, let programme,
              let start, let problem, let approach, let outcomes, let strength, let sources else { return nil }
        return Experience(
            countryCode: code, countryName: name, region: region, incomeGroup: income, sectors: sectors,
            programme: programme, startYear: start, endYear: end, problem: problem, approach: approach,
            outcomes: outcomes, outcomeStrength: strength, sources: sources, provenance: provenance,
            summaries: summaries ?? [:]
        )
    }

    mutating func report(_ record: RawRecord, _ field: String?, _ message: String) {
        diagnostics.append(ImportDiagnostic(file: file, line: record.line, field: field, message: message))
    }

    mutating func report(line: Int, _ message: String) {
        diagnostics.append(ImportDiagnostic(file: file, line: line, message: message))
    }

    /// A required (or, for optional fields, possibly absent) non-empty text, trimmed.
    private mutating func text(_ record: RawRecord, _ field: String, maxLength: Int) -> String? {
        switch record.fields[field] {
        case nil, .null?:
            if !Self.optionalFields.contains(field) { report(record, field, "required, but missing") }
            return nil
        case .text(let raw)?:
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if !Self.optionalFields.contains(field) { report(record, field, "required, but empty") }
                return nil
            }
            if value.count > maxLength {
                report(record, field, "\(value.count) characters, at most \(maxLength)")
                return nil
            }
            if value.contains(ExperienceStore.listSeparator) {
                report(record, field, "contains a control character (U+001F)")
                return nil
            }
            return value
        case .number(let number)?:
            report(record, field, "expected text, found the number \(number)")
            return nil
        case .list?:
            report(record, field, "expected text, found a list")
            return nil
        case .object?:
            report(record, field, "expected text, found an object")
            return nil
        case .other(let kind)?:
            report(record, field, "expected text, found \(kind)")
            return nil
        }
    }

    /// The optional `summary`: an object of one text per language code (en, fr, es, pt).
    private mutating func summary(_ record: RawRecord) -> [String: String]? {
        switch record.fields["summary"] {
        case nil, .null?:
            return nil
        case .object(let values)?:
            var summaries: [String: String] = [:]
            for key in values.keys.sorted() {
                guard Language(rawValue: key) != nil else {
                    report(record, "summary", "unknown language '\(key)'; the languages are \(Language.codes)")
                    continue
                }
                guard case .text(let raw) = values[key]! else {
                    report(record, "summary", "the \(key) summary must be text")
                    continue
                }
                let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if value.isEmpty { continue }
                if value.count > Self.summaryLength {
                    report(record, "summary", "the \(key) summary has \(value.count) characters, at most \(Self.summaryLength)")
                    continue
                }
                summaries[key] = value
            }
            return summaries
        default:
            report(record, "summary", "expected an object of one sentence per language, such as {\"en\": \"…\", \"fr\": \"…\"}")
            return nil
        }
    }

    /// A list: a JSON array of texts, or a text whose items are separated by `|`.
    private mutating func list(_ record: RawRecord, _ field: String) -> [String]? {
        var items: [String]
        switch record.fields[field] {
        case .list(let values)?:
            items = []
            for value in values {
                guard case .text(let item) = value else {
                    report(record, field, "every item must be text")
                    return nil
                }
                items.append(item)
            }
        case .text(let raw)?:
            items = raw.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        case nil, .null?:
            report(record, field, "required, but missing")
            return nil
        default:
            report(record, field, "expected a list (a JSON array, or items separated by | in CSV)")
            return nil
        }
        items = items.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            report(record, field, field == "sources" ? "at least one source (a URL or a citation) is required" : "at least one item is required")
            return nil
        }
        if items.contains(where: { $0.contains(ExperienceStore.listSeparator) }) {
            report(record, field, "contains a control character (U+001F)")
            return nil
        }
        return items
    }

    private mutating func integer(_ record: RawRecord, _ field: String) -> Int? {
        switch record.fields[field] {
        case .number(let number)?:
            guard number.rounded() == number, abs(number) < 1e9 else {
                report(record, field, "\(number) is not a whole number")
                return nil
            }
            return Int(number)
        case .text(let raw)?:
            let value = raw.trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                if !Self.optionalFields.contains(field) { report(record, field, "required, but empty") }
                return nil
            }
            guard let number = Int(value) else {
                report(record, field, "'\(value)' is not a whole number")
                return nil
            }
            return number
        case nil, .null?:
            if !Self.optionalFields.contains(field) { report(record, field, "required, but missing") }
            return nil
        default:
            report(record, field, "expected a whole number")
            return nil
        }
    }

    private mutating func year(_ record: RawRecord, _ field: String) -> Int? {
        guard let value = integer(record, field) else { return nil }
        guard (1900...2100).contains(value) else {
            report(record, field, "\(value) is not a year between 1900 and 2100")
            return nil
        }
        return value
    }
}
