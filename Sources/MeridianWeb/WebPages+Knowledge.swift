import MeridianCodes
import Foundation
import Hummingbird
import Logging
import MeridianExchange
import MeridianIdentity
import MeridianService

/// The public knowledge base: search, one experience with its sources and the officials'
/// feedback, and the feedback form for officials whose exchange was matched with it.
///
/// Reading needs no sign-in (the service's knowledge-base reads are public); giving feedback
/// goes through ``MeridianService/giveFeedback(experience:exchange:useful:comment:by:)`` and
/// its rules: only officials of an exchange's requesting country, only on an experience that
/// exchange was matched with.
extension WebPages {
    /// The longest search text read; a longer one is a problem at the field, not a search.
    static let searchLength = 200
    /// How many experiences a result page lists (the page stays well under 100 KB).
    static let resultsShown = 30

    func knowledgeSearch(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let language = visitor.language
            let query = request.uri.queryParameters
            let text = (query.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let sectorCode = query.get("sector") ?? "", regionCode = query.get("region") ?? ""
            let sector = Sector(rawValue: sectorCode), region = Region(rawValue: regionCode)
            var values: [String: Any] = ["q": text]
            var problems: [String] = []
            if text.count > Self.searchLength {
                values["qProblem"] = messages.text("kb_problem_long", language)
                problems.append("q")
            }
            if !sectorCode.isEmpty && sector == nil { values["sectorProblem"] = messages.text("kb_problem_filter", language); problems.append("sector") }
            if !regionCode.isEmpty && region == nil { values["regionProblem"] = messages.text("kb_problem_filter", language); problems.append("region") }

            var found: (experiences: [Experience], total: Int) = ([], 0)
            if problems.isEmpty {
                found = try await service.browseExperiences(text, sector: sector, region: region, limit: Self.resultsShown)
            }
            values["searched"] = problems.isEmpty && (!text.isEmpty || sector != nil || region != nil)
            values["count"] = messages.text("kb_results_count", language)
                .replacingOccurrences(of: "{shown}", with: String(found.experiences.count))
                .replacingOccurrences(of: "{total}", with: String(found.total))
            values["results"] = found.experiences.map { experienceRow($0, language: language) }
            values["hasResults"] = !found.experiences.isEmpty
            values["sectors"] = Sector.allCases.map { option -> [String: Any] in
                ["code": option.rawValue, "name": messages.text("sector_" + Self.keyPart(option.rawValue), language), "selected": option == sector]
            }.sorted { ($0["name"] as! String) < ($1["name"] as! String) }
            values["regions"] = Region.allCases.map { option -> [String: Any] in
                ["code": option.rawValue, "name": messages.text("region_" + Self.keyPart(option.rawValue), language), "selected": option == region]
            }
            return try render("knowledge", title: messages.text("kb_title", language), values: values, visitor: visitor,
                              back: "/knowledge", status: problems.isEmpty ? .ok : .badRequest)
        }
    }

    func experiencePage(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let id = try Self.experienceID(text)
            let done = request.uri.queryParameters.get("done") == "feedback" ? messages.text("kb_done_feedback", visitor.language) : ""
            let commentProblem = request.uri.queryParameters.get("problem") == "comment"
            return try await renderExperience(id, visitor: visitor, done: done, commentProblem: commentProblem)
        }
    }

    /// The experience page: what the catalogue holds, its sources, the feedback, and the form
    /// for the officials who may give it.
    func renderExperience(_ id: Int, visitor: Visitor, done: String, commentProblem: Bool) async throws -> Response {
        let language = visitor.language, formats = WebFormats.of(language)
        let experience = try await service.experience(id)
        let feedback = try await service.feedback(on: id)
        var values = experienceRow(experience, language: language)
        values["region"] = messages.text("region_" + Self.keyPart(experience.region.rawValue), language)
        values["sectorNames"] = experience.sectors.map { messages.text("sector_" + Self.keyPart($0.rawValue), language) }
        values["strength"] = messages.text("kb_strength_\(experience.outcomeStrength.rawValue)", language)
        values["selfReported"] = experience.selfReported
        values["problem"] = experience.problem
        values["approach"] = experience.approach
        values["outcomes"] = experience.outcomes
        values["provenance"] = experience.provenance ?? ""
        values["sources"] = experience.sources.map(Self.source)
        values["feedback"] = feedback.map { item -> [String: Any] in
            ["useful": item.useful, "official": item.official, "at": formats.date(item.givenAt), "comment": item.comment ?? ""]
        }
        values["hasFeedback"] = !feedback.isEmpty
        let weights = MatchingWeights.default
        values["weightNote"] = messages.text("kb_feedback_weight", language)
            .replacingOccurrences(of: "{step}", with: formats.number(weights.feedbackStep))
            .replacingOccurrences(of: "{cap}", with: formats.number(weights.feedbackCap))
            .replacingOccurrences(of: "{outcome}", with: formats.number(weights.outcome))
        if let caller = visitor.caller {
            let exchanges = try await service.exchangesThatMayJudge(experience: id, by: caller)
            values["canJudge"] = !exchanges.isEmpty
            values["exchanges"] = exchanges.enumerated().map { index, exchange -> [String: Any] in
                ["id": exchange.id.uuidString.lowercased(), "goal": exchange.goal, "selected": index == 0]
            }
        } else {
            values["anonymous"] = true
        }
        values["done"] = done
        if commentProblem { values["commentProblem"] = messages.text("kb_problem_comment", language) }
        return try render("experience", title: experience.programme, values: values, visitor: visitor, back: "/knowledge/\(id)")
    }

    /// An official's feedback: the service decides who may give it; a refusal is the error
    /// page in her language (403 for anyone who is not an official of a matched exchange's country).
    func giveFeedback(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let form = try await FormBody.read(request)
            try checkCSRF(form, visitor)
            let id = try Self.experienceID(text)
            guard let exchange = UUID(uuidString: form["exchange"]) else { throw ServiceError(.notFound, "no exchange \(form["exchange"])") }
            let useful: Bool
            switch form["useful"] {
            case "yes": useful = true
            case "no": useful = false
            default: throw ServiceError(.invalidArgument, "useful is yes or no")
            }
            let comment = form["comment"].trimmingCharacters(in: .whitespacesAndNewlines)
            guard comment.count <= FeedbackStore.commentLength else { return redirect("/knowledge/\(id)?problem=comment#comment") }
            _ = try await service.giveFeedback(experience: id, exchange: exchange, useful: useful,
                                               comment: comment.isEmpty ? nil : comment, by: caller)
            return redirect("/knowledge/\(id)?done=feedback#feedback-heading")
        }
    }

    /// A source as the page shows it: a citation, and its web address as a link when it has
    /// one (`Author (2004). Title: https://…` — the seed writes them so).
    static func source(_ text: String) -> [String: Any] {
        guard let start = text.range(of: "https://") ?? text.range(of: "http://") else { return ["text": text] }
        let address = text[start.lowerBound...].prefix { !$0.isWhitespace }
        let before = text[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
        let after = text[address.endIndex...].trimmingCharacters(in: .whitespaces)
        var item: [String: Any] = ["link": String(address)]
        if !before.isEmpty { item["text"] = before.hasSuffix(":") ? String(before.dropLast()) : before }
        if !after.isEmpty { item["after"] = after }
        return item
    }

    /// One experience as a search result: programme, country, years, and the summary in the
    /// page's language, else in English marked so (with `lang="en"`).
    func experienceRow(_ experience: Experience, language: WebLanguage) -> [String: Any] {
        var row: [String: Any] = [
            "id": experience.id.map(String.init) ?? "", "programme": experience.programme, "countryName": experience.countryName,
            "countryCode": experience.countryCode, "years": experience.years,
        ]
        let wanted = Language(rawValue: language.rawValue) ?? .english
        if let summary = experience.summary(in: wanted) {
            row["summary"] = summary.text
            if summary.language != wanted { row["summaryInEnglish"] = true }
        } else {
            // No summary (an imported experience without one; every shipped one has four): the
            // start of what was done, as the catalogue records it.
            row["excerpt"] = Self.excerpt(experience.approach)
        }
        return row
    }

    /// The first words of `text` that fit in 240 characters, with "…" when cut.
    static func excerpt(_ text: String, limit: Int = 240) -> String {
        let text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard text.count > limit else { return text }
        let head = text.prefix(limit)
        return String(head[..<(head.lastIndex(of: " ") ?? head.endIndex)]) + " …"
    }

    /// An experience id from the path; anything else reads as an unknown experience (404).
    static func experienceID(_ text: String) throws -> Int {
        guard let id = Int(text), id > 0 else { throw ServiceError(.notFound, "no experience \(text)") }
        return id
    }
}
