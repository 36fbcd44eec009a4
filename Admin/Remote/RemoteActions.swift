import MeridianCodes
import Foundation
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianService
import NIOHTTP1

/// The people's actions through `meridian serve`'s API (docs/http-api.md): one call each
/// (two for a fund's contribution, which reads the fund's currency as the service does).
///
/// Files (requests, plans, reports) travel in their own form, the one the commands read and
/// the routes decode; answers decode into the same values ``LocalActions`` returns.
struct RemoteActions: PeopleActions {
    let api: APIClient

    private func exchangePath(_ id: UUID, _ rest: String = "") -> String {
        "exchanges/\(id.uuidString.lowercased())" + (rest.isEmpty ? "" : "/\(rest)")
    }

    /// The form files are written in (`development_goal`, `amount_minor`): each type's own keys.
    private func file(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    func me() async throws -> User { try await api.get("me") }

    private struct NewToken: Encodable { var user: String?; var label: String?; var expiresAt: Date? }

    func createToken(for user: String?, label: String?, expiresAt: Date?) async throws -> IssuedToken {
        try await api.post("tokens", json: NewToken(user: user, label: label, expiresAt: expiresAt))
    }

    func tokens(for user: String?) async throws -> [TokenInfo] { try await api.get("tokens", query: [("user", user)]) }

    func revokeToken(_ id: Int64) async throws -> TokenInfo { try await api.delete("tokens/\(id)") }

    func inbox() async throws -> [Exchanges.InboxItem] { try await api.get("inbox") }

    func portfolio() async throws -> Portfolio { try await api.get("portfolio") }

    private struct DecisionBody: Encodable { var verb: String; var comment: String? }

    func decide(_ verb: DeskVerb, exchange id: UUID, comment: String?, key: String?) async throws -> Exchanges.Decision {
        try await api.post(exchangePath(id, "decisions"), json: DecisionBody(verb: verb.rawValue, comment: comment), key: key)
    }

    func fileRequest(_ request: ExchangeRequest, key: String?) async throws -> Exchanges.Filed {
        try await api.post("exchanges", encoded: try file(request), key: key)
    }

    private struct Page: Decodable { var items: [Exchanges.Summary] }

    func listExchanges(state: String?, country: String?) async throws -> [Exchanges.Summary] {
        let query = [("state", state), ("country", country), ("limit", String(ExchangeListing.limit))]
        return try await api.get("exchanges", query: query, as: Page.self).items
    }

    func exchange(_ id: UUID) async throws -> ExchangeView { try await api.get(exchangePath(id)) }

    func status(_ id: UUID) async throws -> Exchanges.Status { try await api.get(exchangePath(id, "status")) }

    func timeline(_ id: UUID) async throws -> [TimelineLine] { try await api.get(exchangePath(id, "timeline")) }

    func matches(_ id: UUID) async throws -> MatchRound? {
        // The route answers "not found" before matching ran; the view says whether it did.
        guard try await exchange(id).matches != nil else { return nil }
        return try await api.get(exchangePath(id, "matches"), as: MatchRound.self)
    }

    func startScreening(_ id: UUID, key: String?) async throws -> Exchanges.Decision {
        try await api.post(exchangePath(id, "screening"), encoded: Data("{}".utf8), key: key)
    }

    private struct PartnerBody: Encodable { var country: String }
    private struct ReasonBody: Encodable { var reason: String }

    func selectPartner(_ country: String, exchange id: UUID, key: String?) async throws -> Exchanges.PartnerStep {
        try await api.post(exchangePath(id, "partner"), json: PartnerBody(country: country), key: key)
    }

    func confirmPartnership(_ id: UUID, key: String?) async throws -> Exchanges.PartnerStep {
        try await api.post(exchangePath(id, "partner/confirmation"), encoded: Data("{}".utf8), key: key)
    }

    func declinePartnership(_ id: UUID, reason: String, key: String?) async throws -> Exchanges.PartnerStep {
        try await api.post(exchangePath(id, "partner/decline"), json: ReasonBody(reason: reason), key: key)
    }

    private struct Version: Decodable { var version: Int }

    func importPlan(_ plan: VisitPlan, exchange id: UUID) async throws -> Int {
        try await api.post(exchangePath(id, "plans"), encoded: try file(plan), as: Version.self).version
    }

    func plans(_ id: UUID) async throws -> [StoredPlan] { try await api.get(exchangePath(id, "plans")) }

    func submitPlan(_ id: UUID, key: String?) async throws -> Exchanges.PlanSubmission {
        try await api.post(exchangePath(id, "plans/submission"), encoded: Data("{}".utf8), key: key)
    }

    func submitReport(_ report: ResultsReport, exchange id: UUID, key: String?) async throws -> Exchanges.ReportStep {
        try await api.post(exchangePath(id, "reports"), encoded: try file(report), key: key)
    }

    private struct ReviewBody: Encodable { var decision: String; var comment: String? }

    func reviewReport(_ decision: Exchanges.ReviewDecision, comment: String?, exchange id: UUID, key: String?) async throws -> Exchanges.ReportStep {
        try await api.post(exchangePath(id, "reports/review"), json: ReviewBody(decision: decision.rawValue, comment: comment), key: key)
    }

    private func grantPath(_ text: String, _ rest: String = "") -> String {
        "grants/\(ServerAddress.segment(text))" + (rest.isEmpty ? "" : "/\(rest)")
    }

    func grants(fund: String?) async throws -> [GrantJSON] { try await api.get("grants", query: [("fund", fund)]) }

    func grant(_ text: String) async throws -> GrantJSON { try await api.get(grantPath(text)) }

    private struct VoteBody: Encodable { var approve: Bool; var comment: String? }

    func voteOnGrant(_ text: String, approve: Bool, comment: String?, key: String?) async throws -> FireOutcome {
        try await api.post(grantPath(text, "votes"), json: VoteBody(approve: approve, comment: comment), key: key)
    }

    private struct FundChoiceBody: Encodable { var fund: String; var reason: String }

    func chooseGrantFund(_ text: String, fund: String, reason: String) async throws -> GrantJSON {
        try await api.post(grantPath(text, "fund"), json: FundChoiceBody(fund: fund, reason: reason))
    }

    private struct DisbursementBody: Encodable {
        var instalment: Int
        var beneficiary: String
        var iban: String?
        var accountNumber: String?
        var bankCode: String?
        var bic: String?
        var reference: String?
    }

    func disburse(grant text: String, instalment: Int, beneficiary: String, account: BankAccount, reference: String?,
                  key: String?) async throws -> Disbursed {
        let body = DisbursementBody(instalment: instalment, beneficiary: beneficiary, iban: account.iban, accountNumber: account.accountNumber,
                                    bankCode: account.bankCode, bic: account.bic, reference: reference)
        var headers = [("Content-Type", "application/json")]
        if let key { headers.append(("Idempotency-Key", key)) }
        let answer = try await api.send(.POST, grantPath(text, "disbursements"), body: try ServiceJSON.encode(body, pretty: false), headers: headers)
        // 201 for a new instruction, 200 for the one a retry or the same key finds.
        return Disbursed(payment: try api.decode(PaymentJSON.self, answer), replayed: answer.status == 200)
    }

    func payments(status: PaymentInstruction.Status?) async throws -> [PaymentJSON] {
        try await api.get("payments", query: [("status", status?.rawValue)])
    }

    private struct MarkBody: Encodable { var status: String; var reason: String }

    func markPayment(_ instruction: String, _ mark: Reconciler.Mark, reason: String) async throws -> PaymentChangeJSON {
        let status = switch mark {
        case .paid: "paid"
        case .failed: "failed"
        }
        return try await api.post("payments/\(ServerAddress.segment(instruction))/mark", json: MarkBody(status: status, reason: reason))
    }

    private struct NewFund: Encodable {
        var id: String
        var name: String
        var currency: String
        var donors: [String]
        var maxGrant: String?
        var iban: String?
        var accountNumber: String?
        var bankCode: String?
        var bic: String?
        var mandateSectors: [String]
        var mandateCountries: [String]
        var mandateInstruments: [String]
        var mandateFrom: String?
        var mandateUntil: String?
        var allowSelfConfirmation: Bool
    }

    func createFund(_ fund: Fund) async throws -> FundJSON {
        let body = NewFund(
            id: fund.id, name: fund.name, currency: fund.currency.code, donors: fund.donors,
            // No maximum given for a currency without a default: the server refuses it as the service does.
            maxGrant: fund.maxGrant.minorUnits == 0 ? nil : fund.maxGrant.description,
            iban: fund.account?.iban, accountNumber: fund.account?.accountNumber, bankCode: fund.account?.bankCode, bic: fund.account?.bic,
            mandateSectors: fund.mandate.sectors, mandateCountries: fund.mandate.countries, mandateInstruments: fund.mandate.instruments,
            mandateFrom: fund.mandate.from?.description, mandateUntil: fund.mandate.until?.description,
            allowSelfConfirmation: fund.allowsSelfConfirmation)
        return try await api.post("funds", json: body)
    }

    func funds() async throws -> [FundJSON] { try await api.get("funds") }

    func fund(_ id: String) async throws -> FundJSON { try await api.get("funds/\(ServerAddress.segment(id))") }

    func statement(fund id: String, asOf day: CalendarDay) async throws -> StatementJSON {
        try await api.get("funds/\(ServerAddress.segment(id))/statement", query: [("as_of", day.description)])
    }

    private struct NewContribution: Encodable { var donor: String; var amount: String; var receivedOn: String; var reference: String }

    func contribute(fund id: String, donor: String, amount: String, receivedOn day: CalendarDay, reference: String) async throws -> ContributionJSON {
        try await api.post("funds/\(ServerAddress.segment(id))/contributions",
                           json: NewContribution(donor: donor, amount: amount, receivedOn: day.description, reference: reference))
    }

    func importExperiences(_ data: Data, fileName: String, format: ImportFormat) async throws -> ExperienceStore.WriteCount {
        let type = format == .csv ? "text/csv" : "application/json"
        let answer = try await api.send(.POST, "experiences/imports", body: data, headers: [("Content-Type", type)])
        return try api.decode(ExperienceStore.WriteCount.self, answer)
    }

    private struct FeedbackBody: Encodable { var exchange: String; var useful: Bool; var comment: String? }

    func giveFeedback(experience: Int, exchange: UUID, useful: Bool, comment: String?) async throws -> FeedbackStore.Feedback {
        try await api.post("experiences/\(experience)/feedback",
                           json: FeedbackBody(exchange: exchange.uuidString.lowercased(), useful: useful, comment: comment))
    }

    private func iati(_ path: String, _ publisher: IATIActivity.Organisation) async throws -> IATIFile {
        let query = [("reporting_org", publisher.ref), ("reporting_org_type", publisher.type), ("reporting_org_name", publisher.name)]
        let answer = try await api.send(.GET, path, query: query as [(String, String?)])
        guard let xml = String(data: answer.body, encoding: .utf8), let count = answer.headers.first(name: "Meridian-Activities").flatMap(Int.init) else {
            throw ServiceError(.failure, "the server at \(api.server) answered an IATI file this meridian cannot read; use a meridian of the server's version")
        }
        return IATIFile(xml: xml, activities: count)
    }

    func iati(fund id: String, publisher: IATIActivity.Organisation) async throws -> IATIFile {
        try await iati("funds/\(ServerAddress.segment(id))/iati", publisher)
    }

    func iati(exchange id: UUID, publisher: IATIActivity.Organisation) async throws -> IATIFile {
        try await iati(exchangePath(id, "iati"), publisher)
    }

    func exportPayments(execution: CalendarDay?, deliver: (PaymentsDelivery) async throws -> Void) async throws -> PaymentsDelivery? {
        let answer = try await api.send(.POST, "payments/exports", query: [("execution_date", execution?.description)], body: Data())
        guard answer.status != 204 else { return nil }
        let header = { (name: String) in answer.headers.first(name: name) }
        guard let xml = String(data: answer.body, encoding: .utf8), let messageID = header("Meridian-Message-Id"),
              let payments = header("Meridian-Payments").flatMap(Int.init), let controlSum = header("Meridian-Control-Sum"),
              let stillPending = header("Meridian-Still-Pending").flatMap(Int.init) else {
            throw ServiceError(.failure, "the server at \(api.server) answered a payment file this meridian cannot read; use a meridian of the server's version")
        }
        let delivery = PaymentsDelivery(messageID: messageID, payments: payments, controlSum: controlSum, xml: xml,
                                        redelivered: header("Meridian-Redelivered") == "true", stillPending: stillPending, deliveredBeforeWrite: true)
        try await deliver(delivery)
        return delivery
    }

    func reconcile(_ report: Pain002Reader.Report, data: Data) async throws -> [PaymentChangeJSON] {
        let answer = try await api.send(.POST, "payments/reconciliations", body: data, headers: [("Content-Type", "application/xml")])
        return try api.decode([PaymentChangeJSON].self, answer)
    }

    func paymentFiles(state: PaymentFile.State?) async throws -> [PaymentFileJSON] {
        try await api.get("payments/files", query: [("state", state?.rawValue)])
    }

    func paymentFile(_ messageID: String) async throws -> StoredPaymentFile {
        let answer = try await api.send(.GET, "payments/files/\(ServerAddress.segment(messageID))")
        let header = { (name: String) in answer.headers.first(name: name) }
        guard let xml = String(data: answer.body, encoding: .utf8), let id = header("Meridian-Message-Id"), let state = header("Meridian-File-State"),
              let payments = header("Meridian-Payments").flatMap(Int.init), let controlSum = header("Meridian-Control-Sum") else {
            throw ServiceError(.failure, "the server at \(api.server) answered a payment file this meridian cannot read; use a meridian of the server's version")
        }
        return StoredPaymentFile(messageID: id, state: state, payments: payments, controlSum: controlSum, xml: xml)
    }
}
