import MeridianCodes
import Foundation
import MeridianExchange
import MeridianFunding
import MeridianIdentity
import MeridianService
import Testing
import MeridianEngine

/// Who may do what: every persona × every action against the service, on one exchange in
/// funding review (DR Congo's, Rwanda its partner).
///
/// A cell says whether the action is refused for authorization — `forbidden` (the caller lacks
/// the role) or `hidden` (the exchange is another country's, reported as unknown) — or
/// `allowed`: the rules let her try, whatever the state then answers (an action that does not
/// fit the exchange's state is a conflict, not a refusal of the person).
@Suite struct AuthorizationMatrixTests {
    typealias Persona = ServiceFixture.Persona

    enum Verdict: String, Sendable {
        case allowed, forbidden, hidden

        /// The verdict an action's outcome amounts to.
        /// - Parameter scoped: whether the action names an exchange, whose not-found means hidden;
        ///   elsewhere an unknown id is the answer of an allowed action.
        init(_ error: (any Error)?, scoped: Bool) {
            guard let error else {
                self = .allowed
                return
            }
            switch ServiceError.classify(error)?.kind {
            case .forbidden?, .unauthenticated?: self = .forbidden
            case .notFound? where scoped: self = .hidden
            default: self = .allowed
            }
        }
    }

    /// An action, and the verdict of each persona (`staff` fills the five staff roles).
    struct Action: Sendable {
        var name: String
        var expected: [Persona: Verdict]
        var run: @Sendable (ServiceFixture, Caller, Persona) async throws -> Void

        /// Whether it acts on the fixture's exchange (some persona expects it hidden).
        var scoped: Bool { expected.values.contains(.hidden) }
    }

    static let people: [Persona] = [.requestingOfficial, .partnerOfficial, .otherOfficial, .programManager, .fundApprover, .financeOfficer, .supervisor, .admin]

    /// `allowed` for the given personas, `otherwise` for the rest.
    static func only(_ allowed: Set<Persona>, otherwise: Verdict = .forbidden) -> [Persona: Verdict] {
        Dictionary(uniqueKeysWithValues: people.map { ($0, allowed.contains($0) ? .allowed : otherwise) })
    }

    /// The exchange's own readers: its two countries' officials and all staff; another country's official sees nothing.
    static var exchangeReaders: [Persona: Verdict] {
        var verdicts = only(Set(people), otherwise: .allowed)
        verdicts[.otherOfficial] = .hidden
        return verdicts
    }

    static func onExchange(_ verdicts: [Persona: Verdict]) -> [Persona: Verdict] {
        var verdicts = verdicts
        verdicts[.otherOfficial] = .hidden
        return verdicts
    }

    static let staff: Set<Persona> = [.programManager, .fundApprover, .financeOfficer, .supervisor, .admin]
    static let publisher = IATIActivity.Organisation(ref: "XM-TEST", type: "40", name: "Test")

    static let actions: [Action] = [
        Action(name: "list exchanges", expected: only(Set(people))) { f, c, _ in _ = try await f.service.listExchanges(by: c) },
        Action(name: "show an exchange", expected: exchangeReaders) { f, c, _ in _ = try await f.service.exchange(f.exchange, by: c) },
        Action(name: "exchange status", expected: exchangeReaders) { f, c, _ in _ = try await f.service.status(f.exchange, by: c) },
        Action(name: "exchange timeline", expected: exchangeReaders) { f, c, _ in _ = try await f.service.timeline(f.exchange, by: c) },
        Action(name: "exchange matches", expected: exchangeReaders) { f, c, _ in _ = try await f.service.matches(f.exchange, by: c) },
        Action(name: "exchange plans", expected: exchangeReaders) { f, c, _ in _ = try await f.service.plans(f.exchange, by: c) },
        Action(name: "exchange's IATI activity", expected: exchangeReaders) { f, c, _ in
            _ = try await f.service.iatiActivity(exchange: f.exchange, publisher: publisher, by: c)
        },
        Action(name: "instance of an exchange", expected: exchangeReaders) { f, c, _ in _ = try await f.service.instance(f.exchange, by: c) },
        Action(name: "history of an exchange", expected: exchangeReaders) { f, c, _ in _ = try await f.service.history(of: f.exchange, by: c) },
        Action(name: "show the grant", expected: exchangeReaders) { f, c, _ in _ = try await f.service.grant(f.grant.uuidString, by: c) },
        Action(name: "list grants", expected: only(Set(people))) { f, c, _ in _ = try await f.service.grants(by: c) },
        Action(name: "inbox", expected: only(Set(people))) { f, c, _ in _ = try await f.service.inbox(by: c) },
        Action(name: "my exchanges", expected: only(Set(people))) { f, c, _ in _ = try await f.service.myExchanges(by: c) },
        Action(name: "portfolio", expected: only(Set(people))) { f, c, _ in _ = try await f.service.portfolio(by: c) },
        Action(name: "file a request", expected: only([.requestingOfficial, .partnerOfficial, .otherOfficial])) { f, c, p in
            var request = ServiceFixture.ddrRequest
            request.country = c.user.country ?? "COD"
            _ = try await f.service.fileRequest(request, key: "matrix-\(p.rawValue)", by: c)
        },
        Action(name: "start screening", expected: onExchange(only([.programManager, .supervisor]))) { f, c, _ in
            _ = try await f.service.startScreening(f.exchange, key: nil, by: c)
        },
        Action(name: "select the partner", expected: onExchange(only([.requestingOfficial]))) { f, c, _ in
            _ = try await f.service.selectPartner("GEO", exchange: f.exchange, key: nil, by: c)
        },
        Action(name: "confirm the partnership", expected: onExchange(only([.partnerOfficial]))) { f, c, _ in
            _ = try await f.service.confirmPartnership(f.exchange, key: nil, by: c)
        },
        Action(name: "decline the partnership", expected: onExchange(only([.partnerOfficial]))) { f, c, _ in
            _ = try await f.service.declinePartnership(f.exchange, reason: "matrix", key: nil, by: c)
        },
        Action(name: "import a plan", expected: onExchange(only([.requestingOfficial, .partnerOfficial]))) { f, c, _ in
            _ = try await f.service.importPlan(ServiceFixture.plan, exchange: f.exchange, by: c)
        },
        Action(name: "submit the plan", expected: onExchange(only([.requestingOfficial]))) { f, c, _ in
            _ = try await f.service.submitPlan(f.exchange, key: nil, by: c)
        },
        Action(name: "review the report", expected: onExchange(only([.programManager]))) { f, c, _ in
            _ = try await f.service.reviewReport(.accept, comment: nil, exchange: f.exchange, key: nil, by: c)
        },
        Action(name: "vote on the grant", expected: only([.fundApprover])) { f, c, _ in
            _ = try await f.service.voteOnGrant(f.grant.uuidString, approve: true, comment: "matrix", key: "matrix-vote", by: c)
        },
        Action(name: "disburse", expected: only([.financeOfficer])) { f, c, _ in
            _ = try await f.service.disburse(grant: f.grant.uuidString, instalment: 1, beneficiary: "RDRC",
                                             account: try BankAccount.iban("DE89 3704 0044 0532 0130 00"), reference: nil, key: nil, by: c)
        },
        Action(name: "list payments", expected: only([.financeOfficer, .supervisor, .admin])) { f, c, _ in _ = try await f.service.payments(by: c) },
        Action(name: "export payments", expected: only([.financeOfficer])) { f, c, _ in _ = try await f.service.exportPayments(execution: nil, by: c) },
        Action(name: "list payment files", expected: only([.financeOfficer])) { f, c, _ in _ = try await f.service.paymentFiles(by: c) },
        Action(name: "fetch a payment file", expected: only([.financeOfficer])) { f, c, _ in _ = try await f.service.paymentFile("MER-NONE", by: c) },
        Action(name: "reconcile a bank report", expected: only([.financeOfficer])) { f, c, _ in
            _ = try await f.service.reconcile(try Pain002Reader.read(Array(emptyStatusReport.utf8)), by: c)
        },
        Action(name: "mark a payment", expected: only([.financeOfficer])) { f, c, _ in
            _ = try await f.service.markPayment("M0", .paid, reason: "matrix", by: c)
        },
        Action(name: "choose a grant's fund", expected: only([.programManager])) { f, c, _ in
            _ = try await f.service.chooseGrantFund(f.grant.uuidString, fund: "rapid", reason: "matrix", by: c)
        },
        Action(name: "list funds", expected: only(staff)) { f, c, _ in _ = try await f.service.funds(by: c) },
        Action(name: "fund statement", expected: only(staff)) { f, c, _ in
            _ = try await f.service.statement(fund: "rapid", asOf: CalendarDay(Date()), by: c)
        },
        Action(name: "fund's IATI file", expected: only(staff)) { f, c, _ in _ = try await f.service.iatiActivities(fund: "rapid", publisher: publisher, by: c) },
        Action(name: "create a fund", expected: only([.financeOfficer, .admin])) { f, c, p in
            try await f.service.createFund(Fund(id: "f-\(p.rawValue.lowercased())", name: "Fund", currency: try Currency.named("USD"), donors: [], createdBy: ""), by: c)
        },
        Action(name: "record a contribution", expected: only([.financeOfficer, .admin])) { f, c, p in
            _ = try await f.service.contribute(fund: "rapid", donor: "Donor B", amount: Money(minorUnits: 100, currency: try Currency.named("USD")),
                                               receivedOn: CalendarDay(Date()), reference: "M-\(p.rawValue)", by: c)
        },
        Action(name: "import into the knowledge base", expected: only([.programManager, .admin])) { f, c, _ in
            _ = try await f.service.importExperiences(try Data(contentsOf: SeedCatalogue.url), fileName: "seed.json", format: .json, by: c)
        },
        Action(name: "load the seed catalogue", expected: only([.programManager, .admin])) { f, c, _ in _ = try await f.service.seedKnowledgeBase(by: c) },
        Action(name: "give feedback on a matched experience", expected: onExchange(only([.requestingOfficial]))) { f, c, _ in
            let round = try await f.service.matches(f.exchange, by: try await f.caller(.requestingOfficial))
            _ = try await f.service.giveFeedback(experience: round?.matches.first?.experienceID ?? 0, exchange: f.exchange, useful: true,
                                                 comment: "matrix", by: c)
        },
        Action(name: "start a knowledge-exchange instance bare", expected: only([])) { f, c, _ in
            _ = try await f.service.startInstance(workflow: "knowledge-exchange", version: nil, context: ["country": .string("KEN")], by: c)
        },
        Action(name: "start a generic instance", expected: only(Set(people))) { f, c, _ in
            _ = try await f.service.startInstance(workflow: "grant", version: nil, context: [:], by: c)
        },
        Action(name: "list users", expected: only([.admin])) { f, c, _ in _ = try await f.service.identity(for: c).users() },
        Action(name: "read the conversation", expected: onExchange(only([.requestingOfficial, .partnerOfficial, .programManager]))) { f, c, _ in
            _ = try await f.service.messages(exchange: f.exchange, by: c)
        },
        Action(name: "write in the conversation", expected: onExchange(only([.requestingOfficial, .partnerOfficial, .programManager]))) { f, c, p in
            _ = try await f.service.postMessage("matrix \(p.rawValue)", exchange: f.exchange, by: c)
        },
        Action(name: "fetch a conversation's attachment", expected: onExchange(only([.requestingOfficial, .partnerOfficial, .programManager]))) { f, c, _ in
            let sent = try await f.service.postMessage("matrix file", attachments: [NewAttachment(fileName: "a.txt", contentType: "text/plain", bytes: [65])],
                                                       exchange: f.exchange, by: try await f.caller(.requestingOfficial))
            _ = try await f.service.attachment(sent.attachments[0].id, exchange: f.exchange, by: c)
        },
        Action(name: "create a sign-in link", expected: only([.admin])) { f, c, _ in
            _ = try await f.service.createInvite(for: "amani", lifetime: .seconds(3_600), by: c)
        },
        // An unknown handle: the admin's answer is "no such user", everyone else's a refusal; nobody in the fixture changes.
        Action(name: "disable a user", expected: only([.admin])) { f, c, _ in _ = try await f.service.identity(for: c).disable(handle: "matrix-nobody") },
        Action(name: "enable a user", expected: only([.admin])) { f, c, _ in _ = try await f.service.identity(for: c).enable(handle: "matrix-nobody") },
        Action(name: "change a user's roles", expected: only([.admin])) { f, c, _ in
            _ = try await f.service.identity(for: c).setRoles(handle: "matrix-nobody", roles: [.official], country: "COD")
        },
        Action(name: "add a user", expected: only([.admin])) { f, c, p in
            _ = try await f.service.identity(for: c).addUser(handle: "m-\(p.rawValue.lowercased())", name: "Matrix", roles: [.official], country: "COD")
        },
        Action(name: "match experiences", expected: only(Set(people))) { f, _, _ in
            _ = try await f.service.matchExperiences(text: "reintegrate demobilised ex-combatants", sectors: [], country: "COD",
                                                     region: nil, incomeGroup: nil, language: nil)
        },
        Action(name: "read an experience's feedback", expected: only(Set(people))) { f, _, _ in _ = try await f.service.feedback(on: 1) },
        Action(name: "verify the ledger", expected: only([.financeOfficer, .supervisor, .admin])) { f, c, _ in _ = try await f.service.verifyLedger(by: c) },
        Action(name: "list instances", expected: only([.supervisor, .admin])) { f, c, _ in
            _ = try await f.service.instances(workflow: nil, state: nil, limit: 10, by: c)
        },
        Action(name: "retry an instance's incidents", expected: only([.supervisor, .admin])) { f, c, _ in _ = try await f.service.retryIncidents(of: f.exchange, by: c) },
        Action(name: "list incidents", expected: only([.supervisor, .admin])) { f, c, _ in _ = try await f.service.incidents(by: c) },
        Action(name: "verify the audit chain", expected: only([.supervisor, .admin])) { f, c, _ in _ = try await f.service.verifyAudit(by: c) },
    ]

    static let emptyStatusReport = """
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>B1</MsgId></GrpHdr>\
        <OrgnlGrpInfAndSts><OrgnlMsgId>MER-UNKNOWN</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>
        """

    @Test func everyPersonaAgainstEveryAction() async throws {
        try await ServiceFixture.with { f in
            var mismatches: [String] = []
            for action in Self.actions {
                for persona in Self.people {
                    let caller = try await f.caller(persona)
                    var failure: (any Error)?
                    do { try await action.run(f, caller, persona) } catch { failure = error }
                    let verdict = Verdict(failure, scoped: action.scoped)
                    if verdict != action.expected[persona] {
                        mismatches.append("\(action.name) by \(persona.rawValue): \(verdict.rawValue), expected \(action.expected[persona]!.rawValue)"
                                          + (failure.map { " (\(ServiceError.classify($0)?.message ?? "\($0)"))" } ?? ""))
                    }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }

    @Test func refusedTokensReachNoAction() async throws {
        try await ServiceFixture.with { f in
            for persona in [Persona.disabledUser, .revokedToken] {
                await #expect { _ = try await f.caller(persona) } throws: { (ServiceError.classify($0)?.kind) == .unauthenticated }
            }
            await #expect { _ = try await f.service.authenticate(token: "mrd_" + String(repeating: "a", count: 52)) } throws: {
                (ServiceError.classify($0)?.kind) == .unauthenticated
            }
        }
    }

    /// The holes found from outside: another country's official reads nothing of the
    /// exchange, its grant or its payments; officials never read approvers or bank details.
    @Test func officialsReadOnlyTheirCountrysMoney() async throws {
        try await ServiceFixture.with { f in
            let other = try await f.caller(.otherOfficial), own = try await f.caller(.requestingOfficial), pm = try await f.caller(.programManager)
            #expect(try await f.service.grants(by: other).isEmpty)
            #expect(try await f.service.listExchanges(by: other).isEmpty)
            #expect(try await f.service.myExchanges(by: other).isEmpty)
            #expect(try await f.service.grants(by: own).map(\.grant.id) == [f.grant])
            let seen = try await f.service.grant(f.grant.uuidString, by: own)
            #expect(seen.duties == nil && seen.payments.isEmpty)
            #expect(try await f.service.grant(f.grant.uuidString, by: pm).duties != nil)
        }
    }
}
