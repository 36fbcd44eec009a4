import MeridianCodes
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeridianExchange
import MeridianIdentity
import MeridianService

/// "My exchanges" and one exchange: status, matches, the partner's invitation, the timeline.
extension WebPages {
    func myExchanges(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let language = visitor.language, formats = WebFormats.of(language)
            // One read: the list and, per exchange, whether it waits for her (what her inbox lists).
            let rows = try await service.myExchanges(limit: 200, by: caller).map { line -> [String: Any] in
                let summary = line.summary
                var row: [String: Any] = [
                    "id": summary.id.uuidString.lowercased(), "goal": summary.goal, "country": summary.country,
                    "stepbar": stepBars.html(state: summary.state, label: summary.publicStep, language: language),
                    "updated": formats.dateTime(summary.updatedAt), "waiting": line.waitsForActor,
                ]
                if let partner = summary.partner { row["partner"] = partner }
                return row
            }
            return try render("exchanges", title: messages.text("exchanges_title", language),
                              values: ["rows": rows, "hasRows": !rows.isEmpty, "canFile": caller.user.roles.contains(.official)],
                              visitor: visitor, back: "/exchanges")
        }
    }

    func exchangePage(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            let done = request.uri.queryParameters.get("done").flatMap { $0 == "message" ? "conv_done" : ["filed", "partner", "confirmed", "declined"].contains($0) ? "done_\($0)" : nil }
            let reasonProblem = request.uri.queryParameters.get("problem") == "reason"
            return try await renderExchange(id, caller: caller, visitor: visitor, done: done, reasonProblem: reasonProblem)
        }
    }

    /// The exchange page's values: everything through the service, as the caller may see it.
    /// - Parameters:
    ///   - conversation: a refused message form: its problem and the text, shown again.
    ///   - status: the page's status (422 when it shows a refused form).
    func renderExchange(_ id: UUID, caller: Caller, visitor: Visitor, done: String?, reasonProblem: Bool,
                        conversation: ConversationDraft? = nil, status pageStatus: HTTPResponse.Status = .ok) async throws -> Response {
        let language = visitor.language, formats = WebFormats.of(language)
        // The page's four reads side by side: each is its own read of the service (as they were
        // one after another), so the page waits for the slowest rather than for their sum.
        async let viewRead = service.exchange(id, by: caller)
        async let statusRead = service.status(id, by: caller)
        async let timelineRead = service.timeline(id, by: caller)
        async let postsRead = conversationPosts(id, caller: caller)
        let (view, status, timeline, posts) = try await (viewRead, statusRead, timelineRead, postsRead)
        let request = view.request.request
        let myEvents = Set(status.waitingFor.filter { waiter in Self.isMe(waiter, caller: caller, exchange: status) }.flatMap(\.events))
        let idText = id.uuidString.lowercased()

        var values: [String: Any] = [
            "id": idText, "goal": request.developmentGoal, "country": status.country,
            "stepbar": stepBars.html(state: status.state, label: status.publicStep, language: language),
            "currentStep": PublicStep.of(state: status.state, label: status.publicStep).map { messages.text($0.key, language) } ?? "",
            "since": formats.dateTime(status.since),
            "waiters": status.waitingFor.map { waiter -> String in
                let role = messages.text(Self.roleKey(waiter.role), language)
                return waiter.country.map { "\(role) (\($0))" } ?? role
            },
            "filedAt": formats.dateTime(view.request.filedAt),
            "challenge": request.institutionalChallenge, "objective": request.changeObjective,
            "sectors": request.sectors.map { messages.text("sector_" + Self.keyPart($0.rawValue), language) },
            "instruments": request.instruments.map { messages.text("instrument_" + Self.keyPart($0.rawValue), language) },
            "indicators": request.indicators.map { indicator -> [String: Any] in
                ["name": indicator.name, "unit": indicator.unit, "baseline": formats.number(indicator.baseline), "target": formats.number(indicator.target)]
            },
            "invitation": myEvents.contains("confirm"), "reasonProblem": reasonProblem ? messages.text("problem_required", language) : "",
        ]
        if let partner = status.partner { values["partner"] = partner }
        if let done { values["done"] = messages.text(done, language) }
        if let deadline = status.deadlines.map(\.at).min() { values["deadline"] = formats.dateTime(deadline) }
        let partners = view.partners.map { partner -> [String: Any] in
            let answer = switch partner.response {
            case "confirmed": "partner_confirmed"
            case "declined": "partner_declined"
            default: "partner_pending"
            }
            var item: [String: Any] = ["country": partner.country, "answer": messages.text(answer, language),
                                       "at": formats.dateTime(partner.respondedAt ?? partner.chosenAt)]
            if let reason = partner.reason { item["reason"] = reason }
            return item
        }
        values["partners"] = partners
        values["hasPartners"] = !partners.isEmpty
        let canChoose = myEvents.contains("select-partner")
        values["matches"] = (view.matches?.matches ?? []).map { match -> [String: Any] in
            [
                "countryCode": match.countryCode, "countryName": match.countryName, "programme": match.programme, "years": match.years,
                "summary": match.summary, "score": formats.number((match.score * 100).rounded() / 100), "sources": match.sources,
                "hasSources": !match.sources.isEmpty, "hasSectors": !match.reasons.sharedSectors.isEmpty,
                "sharedSectors": match.reasons.sharedSectors.map { messages.text("sector_" + Self.keyPart($0.rawValue), language) },
                "terms": match.reasons.matchedTerms.isEmpty ? "" : match.reasons.matchedTerms.joined(separator: ", "),
                "canChoose": canChoose, "id": idText,
            ]
        }
        values["timeline"] = timeline.filter { $0.kind == .step }.map { line -> [String: Any] in
            [
                "at": formats.dateTime(line.at), "who": line.who,
                "step": line.to.flatMap { PublicStep.of(state: $0, label: line.publicStep) }.map { messages.text($0.key, language) } ?? "",
                "comment": line.comment ?? "",
            ]
        }
        if let posts { values["conversation"] = conversationValues(id, posts: posts, visitor: visitor, draft: conversation) }
        return try render("exchange", title: messages.text("exchange_title", language), values: values,
                          visitor: visitor, back: "/exchanges/\(idText)", status: pageStatus)
    }

    func choosePartner(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let form = try await FormBody.read(request)
            try checkCSRF(form, visitor)
            let id = try Self.exchangeID(text)
            let country = form["country"].uppercased()
            _ = try await service.selectPartner(country, exchange: id, key: Self.idempotencyKey(form, action: "partner:\(country)", caller: caller), by: caller)
            return redirect("/exchanges/\(id.uuidString.lowercased())?done=partner")
        }
    }

    func confirmPartnership(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let form = try await FormBody.read(request)
            try checkCSRF(form, visitor)
            let id = try Self.exchangeID(text)
            _ = try await service.confirmPartnership(id, key: Self.idempotencyKey(form, action: "confirm", caller: caller), by: caller)
            return redirect("/exchanges/\(id.uuidString.lowercased())?done=confirmed")
        }
    }

    func declinePartnership(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let form = try await FormBody.read(request)
            try checkCSRF(form, visitor)
            let id = try Self.exchangeID(text)
            let reason = form["reason"].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else { return redirect("/exchanges/\(id.uuidString.lowercased())?problem=reason#reason") }
            _ = try await service.declinePartnership(id, reason: reason, key: Self.idempotencyKey(form, action: "decline", caller: caller), by: caller)
            return redirect("/exchanges/\(id.uuidString.lowercased())?done=declined")
        }
    }

    /// An exchange id from the path; anything else reads as an unknown exchange (404).
    static func exchangeID(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw ServiceError(.notFound, "no exchange \(text)") }
        return id
    }

    /// Whether `waiter` is the caller: her role, and for officials her country.
    static func isMe(_ waiter: Exchanges.Waiter, caller: Caller, exchange: Exchanges.Status) -> Bool {
        switch waiter.role {
        case "official", "partner-official":
            return caller.user.roles.contains(.official) && waiter.country != nil && waiter.country == caller.user.country
        default:
            return caller.user.roles.contains { $0.rawValue == waiter.role }
        }
    }

    /// The catalogue key naming a workflow role ("who acts next").
    static func roleKey(_ role: String) -> String {
        ["official", "partner-official", "program-manager", "fund-approver", "finance-officer", "supervisor"].contains(role)
            ? "role_" + keyPart(role) : "role_other"
    }

    /// A code as a catalogue key's part: `land-administration` → `land_administration`.
    static func keyPart(_ code: String) -> String { code.replacingOccurrences(of: "-", with: "_") }
}
