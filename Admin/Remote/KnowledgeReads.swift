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
}

/// The most experiences `kb list` shows: the most the API's list gives.
enum KnowledgeListing {
    static let limit = 1000
}
