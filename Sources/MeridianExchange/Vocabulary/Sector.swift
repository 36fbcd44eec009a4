/// The controlled list of sectors an experience is filed under; a CHECK constraint on
/// `experiences.sectors` holds the same list, so the two must change together (in a new
/// migration).
public enum Sector: String, CaseIterable, Codable, Sendable {
    /// Cash transfers, safety nets, social assistance and insurance.
    case socialProtection = "social-protection"
    case education
    case health
    case nutrition
    /// Jobs, wages, public works, skills for work.
    case employment
    case agriculture
    /// Land titling, cadastres, tenure security.
    case landAdministration = "land-administration"
    case ruralDevelopment = "rural-development"
    /// Public administration, decentralisation, accountability.
    case governance
    case antiCorruption = "anti-corruption"
    /// E-government, digital identity, data exchange between agencies.
    case digitalGovernment = "digital-government"
    /// Police, defence and justice reform.
    case securitySector = "security-sector"
    /// Disarmament, demobilisation and reintegration (DDR) of former combatants.
    case demobilisationReintegration = "demobilisation-reintegration"
    case peacebuilding
    case financialInclusion = "financial-inclusion"
    /// Pensions, provident funds, mandatory savings.
    case pensionsSavings = "pensions-savings"
    case housing
    case gender
    case waterSanitation = "water-sanitation"
    case urbanDevelopment = "urban-development"

    /// The valid codes, for error messages.
    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
