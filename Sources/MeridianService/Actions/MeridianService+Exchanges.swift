import Foundation
import MeridianExchange
import MeridianIdentity

/// The exchange's path: requests, screening and decisions, partners, plans, results.
///
/// The exchange domain decides from the caller's country which workflow roles she holds on each
/// exchange; an exchange she may not see reads as an unknown id.
extension MeridianService {
    /// Files a request for the caller's country and starts its exchange (officials only).
    public func fileRequest(_ request: ExchangeRequest, key: String?, by caller: Caller) async throws -> Exchanges.Filed {
        try caller.require(anyOf: [.official], to: "filing a request")
        return try await exchanges.file(request, by: caller.exchangeActor, key: key)
    }

    /// The exchanges the caller may see, newest first; after the exchange `before` for the next page.
    public func listExchanges(state: String? = nil, country: String? = nil, limit: Int = 200, before: UUID? = nil,
                              by caller: Caller) async throws -> [Exchanges.Summary] {
        try await exchanges.list(for: caller.exchangeActor, state: state, country: country, limit: limit, before: before)
    }

    /// "My exchanges": the exchanges the caller may see, newest first, each with whether it
    /// waits for her (what ``inbox(by:)`` would list) — one statement for the page's two reads.
    public func myExchanges(limit: Int = 200, by caller: Caller) async throws -> [Exchanges.ListedExchange] {
        try await exchanges.listWithWaiting(for: caller.exchangeActor, limit: limit)
    }

    /// One exchange as the caller may see it.
    public func exchange(_ id: UUID, by caller: Caller) async throws -> ExchangeView {
        guard let cache = exchangeViewCache else { return try await exchanges.show(id, for: caller.exchangeActor) }
        return try await keptExchange(id, by: caller, cache: cache).view
    }

    /// The exchange's view as the API sends it (``ServiceJSON/wire(_:)``): from the server's
    /// cache when it holds a view recent enough, encoded once per read of the database.
    public func exchangeDocument(_ id: UUID, by caller: Caller) async throws -> [UInt8] {
        guard let cache = exchangeViewCache else { return try ServiceJSON.wire(try await exchanges.show(id, for: caller.exchangeActor)) }
        return try await keptExchange(id, by: caller, cache: cache).document
    }

    /// The kept view if there is one (visibility decided for this caller all the same), else
    /// the database's, kept for the next reader unless it changed meanwhile.
    private func keptExchange(_ id: UUID, by caller: Caller, cache: ExchangeViewCache) async throws -> ExchangeViewCache.Entry {
        if let kept = cache.entry(id) {
            try kept.view.requireVisible(to: caller.exchangeActor)
            return kept
        }
        let ticket = cache.ticket()
        let view = try await exchanges.show(id, for: caller.exchangeActor)
        let entry = ExchangeViewCache.Entry(view: view, document: try ServiceJSON.wire(view))
        if let ticket { cache.store(entry, for: id, ticket: ticket) }
        return entry
    }

    /// Where an exchange stands, who acts next and until when.
    public func status(_ id: UUID, by caller: Caller) async throws -> Exchanges.Status {
        try await exchanges.status(id, for: caller.exchangeActor)
    }

    /// The exchange's steps and notifications, oldest first.
    public func timeline(_ id: UUID, by caller: Caller) async throws -> [TimelineLine] {
        try await exchanges.timeline(id, for: caller.exchangeActor)
    }

    /// The latest matches (`nil` before matching ran).
    public func matches(_ id: UUID, by caller: Caller) async throws -> MatchRound? {
        try await exchanges.matches(id, for: caller.exchangeActor)
    }

    /// Takes a submitted request into screening (program managers).
    public func startScreening(_ id: UUID, key: String?, by caller: Caller) async throws -> Exchanges.Decision {
        try await exchanges.startScreening(exchange: id, by: caller.exchangeActor, key: key)
    }

    /// Approve, reject or request information: the decision open to the caller now.
    public func decide(_ verb: DeskVerb, exchange id: UUID, comment: String?, key: String?, by caller: Caller) async throws -> Exchanges.Decision {
        try await exchanges.decide(verb, exchange: id, comment: comment, by: caller.exchangeActor, key: key)
    }

    /// The requesting official chooses the partner country among the matches.
    public func selectPartner(_ country: String, exchange id: UUID, key: String?, by caller: Caller) async throws -> Exchanges.PartnerStep {
        try await exchanges.selectPartner(country, exchange: id, by: caller.exchangeActor, key: key)
    }

    /// The partner country's official accepts the invitation.
    public func confirmPartnership(_ id: UUID, key: String?, by caller: Caller) async throws -> Exchanges.PartnerStep {
        try await exchanges.confirmPartnership(exchange: id, by: caller.exchangeActor, key: key)
    }

    /// The partner country's official declines, with a reason.
    public func declinePartnership(_ id: UUID, reason: String, key: String?, by caller: Caller) async throws -> Exchanges.PartnerStep {
        try await exchanges.declinePartnership(exchange: id, reason: reason, by: caller.exchangeActor, key: key)
    }

    /// Stores a new version of the visit plan; returns its version number.
    public func importPlan(_ plan: VisitPlan, exchange id: UUID, by caller: Caller) async throws -> Int {
        try await exchanges.importPlan(plan, exchange: id, by: caller.exchangeActor)
    }

    /// Every version of the exchange's plan.
    public func plans(_ id: UUID, by caller: Caller) async throws -> [StoredPlan] {
        try await exchanges.plans(exchange: id, for: caller.exchangeActor)
    }

    /// Submits the latest plan for funding.
    public func submitPlan(_ id: UUID, key: String?, by caller: Caller) async throws -> Exchanges.PlanSubmission {
        try await exchanges.submitPlan(exchange: id, by: caller.exchangeActor, key: key)
    }

    /// The requesting official's results report.
    public func submitReport(_ report: ResultsReport, exchange id: UUID, key: String?, by caller: Caller) async throws -> Exchanges.ReportStep {
        try await exchanges.submitReport(report, exchange: id, by: caller.exchangeActor, key: key)
    }

    /// The program manager's review of the results report.
    public func reviewReport(_ decision: Exchanges.ReviewDecision, comment: String?, exchange id: UUID, key: String?, by caller: Caller) async throws -> Exchanges.ReportStep {
        try await exchanges.review(decision, comment: comment, exchange: id, by: caller.exchangeActor, key: key)
    }

    /// What waits for the caller, oldest first.
    public func inbox(by caller: Caller) async throws -> [Exchanges.InboxItem] {
        try await exchanges.inbox(for: caller.exchangeActor)
    }

    /// Counts and durations over the exchanges the caller may see.
    public func portfolio(by caller: Caller) async throws -> Portfolio {
        try await exchanges.portfolio(for: caller.exchangeActor)
    }
}
