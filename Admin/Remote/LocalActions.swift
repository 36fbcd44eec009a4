import MeridianCodes
import Foundation
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianService

/// The people's actions on the database: the service's, as the caller whose token was given.
struct LocalActions: PeopleActions {
    let service: MeridianService
    let caller: Caller

    func me() async throws -> User { caller.user }

    func createToken(for user: String?, label: String?, expiresAt: Date?) async throws -> IssuedToken {
        try await service.identity(for: caller).createToken(for: user, label: label, expiresAt: expiresAt)
    }

    func tokens(for user: String?) async throws -> [TokenInfo] {
        try await service.identity(for: caller).tokens(for: user)
    }

    func revokeToken(_ id: Int64) async throws -> TokenInfo {
        try await service.identity(for: caller).revokeToken(id)
    }

    func inbox() async throws -> [Exchanges.InboxItem] { try await service.inbox(by: caller) }

    func portfolio() async throws -> Portfolio { try await service.portfolio(by: caller) }

    func decide(_ verb: DeskVerb, exchange id: UUID, comment: String?, key: String?) async throws -> Exchanges.Decision {
        try await service.decide(verb, exchange: id, comment: comment, key: key, by: caller)
    }

    func fileRequest(_ request: ExchangeRequest, key: String?) async throws -> Exchanges.Filed {
        try await service.fileRequest(request, key: key, by: caller)
    }

    func listExchanges(state: String?, country: String?) async throws -> [Exchanges.Summary] {
        try await service.listExchanges(state: state, country: country, limit: ExchangeListing.limit, by: caller)
    }

    func exchange(_ id: UUID) async throws -> ExchangeView { try await service.exchange(id, by: caller) }

    func status(_ id: UUID) async throws -> Exchanges.Status { try await service.status(id, by: caller) }

    func timeline(_ id: UUID) async throws -> [TimelineLine] { try await service.timeline(id, by: caller) }

    func matches(_ id: UUID) async throws -> MatchRound? { try await service.matches(id, by: caller) }

    func startScreening(_ id: UUID, key: String?) async throws -> Exchanges.Decision {
        try await service.startScreening(id, key: key, by: caller)
    }

    func selectPartner(_ country: String, exchange id: UUID, key: String?) async throws -> Exchanges.PartnerStep {
        try await service.selectPartner(country, exchange: id, key: key, by: caller)
    }

    func confirmPartnership(_ id: UUID, key: String?) async throws -> Exchanges.PartnerStep {
        try await service.confirmPartnership(id, key: key, by: caller)
    }

    func declinePartnership(_ id: UUID, reason: String, key: String?) async throws -> Exchanges.PartnerStep {
        try await service.declinePartnership(id, reason: reason, key: key, by: caller)
    }

    func importPlan(_ plan: VisitPlan, exchange id: UUID) async throws -> Int {
        try await service.importPlan(plan, exchange: id, by: caller)
    }

    func plans(_ id: UUID) async throws -> [StoredPlan] { try await service.plans(id, by: caller) }

    func submitPlan(_ id: UUID, key: String?) async throws -> Exchanges.PlanSubmission {
        try await service.submitPlan(id, key: key, by: caller)
    }

    func submitReport(_ report: ResultsReport, exchange id: UUID, key: String?) async throws -> Exchanges.ReportStep {
        try await service.submitReport(report, exchange: id, key: key, by: caller)
    }

    func reviewReport(_ decision: Exchanges.ReviewDecision, comment: String?, exchange id: UUID, key: String?) async throws -> Exchanges.ReportStep {
        try await service.reviewReport(decision, comment: comment, exchange: id, key: key, by: caller)
    }

    func grants(fund: String?) async throws -> [GrantJSON] {
        try await service.grants(fund: fund, by: caller).map { GrantJSON($0.grant, state: $0.exchangeState) }
    }

    func grant(_ text: String) async throws -> GrantJSON { GrantJSON(try await service.grant(text, by: caller)) }

    func voteOnGrant(_ text: String, approve: Bool, comment: String?, key: String?) async throws -> FireOutcome {
        try await service.voteOnGrant(text, approve: approve, comment: comment, key: key, by: caller)
    }

    func chooseGrantFund(_ text: String, fund: String, reason: String) async throws -> GrantJSON {
        GrantJSON(try await service.chooseGrantFund(text, fund: fund, reason: reason, by: caller))
    }

    func disburse(grant text: String, instalment: Int, beneficiary: String, account: BankAccount, reference: String?,
                  key: String?) async throws -> Disbursed {
        let result = try await service.disburse(grant: text, instalment: instalment, beneficiary: beneficiary, account: account,
                                                reference: reference, key: key, by: caller)
        return Disbursed(payment: PaymentJSON(result.instruction), replayed: result.replayed)
    }

    func payments(status: PaymentInstruction.Status?) async throws -> [PaymentJSON] {
        try await service.payments(status: status, by: caller).map(PaymentJSON.init)
    }

    func markPayment(_ instruction: String, _ mark: Reconciler.Mark, reason: String) async throws -> PaymentChangeJSON {
        PaymentChangeJSON(try await service.markPayment(instruction, mark, reason: reason, by: caller))
    }

    func createFund(_ fund: Fund) async throws -> FundJSON {
        try await service.createFund(fund, by: caller)
        return FundJSON(try await service.fund(fund.id, by: caller))
    }

    func funds() async throws -> [FundJSON] { try await service.funds(by: caller).map(FundJSON.init) }

    func fund(_ id: String) async throws -> FundJSON { FundJSON(try await service.fund(id, by: caller)) }

    func statement(fund id: String, asOf day: CalendarDay) async throws -> StatementJSON {
        StatementJSON(try await service.statement(fund: id, asOf: day, by: caller))
    }

    func contribute(fund id: String, donor: String, amount: String, receivedOn day: CalendarDay, reference: String) async throws -> ContributionJSON {
        let fund = try await service.fund(id, by: caller)
        let money = try MoneyParser(defaultCurrency: fund.currency).parse(amount)
        return ContributionJSON(try await service.contribute(fund: id, donor: donor, amount: money, receivedOn: day, reference: reference, by: caller))
    }

    func importExperiences(_ data: Data, fileName: String, format: ImportFormat) async throws -> ExperienceStore.WriteCount {
        try await service.importExperiences(data, fileName: fileName, format: format, by: caller)
    }

    func giveFeedback(experience: Int, exchange: UUID, useful: Bool, comment: String?) async throws -> FeedbackStore.Feedback {
        try await service.giveFeedback(experience: experience, exchange: exchange, useful: useful, comment: comment, by: caller)
    }

    func iati(fund id: String, publisher: IATIActivity.Organisation) async throws -> IATIFile {
        let activities = try await service.iatiActivities(fund: id, publisher: publisher, by: caller)
        return IATIFile(xml: IATIActivityWriter.write(activities), activities: activities.count)
    }

    func iati(exchange id: UUID, publisher: IATIActivity.Organisation) async throws -> IATIFile {
        IATIFile(xml: IATIActivityWriter.write([try await service.iatiActivity(exchange: id, publisher: publisher, by: caller)]), activities: 1)
    }

    func exportPayments(execution: CalendarDay?, deliver: (PaymentsDelivery) async throws -> Void) async throws -> PaymentsDelivery? {
        try await service.exportPayments(execution: execution, by: caller) { exported in try await deliver(Self.delivery(exported)) }.map(Self.delivery)
    }

    private static func delivery(_ exported: PaymentExport.Exported) -> PaymentsDelivery {
        PaymentsDelivery(messageID: exported.batch.messageID, payments: exported.batch.payments.count,
                         controlSum: PaymentBatch.controlSum(exported.batch.payments.map(\.amount)), xml: exported.xml,
                         redelivered: exported.redelivered, stillPending: exported.stillPending, deliveredBeforeWrite: false)
    }

    func reconcile(_ report: Pain002Reader.Report, data: Data) async throws -> [PaymentChangeJSON] {
        try await service.reconcile(report, by: caller).map(PaymentChangeJSON.init)
    }

    func paymentFiles(state: PaymentFile.State?) async throws -> [PaymentFileJSON] {
        try await service.paymentFiles(state: state, by: caller).map(PaymentFileJSON.init)
    }

    func paymentFile(_ messageID: String) async throws -> StoredPaymentFile {
        let (file, xml) = try await service.paymentFile(messageID, by: caller)
        return StoredPaymentFile(messageID: file.messageID, state: file.state.rawValue, payments: file.payments, controlSum: file.controlSum, xml: xml)
    }
}
