import Foundation
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianService
import MeridianWorkflow
import MeridianCodes

/// What the people's commands do, as the signed-in user, wherever Meridian runs: on the
/// database through the service (``LocalActions``) or through `meridian serve`'s API
/// (``RemoteActions``, when MERIDIAN_SERVER or `--server` names one).
///
/// Both answer with the same values — the API's JSON forms where the service has one (grants,
/// payments, funds) — so a command prints the same lines and `--json` either way, and both
/// fail with the same ``ServiceError`` kinds, so the exit statuses agree.
protocol PeopleActions: Sendable {
    // Your account.
    func me() async throws -> User
    func createToken(for user: String?, label: String?, expiresAt: Date?) async throws -> IssuedToken
    func tokens(for user: String?) async throws -> [TokenInfo]
    func revokeToken(_ id: Int64) async throws -> TokenInfo

    // The desk.
    func inbox() async throws -> [Exchanges.InboxItem]
    func portfolio() async throws -> Portfolio
    func decide(_ verb: DeskVerb, exchange id: UUID, comment: String?, key: String?) async throws -> Exchanges.Decision

    // Exchanges.
    func fileRequest(_ request: ExchangeRequest, key: String?) async throws -> Exchanges.Filed
    func listExchanges(state: String?, country: String?) async throws -> [Exchanges.Summary]
    func exchange(_ id: UUID) async throws -> ExchangeView
    func status(_ id: UUID) async throws -> Exchanges.Status
    func timeline(_ id: UUID) async throws -> [TimelineLine]
    func matches(_ id: UUID) async throws -> MatchRound?
    func startScreening(_ id: UUID, key: String?) async throws -> Exchanges.Decision
    func selectPartner(_ country: String, exchange id: UUID, key: String?) async throws -> Exchanges.PartnerStep
    func confirmPartnership(_ id: UUID, key: String?) async throws -> Exchanges.PartnerStep
    func declinePartnership(_ id: UUID, reason: String, key: String?) async throws -> Exchanges.PartnerStep
    func importPlan(_ plan: VisitPlan, exchange id: UUID) async throws -> Int
    func plans(_ id: UUID) async throws -> [StoredPlan]
    func submitPlan(_ id: UUID, key: String?) async throws -> Exchanges.PlanSubmission
    func submitReport(_ report: ResultsReport, exchange id: UUID, key: String?) async throws -> Exchanges.ReportStep
    func reviewReport(_ decision: Exchanges.ReviewDecision, comment: String?, exchange id: UUID, key: String?) async throws -> Exchanges.ReportStep

    // Grants, disbursement, payments.
    func grants(fund: String?) async throws -> [GrantJSON]
    func grant(_ text: String) async throws -> GrantJSON
    func voteOnGrant(_ text: String, approve: Bool, comment: String?, key: String?) async throws -> FireOutcome
    func chooseGrantFund(_ text: String, fund: String, reason: String) async throws -> GrantJSON
    func disburse(grant text: String, instalment: Int, beneficiary: String, account: BankAccount, reference: String?,
                  key: String?) async throws -> Disbursed
    func payments(status: PaymentInstruction.Status?) async throws -> [PaymentJSON]
    /// The pending payments' pain.001 file (or the one stored and never delivered), handed to
    /// `deliver` to write; `nil` when there is nothing to deliver.
    func exportPayments(execution: CalendarDay?, deliver: (PaymentsDelivery) async throws -> Void) async throws -> PaymentsDelivery?
    /// Applies a bank's pain.002 status report (`data`, already read by ``Pain002Reader``), all or nothing.
    func reconcile(_ report: Pain002Reader.Report, data: Data) async throws -> [PaymentChangeJSON]
    func paymentFiles(state: PaymentFile.State?) async throws -> [PaymentFileJSON]
    /// One stored file, exactly as delivered; fetching it records no delivery.
    func paymentFile(_ messageID: String) async throws -> StoredPaymentFile
    func markPayment(_ instruction: String, _ mark: Reconciler.Mark, reason: String) async throws -> PaymentChangeJSON

    // The knowledge base.
    /// `fileName` names the file in the problems found (FILE:LINE: field: message).
    func importExperiences(_ data: Data, fileName: String, format: ImportFormat) async throws -> ExperienceStore.WriteCount
    func giveFeedback(experience: Int, exchange: UUID, useful: Bool, comment: String?) async throws -> FeedbackStore.Feedback

    func seedKnowledgeBase() async throws -> MeridianService.SeedLoad

    // Users (admins; `user add` without a token is the bootstrap, on the database only).
    func users() async throws -> [User]
    func addUser(handle: String, name: String, roles: Set<Role>, country: String?) async throws -> AuthorizedIdentityStore.AddedUser
    func disableUser(_ handle: String) async throws -> User
    func enableUser(_ handle: String) async throws -> User
    func setRoles(of handle: String, roles: Set<Role>, country: String?) async throws -> User
    /// A one-time sign-in link for the pages; the answer holds its path (the secret, shown once).
    func createInvite(for handle: String, lifetime: Duration) async throws -> InviteLink

    // Instances of any workflow, and the ledger's check.
    func startInstance(workflow: String, version: Int?, context: [String: JSONValue]) async throws -> InstanceRecord
    /// The outcome, also a refused one (the command says why and exits with its status).
    func fire(_ event: String, instance id: UUID, data: [String: JSONValue], key: String?) async throws -> FireOutcome
    func instance(_ id: UUID) async throws -> InstanceRecord
    func history(of id: UUID) async throws -> [HistoryRecord]
    func instances(workflow: String?, state: String?, limit: Int) async throws -> [InstanceRecord]
    func incidents() async throws -> [Incident]
    func retryIncidents(of id: UUID) async throws -> [Incident]
    func verifyLedger(fund: String?) async throws -> LedgerVerifier.Report

    // Files for public standards.
    func iati(fund id: String, publisher: IATIActivity.Organisation) async throws -> IATIFile
    func iati(exchange id: UUID, publisher: IATIActivity.Organisation) async throws -> IATIFile

    // Funds.
    func createFund(_ fund: Fund) async throws -> FundJSON
    func funds() async throws -> [FundJSON]
    func fund(_ id: String) async throws -> FundJSON
    func statement(fund id: String, asOf day: CalendarDay) async throws -> StatementJSON
    /// `amount` as the person typed it: it is read in the fund's currency.
    func contribute(fund id: String, donor: String, amount: String, receivedOn day: CalendarDay, reference: String) async throws -> ContributionJSON
}

/// The most exchanges `exchange list` shows, on the database and through a server alike.
enum ExchangeListing {
    static let limit = 200
}

/// An IATI activity file, and how many activities it holds.
struct IATIFile: Sendable {
    var xml: String
    var activities: Int
}

/// A pain.001 file to deliver, as the export made it.
struct PaymentsDelivery: Sendable {
    var messageID: String
    var payments: Int
    var controlSum: String
    var xml: String
    var redelivered: Bool
    var stillPending: Int
    /// Whether the file counts as delivered before `deliver` writes it: through a server the
    /// answer is the delivery (fetch it again with GET /payments/files/{message_id}).
    var deliveredBeforeWrite: Bool
}

/// A stored pain.001 file and what `payments file` says of it.
struct StoredPaymentFile: Sendable {
    var messageID: String
    var state: String
    var payments: Int
    var controlSum: String
    var xml: String
}

/// A disbursement's instruction, and whether it was there already (a retry or the same key).
struct Disbursed: Sendable {
    var payment: PaymentJSON
    var replayed: Bool
}

/// A one-time sign-in link as created, locally or through the API (whose answer has this form).
struct InviteLink: Decodable, Sendable {
    var user: String
    /// `/sign-in/invite/SECRET`, on the pages' server.
    var path: String
    var expiresAt: Date
}
