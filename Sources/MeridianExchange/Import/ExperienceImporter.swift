import Foundation
import Logging
import MeridianPostgres
import PostgresNIO

/// `kb import`: reads a CSV or JSON file of experiences, checks every record, and stores them
/// all in one transaction, or none when any record has a problem.
public enum ExperienceImporter {
    /// What a file held once parsed and validated.
    public struct Parsed: Sendable {
        public var experiences: [Experience]
        /// Every problem, in file order; empty when the file can be imported.
        public var diagnostics: [ImportDiagnostic]
    }

    /// How strict an import is. Both take the same format
    /// (`Schemas/experience-catalogue.schema.json`); only `provenance` differs.
    public enum Rules: Sendable {
        /// A user's own file: `provenance` is optional (her own programmes need not say what
        /// was checked in a session of ours), `summary` too.
        case userImport
        /// The shipped catalogue: every record must say its provenance.
        case catalogue
    }

    /// Files past this size are refused before parsing (the seed catalogue is ~60 KB).
    public static let maximumFileSize = 64 << 20

    /// Parses and validates `data` without touching the database.
    /// - Parameter fileName: how diagnostics name the file.
    public static func parse(_ data: Data, fileName: String, format: ImportFormat, rules: Rules = .userImport) -> Parsed {
        var validator = RecordValidator(file: fileName, requireProvenance: rules == .catalogue)
        var records: [RawRecord] = []
        switch format {
        case .json:
            let read = JSONRecordReader.read(data)
            records = read.records
            for problem in read.problems { validator.report(line: problem.line, problem.message) }
        case .csv:
            guard let text = String(data: data, encoding: .utf8) else {
                validator.report(line: 1, "not UTF-8 text")
                return Parsed(experiences: [], diagnostics: validator.diagnostics)
            }
            let read = CSVReader.read(text)
            for problem in read.problems { validator.report(line: problem.line, problem.message) }
            records = csvRecords(read.records, validator: &validator)
        }
        var experiences: [Experience] = []
        var firstLine: [String: Int] = [:]
        for record in records.sorted(by: { $0.line < $1.line }) {
            guard let experience = validator.validate(record) else { continue }
            let key = "\(experience.countryCode)\u{0}\(experience.programme)"
            if let earlier = firstLine[key] {
                validator.report(record, "programme", "\(experience.countryCode) '\(experience.programme)' is already on line \(earlier); each country's programme once per file")
                continue
            }
            firstLine[key] = record.line
            experiences.append(experience)
        }
        if records.isEmpty && validator.diagnostics.isEmpty {
            validator.report(line: 1, "no experiences in the file")
        }
        let diagnostics = validator.diagnostics.sorted { ($0.line, $0.field ?? "") < ($1.line, $1.field ?? "") }
        return Parsed(experiences: diagnostics.isEmpty ? experiences : [], diagnostics: diagnostics)
    }

    /// The header names the columns; each later row becomes a record keyed by them.
    private static func csvRecords(_ rows: [CSVReader.Record], validator: inout RecordValidator) -> [RawRecord] {
        guard let header = rows.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var headerIsUsable = true
        for (index, name) in names.enumerated() where names.firstIndex(of: name) != index {
            validator.report(line: header.line, "column '\(name)' appears twice in the header")
            headerIsUsable = false
        }
        for name in names where !RecordValidator.csvColumns.contains(name) {
            validator.report(line: header.line, "unknown column '\(name)'; the columns are \(RecordValidator.csvColumns.joined(separator: ", "))")
            headerIsUsable = false
        }
        let missing = RecordValidator.csvColumns.filter { !names.contains($0) && !RecordValidator.optionalFields.contains($0) }
        if !missing.isEmpty {
            validator.report(line: header.line, "the header lacks the column(s) \(missing.joined(separator: ", "))")
            headerIsUsable = false
        }
        guard headerIsUsable else { return [] }
        var records: [RawRecord] = []
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                validator.report(line: row.line, "\(row.fields.count) fields, but the header has \(names.count)")
                continue
            }
            var fields: [String: RawRecord.Value] = [:]
            var summaries: [String: RawRecord.Value] = [:]
            for (name, value) in zip(names, row.fields) {
                if name.hasPrefix("summary_") {
                    if !value.trimmingCharacters(in: .whitespaces).isEmpty { summaries[String(name.dropFirst("summary_".count))] = .text(value) }
                } else {
                    fields[name] = .text(value)
                }
            }
            if !summaries.isEmpty { fields["summary"] = .object(summaries) }
            records.append(RawRecord(line: row.line, fields: fields))
        }
        return records
    }

    /// Reads `path`, validates it and, when it has no problems, inserts or updates its
    /// experiences in one transaction.
    /// - Throws: ``ExchangeError`` `.invalidData` with every diagnostic when any record is
    ///   bad (nothing is written), `.notFound` when the file cannot be read.
    public static func importFile(
        at path: String, format: ImportFormat? = nil, client: PostgresClient, logger: Logger
    ) async throws -> ExperienceStore.WriteCount {
        guard let format = format ?? ImportFormat(fileExtensionOf: path) else {
            throw ExchangeError(.invalidArgument, "cannot tell the format of \(path) from its extension", hint: "name it .csv or .json, or pass --format csv|json")
        }
        let data = try read(path)
        let parsed = parse(data, fileName: path, format: format)
        guard parsed.diagnostics.isEmpty else {
            throw ExchangeError(
                .invalidData,
                "\(parsed.diagnostics.count) problem(s) in \(path); nothing was imported",
                hint: "fix them and import the file again",
                diagnostics: parsed.diagnostics
            )
        }
        return try await store(parsed.experiences, client: client, logger: logger)
    }

    /// Stores validated experiences in one transaction, refreshing the term statistics, then
    /// settles the matching tables (``ExperienceStore/settle(on:logger:)``) so that the next
    /// match is as fast as any later one.
    public static func store(_ experiences: [Experience], client: PostgresClient, logger: Logger) async throws -> ExperienceStore.WriteCount {
        let count = try await client.transaction(logger: logger) { connection in
            try await ExperienceStore.upsert(experiences, on: connection, logger: logger)
        }
        try await client.withConnection { connection in try await ExperienceStore.settle(on: connection, logger: logger) }
        return count
    }

    private static func read(_ path: String) throws -> Data {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ExchangeError(.notFound, "cannot read \(path): no such file", hint: "check the path")
        }
        if let size = attributes[.size] as? Int, size > maximumFileSize {
            throw ExchangeError(.invalidData, "\(path) is \(size) bytes, more than the \(maximumFileSize) an import takes", hint: "split it into smaller files")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExchangeError(.notFound, "cannot read \(path)", hint: "check that it is a readable file")
        }
        return data
    }
}
