import MeridianCodes
import Foundation
import Hummingbird
import MeridianExchange
import MeridianService

/// `/api/v1/experiences`: the knowledge base, readable without signing in; imports for curators.
struct KnowledgeRoutes {
    let service: MeridianService
    let limit: Int

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service, limit = self.limit

        api.get("experiences") { request, _ -> Response in
            let query = request.uri.queryParameters
            var sector: Sector?
            if let text = query.get("sector") {
                guard let parsed = Sector(rawValue: text) else { throw ServiceError(.invalidArgument, "unknown sector '\(text)'; one of \(Sector.codes)") }
                sector = parsed
            }
            let count = try query.get("limit").map { text -> Int in
                guard let value = Int(text), (1...1000).contains(value) else { throw ServiceError(.invalidArgument, "limit must be 1 to 1000") }
                return value
            } ?? 100
            return try .json(try await service.experiences(country: query.get("country")?.uppercased(), sector: sector, limit: count))
        }
        api.get("experiences/search") { request, _ -> Response in
            guard let text = request.uri.queryParameters.get("q"), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ServiceError(.invalidArgument, "give the words to search for as ?q=")
            }
            guard text.count <= 1000 else { throw ServiceError(.invalidArgument, "a search has at most 1000 characters") }
            let count = try request.uri.queryParameters.get("limit").map { text -> Int in
                guard let value = Int(text), (1...1000).contains(value) else { throw ServiceError(.invalidArgument, "limit must be 1 to 1000") }
                return value
            } ?? 20
            return try .json(try await service.searchExperiences(text, limit: count))
        }
        api.get("experiences/{id}") { _, context -> Response in
            guard let text = context.parameters.get("id"), let id = Int(text) else {
                throw ServiceError(.notFound, "no experience has the id \(context.parameters.get("id") ?? "")")
            }
            return try .json(try await service.experience(id))
        }
        // What officials said of an experience (`kb show`), and an official's word on one her exchange was matched with.
        api.get("experiences/{id}/feedback") { _, context -> Response in
            let id = try Self.experienceID(context)
            _ = try await service.experience(id)
            return try .json(try await service.feedback(on: id))
        }
        api.post("experiences/{id}/feedback") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try Self.experienceID(context)
            let body = try await JSONBody.decode(FeedbackBody.self, from: request, fields: ["exchange", "useful", "comment"], limit: limit)
            guard let exchange = UUID(uuidString: body.exchange) else {
                throw ServiceError(.invalidArgument, "'\(body.exchange)' is not an exchange id; give the UUID that `meridian exchange list` shows")
            }
            return try .json(try await service.giveFeedback(experience: id, exchange: exchange, useful: body.useful, comment: body.comment, by: caller))
        }
        // Matching reads the knowledge base and writes nothing: public, like the experiences.
        api.post("experiences/matches") { request, _ -> Response in
            let body = try await JSONBody.decode(MatchBody.self, from: request, fields: MatchBody.fields, limit: limit)
            let parsed = try body.parsed()
            return try .json(try await service.matchExperiences(
                text: body.text, sectors: parsed.sectors, country: body.country, region: parsed.region, incomeGroup: parsed.income,
                language: parsed.language, weights: parsed.weights))
        }
        api.post("experiences/seed") { _, context -> Response in
            try .json(try await service.seedKnowledgeBase(by: try context.requireCaller()))
        }
        api.post("experiences/imports") { request, context -> Response in
            let caller = try context.requireCaller()
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let format: ImportFormat
            switch type {
            case "application/json": format = .json
            case "text/csv": format = .csv
            default: throw HTTPError(.unsupportedMediaType, message: "send the catalogue as application/json or text/csv")
            }
            let data = format == .json ? try await JSONBody.document(of: request, limit: limit) : try await JSONBody.bytes(of: request, limit: limit)
            return try .json(try await service.importExperiences(data, fileName: "the uploaded catalogue", format: format, by: caller))
        }
    }

    /// An official's feedback on an experience: `{"exchange": UUID, "useful": Bool, "comment": String?}`.
    struct FeedbackBody: Decodable {
        var exchange: String
        var useful: Bool
        var comment: String?
    }

    /// A request to match: `{"text", "country", "sectors"?, "region"?, "income_group"?, "language"?, "weights"?}`,
    /// with the codes and weight overrides `meridian kb match` takes.
    struct MatchBody: Decodable {
        static let fields: Set<String> = ["text", "country", "sectors", "region", "income_group", "language", "weights"]
        var text: String
        var country: String
        var sectors: [String]?
        var region: String?
        var incomeGroup: String?
        var language: String?
        var weights: String?

        func parsed() throws -> (sectors: [Sector], region: Region?, income: IncomeGroup?, language: Language?, weights: MatchingWeights) {
            guard (sectors ?? []).count <= Sector.allCases.count else {
                throw ServiceError(.invalidArgument, "at most \(Sector.allCases.count) sectors; each is one of \(Sector.codes)")
            }
            let sectors = try (sectors ?? []).map { code in
                guard let sector = Sector(rawValue: code) else { throw ServiceError(.invalidArgument, "unknown sector '\(code)'; one of \(Sector.codes)") }
                return sector
            }
            let region = try region.map { code in
                guard let region = Region(rawValue: code) else { throw ServiceError(.invalidArgument, "unknown region '\(code)'; one of \(Region.codes)") }
                return region
            }
            let income = try incomeGroup.map { code in
                guard let group = IncomeGroup(rawValue: code) else {
                    throw ServiceError(.invalidArgument, "unknown income group '\(code)'; one of \(IncomeGroup.codes)")
                }
                return group
            }
            let language = try language.map { code in
                guard let language = Language(rawValue: code) else { throw ServiceError(.invalidArgument, "unknown language '\(code)'; one of \(Language.codes)") }
                return language
            }
            guard (weights ?? "").count <= 1000 else { throw ServiceError(.invalidArgument, "the weights have at most 1000 characters") }
            let overridden = try weights.map { try MatchingWeights.default.overridden(by: $0) } ?? .default
            return (sectors, region, income, language, overridden)
        }
    }

    static func experienceID(_ context: MeridianRequestContext) throws -> Int {
        guard let text = context.parameters.get("id"), let id = Int(text) else {
            throw ServiceError(.notFound, "no experience has the id \(context.parameters.get("id") ?? "")")
        }
        return id
    }
}
