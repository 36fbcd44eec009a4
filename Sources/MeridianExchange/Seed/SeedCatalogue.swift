import Foundation

/// The catalogue of real programmes that ships with Meridian (`Resources/seed-experiences.json`;
/// provenance and the rules it was written by are in `Seed/PROVENANCE.md`).
public enum SeedCatalogue {
    /// The bundled file, importable with `meridian kb import` like any other.
    public static var url: URL {
        Bundle.module.url(forResource: "seed-experiences", withExtension: "json")!
    }

    /// The catalogue's experiences, validated like an import.
    /// - Throws: ``ExchangeError`` `.invalidData` if the bundled file has a problem (a defect).
    public static func experiences() throws -> [Experience] {
        let parsed = ExperienceImporter.parse(try Data(contentsOf: url), fileName: "seed-experiences.json", format: .json, rules: .catalogue)
        guard parsed.diagnostics.isEmpty else {
            throw ExchangeError(.invalidData, "the bundled seed catalogue is invalid", diagnostics: parsed.diagnostics)
        }
        return parsed.experiences
    }
}
