import Foundation
import MeridianExchange
import MeridianService

/// The knowledge base's public reads (`kb list`, `kb show`, `kb search`), on the database or
/// through `meridian serve`: no token needed either way, so both answer alike without one.
protocol KnowledgeReads: Sendable {
    func experiences(country: String?, sector: Sector?) async throws -> [Experience]
    func experience(_ id: Int) async throws -> Experience
    func feedback(on id: Int) async throws -> [FeedbackStore.Feedback]
    func search(_ text: String, limit: Int) async throws -> [ExperienceStore.SearchHit]
    /// `weights` as `kb match --weights` takes them (NAME=NUMBER,…).
    func match(text: String, sectors: [Sector], country: String, region: Region?, incomeGroup: IncomeGroup?, language: Language?,
               weights: String?) async throws -> MatchResult
}

/// The reads on the database, through the service.
struct LocalKnowledgeReads: KnowledgeReads {
    let service: MeridianService

    func experiences(country: String?, sector: Sector?) async throws -> [Experience] {
        try await service.experiences(country: country, sector: sector, limit: KnowledgeListing.limit)
    }
    func experience(_ id: Int) async throws -> Experience { try await service.experience(id) }
    func feedback(on id: Int) async throws -> [FeedbackStore.Feedback] { try await service.feedback(on: id) }
    func search(_ text: String, limit: Int) async throws -> [ExperienceStore.SearchHit] { try await service.searchExperiences(text, limit: limit) }
    func match(text: String, sectors: [Sector], country: String, region: Region?, incomeGroup: IncomeGroup?, language: Language?,
               weights: String?) async throws -> MatchResult {
        try await service.matchExperiences(text: text, sectors: sectors, country: country, region: region, incomeGroup: incomeGroup, language: language,
                                           weights: try weights.map { try MatchingWeights.default.overridden(by: $0) } ?? .default)
    }
}

/// The reads through the API's `/experiences` routes.
struct RemoteKnowledgeReads: KnowledgeReads {
    let api: APIClient

    func experiences(country: String?, sector: Sector?) async throws -> [Experience] {
        try await api.get("experiences", query: [("country", country), ("sector", sector?.rawValue), ("limit", String(KnowledgeListing.limit))])
    }
    func experience(_ id: Int) async throws -> Experience { try await api.get("experiences/\(id)") }
    func feedback(on id: Int) async throws -> [FeedbackStore.Feedback] { try await api.get("experiences/\(id)/feedback") }
    func search(_ text: String, limit: Int) async throws -> [ExperienceStore.SearchHit] {
        try await api.get("experiences/search", query: [("q", text), ("limit", String(limit))])
    }

    private struct MatchBody: Encodable {
        var text: String; var country: String; var sectors: [String]; var region: String?; var incomeGroup: String?; var language: String?; var weights: String?
    }

    func match(text: String, sectors: [Sector], country: String, region: Region?, incomeGroup: IncomeGroup?, language: Language?,
               weights: String?) async throws -> MatchResult {
        try await api.post("experiences/matches", json: MatchBody(text: text, country: country, sectors: sectors.map(\.rawValue), region: region?.rawValue,
                                                                  incomeGroup: incomeGroup?.rawValue, language: language?.rawValue, weights: weights))
    }
}

/// The most experiences `kb list` shows: the most the API's list gives.
enum KnowledgeListing {
    static let limit = 1000
}
