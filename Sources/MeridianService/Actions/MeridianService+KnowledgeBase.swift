import Foundation
import MeridianExchange
import MeridianIdentity

/// The knowledge base: readable by anyone, written only by those who curate it.
extension MeridianService {
    /// Roles that may import into the knowledge base or load the seed catalogue: what they
    /// write replaces other countries' experiences of the same programme.
    static let curators: Set<Role> = [.programManager, .admin]

    /// Experiences, of one country or sector when given (public).
    public func experiences(country: String? = nil, sector: Sector? = nil, limit: Int = 1000) async throws -> [Experience] {
        try await ExperienceStore(client: client, logger: logger).list(countryCode: country, sector: sector, limit: limit)
    }

    /// One experience (public).
    public func experience(_ id: Int) async throws -> Experience {
        guard let found = try await ExperienceStore(client: client, logger: logger).experience(id: id) else {
            throw ExchangeError(.notFound, "no experience has the id \(id)", hint: "see `meridian kb list`")
        }
        return found
    }

    /// Full-text search over experiences (public).
    public func searchExperiences(_ text: String, limit: Int = 20) async throws -> [ExperienceStore.SearchHit] {
        try await ExperienceStore(client: client, logger: logger).search(text, limit: limit)
    }

    /// Imports a CSV or JSON file of experiences, all or nothing (curators only).
    public func importExperiences(_ data: Data, fileName: String, format: ImportFormat, by caller: Caller) async throws -> ExperienceStore.WriteCount {
        try caller.require(anyOf: Self.curators, to: "importing into the knowledge base")
        let parsed = ExperienceImporter.parse(data, fileName: fileName, format: format)
        guard parsed.diagnostics.isEmpty else {
            throw ExchangeError(.invalidData, "\(parsed.diagnostics.count) problem(s) in \(fileName); nothing was imported",
                                hint: "fix them and import the file again", diagnostics: parsed.diagnostics)
        }
        return try await ExperienceImporter.store(parsed.experiences, client: client, logger: logger)
    }

    /// Loads the shipped catalogue of real programmes (curators only).
    public func seedKnowledgeBase(by caller: Caller) async throws -> (experiences: Int, written: ExperienceStore.WriteCount) {
        try caller.require(anyOf: Self.curators, to: "loading the seed catalogue")
        let experiences = try SeedCatalogue.experiences()
        return (experiences.count, try await ExperienceImporter.store(experiences, client: client, logger: logger))
    }

    /// An official's feedback on an experience her exchange was matched with (officials of the
    /// exchange's requesting country only; the store checks the match and the country).
    public func giveFeedback(
        experience: Int, exchange: UUID, useful: Bool, comment: String?, by caller: Caller
    ) async throws -> FeedbackStore.Feedback {
        try await FeedbackStore(client: client, logger: logger).give(
            experienceId: experience, exchangeId: exchange, useful: useful, comment: comment, by: caller.exchangeActor)
    }

    /// The caller's exchanges through which she may give feedback on an experience (those of
    /// her country it was proposed to; none for anyone else): what the page offers her.
    public func exchangesThatMayJudge(experience: Int, by caller: Caller) async throws -> [(id: UUID, goal: String)] {
        try await FeedbackStore(client: client, logger: logger).exchangesThatMayJudge(experience, by: caller.exchangeActor)
    }

    /// Every official's feedback on an experience (public, like the experience).
    public func feedback(on experience: Int) async throws -> [FeedbackStore.Feedback] {
        try await FeedbackStore(client: client, logger: logger).feedback(on: experience)
    }
}
