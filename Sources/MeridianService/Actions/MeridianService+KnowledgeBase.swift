import Foundation
import MeridianCodes
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

    /// The first `limit` experiences of one sector and one region (either or both may be left
    /// out), holding `text`'s words best first when it is not empty, else by country, with how
    /// many there are in all (public): the knowledge pages' listing, narrowed in the database.
    public func browseExperiences(_ text: String, sector: Sector?, region: Region?, limit: Int) async throws -> (experiences: [Experience], total: Int) {
        let store = ExperienceStore(client: client, logger: logger)
        guard !text.isEmpty else { return try await store.listPage(sector: sector, region: region, limit: limit) }
        let found = try await store.searchPage(text, sector: sector, region: region, limit: limit)
        return (found.hits.map(\.experience), found.total)
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

    /// What loading the seed catalogue did: the catalogue's experiences, and how many were new or updated.
    public struct SeedLoad: Sendable, Codable, Equatable {
        public var experiences: Int
        public var inserted: Int
        public var updated: Int
    }

    /// Loads the shipped catalogue of real programmes (curators only).
    public func seedKnowledgeBase(by caller: Caller) async throws -> SeedLoad {
        try caller.require(anyOf: Self.curators, to: "loading the seed catalogue")
        let experiences = try SeedCatalogue.experiences()
        let written = try await ExperienceImporter.store(experiences, client: client, logger: logger)
        return SeedLoad(experiences: experiences.count, inserted: written.inserted, updated: written.updated)
    }

    /// The best-matching experiences of other countries for a request's words (public, like the
    /// knowledge base it reads: matching writes nothing). A region or income group left out is
    /// the country table's, else what the knowledge base records for the country.
    /// - Throws: ``ServiceError`` `.invalidArgument` for a country classified nowhere, and the
    ///   matcher's own refusals (no words, more than 10,000 characters, a malformed code).
    public func matchExperiences(text: String, sectors: [Sector], country: String, region: Region?, incomeGroup: IncomeGroup?,
                                 language: Language?, weights: MatchingWeights = .default) async throws -> MatchResult {
        // The matcher checks the length; a NUL byte or a terminal control never reaches a query.
        if let problem = InputText.problem(text, field: "the request text", maximum: .max) { throw ServiceError(.invalidData, problem) }
        let country = country.uppercased()
        var region = region, income = incomeGroup
        if region == nil || income == nil {
            guard let profile = try await ExperienceStore(client: client, logger: logger).countryProfile(country) else {
                throw ServiceError(.invalidArgument, "\(country) is neither classified in the country table (`meridian kb countries`) nor in the knowledge base; pass --region and --income-group")
            }
            region = region ?? profile.region
            income = income ?? profile.incomeGroup
        }
        let request = MatchRequest(text: text, sectors: sectors, countryCode: country, region: region!, incomeGroup: income!, language: language)
        return try await Matcher(client: client, logger: logger, weights: weights, index: matchIndex).match(request)
    }

    /// An official's feedback on an experience her exchange was matched with (officials of the
    /// exchange's requesting country only; the store checks the match and the country). Another
    /// country's exchange reads as unknown, as everywhere: the refusal would name its country.
    public func giveFeedback(
        experience: Int, exchange: UUID, useful: Bool, comment: String?, by caller: Caller
    ) async throws -> FeedbackStore.Feedback {
        _ = try await exchanges.workflowActor(for: caller.exchangeActor, instance: exchange)
        return try await FeedbackStore(client: client, logger: logger).give(
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
