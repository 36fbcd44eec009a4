import MeridianCodes
import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianWorkflow
import PostgresNIO

/// Takes the demo's exchanges from request to closed, phase by phase, as their people would:
/// every step goes through the same library calls the commands use (and so through the
/// workflow's rules, one transaction each), and the worker beside it runs the tasks.
final class DemoRun {
    /// One exchange of the run and what the run learned about it on the way.
    struct Tracked {
        var scenario: DemoScenario
        var id: UUID
        var partner: String = ""
        var partnerName: String = ""
        var partnerOfficial: DemoPerson?
        var label: String { "[\(scenario.request.country)]" }
    }

    let engine: WorkflowEngine
    let exchanges: Exchanges
    let cast: DemoCast
    let logger: Logger
    /// Where the payment files and the bank's answers are written.
    let folder: URL
    /// Makes this run's idempotency keys its own, so a second run files new exchanges.
    let runID = String(UUID().uuidString.prefix(8)).lowercased()
    let today = Date()
    private(set) var tracked: [Tracked] = []

    init(engine: WorkflowEngine, cast: DemoCast, folder: URL, logger: Logger) {
        self.engine = engine
        self.exchanges = Exchanges(engine: engine, logger: logger)
        self.cast = cast
        self.folder = folder
        self.logger = logger
    }

    private var manager: DemoPerson { DemoCast.staff[0] }
    private var approvers: [DemoPerson] { [DemoCast.staff[1], DemoCast.staff[2]] }
    private var financeOfficer: DemoPerson { DemoCast.staff[3] }

    func run(_ scenarios: [DemoScenario]) async throws {
        try await request(scenarios)
        try await match()
        try await choosePartners()
        try await plan()
        try await fund()
        try await disburseAndPay()
        try await report()
    }

    // MARK: - The phases

    private func request(_ scenarios: [DemoScenario]) async throws {
        section("requests: officials describe their problems; a program manager screens them")
        for scenario in scenarios {
            let filed = try await exchanges.file(scenario.request, by: try cast.exchangeActor(scenario.official), key: "demo-\(runID)-\(scenario.key)")
            let exchange = Tracked(scenario: scenario, id: filed.exchangeID)
            tracked.append(exchange)
            say(exchange, "\(scenario.official.name) files \"\(scenario.request.developmentGoal)\" → \(filed.state)  (exchange \(short(filed.exchangeID)))")
            try await fire(exchange, "start-screening", as: manager)
            try await fire(exchange, "accept", as: manager)
            say(exchange, "\(manager.name) screens and accepts it → matching")
        }
    }

    private func match() async throws {
        section("matching: the worker searches the knowledge base for each request")
        try await DemoWorker.until("the matching tasks") {
            for exchange in tracked where try await state(exchange) != "match-review" { return false }
            return true
        }
        for exchange in tracked {
            let round = try await exchanges.matches(exchange.id, for: try cast.exchangeActor(manager))
            let matches = round?.matches ?? []
            let listed = matches.prefix(5).map { "\($0.countryName) \(String(format: "%.2f", $0.score))" }.joined(separator: ", ")
            say(exchange, "matches: \(listed)")
            try await fire(exchange, "approve-matches", as: manager)
        }
        print("  \(manager.name) approves every list of matches → partner selection")
    }

    private func choosePartners() async throws {
        section("partners: each official picks a country, whose official confirms")
        for index in tracked.indices {
            var exchange = tracked[index]
            let matches = try await exchanges.matches(exchange.id, for: try cast.exchangeActor(exchange.scenario.official))?.matches ?? []
            guard let chosen = exchange.scenario.preferredPartners.lazy.compactMap({ code in matches.first { $0.countryCode == code } }).first
                    ?? matches.first else {
                throw CLIFailure("the demo's exchange \(exchange.label) found no partner to choose", status: .failure)
            }
            exchange.partner = chosen.countryCode
            exchange.partnerName = chosen.countryName
            _ = try await exchanges.selectPartner(chosen.countryCode, exchange: exchange.id, by: try cast.exchangeActor(exchange.scenario.official))
            let partnerOfficial = try await cast.partnerOfficial(chosen.countryCode, name: chosen.countryName)
            exchange.partnerOfficial = partnerOfficial
            _ = try await exchanges.confirmPartnership(exchange: exchange.id, by: try cast.exchangeActor(partnerOfficial))
            tracked[index] = exchange
            say(exchange, "\(exchange.scenario.official.name) chooses \(chosen.countryName) — \(chosen.programme); \(partnerOfficial.name) confirms → planning")
        }
    }

    private func plan() async throws {
        section("plans: visits, consultations and budgets; submitting one files the grant request")
        for exchange in tracked {
            try await submit(exchange.scenario.plan(today, exchange.partner), for: exchange)
        }
    }

    private func fund() async throws {
        section("funding: fund approvers vote; the vote that reaches the quorum commits the money")
        let decisions = GrantDecisions(engine: engine, logger: logger)
        for exchange in tracked {
            if exchange.scenario.twist == .grantRejectedThenRevised, let revised = exchange.scenario.revisedPlan {
                let grant = try await openGrant(of: exchange)
                let comment = "Too costly for a rapid-response grant: fewer expert days, and the workshop from the ministry's own budget"
                _ = try await decisions.decide(grant, approve: false, actor: try cast.engineActor(approvers[0]), comment: comment)
                say(exchange, "\(approvers[0].name) rejects the grant of \(grant.amount): \"\(comment)\" → \(try await state(exchange))")
                try await submit(revised(today, exchange.partner), for: exchange, revised: true)
            }
            let grant = try await openGrant(of: exchange)
            var voters: [String] = []
            for approver in approvers where try await state(exchange) == "funding-review" {
                let outcome = try await decisions.decide(grant, approve: true, actor: try cast.engineActor(approver), comment: nil)
                guard outcome.status == .applied else {
                    throw CLIFailure("the demo's vote on \(exchange.label) was refused: \(outcome.message)", status: .failure)
                }
                voters.append(approver.name)
            }
            let quorum = voters.count == 1 ? "one approver" : "\(voters.count) approvers (above 50,000.00 USD)"
            say(exchange, "grant of \(grant.amount) approved by \(quorum): \(voters.joined(separator: ", ")); committed → \(try await state(exchange))")
        }
    }

    private func disburseAndPay() async throws {
        section("disbursement: a finance officer who approved nothing pays; the bank answers")
        for exchange in tracked {
            let account = exchange.scenario.beneficiary.closedIBAN ?? exchange.scenario.beneficiary.iban
            try await disburse(exchange, to: account, attempt: 1)
        }
        let closed = Set(tracked.compactMap { $0.scenario.beneficiary.closedIBAN?.filter { !$0.isWhitespace } })
        let bank = DemoBank(closedAccounts: closed)
        try await payPendingInstructions(bank: bank, file: 1)
        let failed = try await trackedIn("disbursement")
        for exchange in failed {
            say(exchange, "the payment failed and is back with the finance officers; \(financeOfficer.name) pays the ministry's other account")
            try await disburse(exchange, to: exchange.scenario.beneficiary.iban, attempt: 2)
        }
        if !failed.isEmpty { try await payPendingInstructions(bank: bank, file: 2) }
    }

    private func report() async throws {
        section("results: officials report; the program manager accepts and the report becomes knowledge")
        for exchange in tracked {
            _ = try await exchanges.submitReport(exchange.scenario.report(exchange.partnerName), exchange: exchange.id,
                                                 by: try cast.exchangeActor(exchange.scenario.official))
            say(exchange, "\(exchange.scenario.official.name) submits the results report → \(try await state(exchange))")
        }
        // Instalments due after results.
        var laterInstalments = 0
        for exchange in tracked {
            guard let grant = try await latestGrant(of: exchange, status: .committed), grant.instalments.count > 1 else { continue }
            for instalment in 2...grant.instalments.count {
                say(exchange, "results are in: the \(grant.instalments[instalment - 1])% instalment is due")
                try await disburse(exchange, to: exchange.scenario.beneficiary.iban, attempt: 10 + instalment, instalment: instalment)
                laterInstalments += 1
            }
        }
        if laterInstalments > 0 { try await payPendingInstructions(bank: DemoBank(closedAccounts: []), file: 3) }
        for exchange in tracked {
            _ = try await exchanges.review(.accept, comment: "Clear results and frank lessons", exchange: exchange.id,
                                           by: try cast.exchangeActor(manager))
            say(exchange, "\(manager.name) accepts the report → \(try await state(exchange))")
        }
        try await DemoWorker.until("the closing tasks (publish, archive, notify)") {
            for exchange in tracked {
                let view = try await exchanges.show(exchange.id, for: try cast.exchangeActor(manager))
                if view.publishedExperienceID == nil || view.archivedAt == nil { return false }
            }
            return true
        }
        print("  every report is now an experience in the knowledge base, for the next request to be matched against")
    }

    // MARK: - Steps

    private func submit(_ plan: VisitPlan, for exchange: Tracked, revised: Bool = false) async throws {
        let official = try cast.exchangeActor(exchange.scenario.official)
        let version = try await exchanges.importPlan(plan, exchange: exchange.id, by: official)
        let submitted = try await exchanges.submitPlan(exchange: exchange.id, by: official)
        let grant = try await openGrant(of: exchange)
        say(exchange, "\(revised ? "revised plan" : "plan") v\(version): \(plan.activities.count) activities, grant \(grant.amount)"
            + (grant.coFinancing.minorUnits > 0 ? " + co-financing \(grant.coFinancing)" : "") + " → \(submitted.state)")
    }

    private func disburse(_ exchange: Tracked, to iban: String, attempt: Int, instalment: Int = 1) async throws {
        let grant = try await grant(of: exchange, status: .committed)
        let request = DisbursementRequest(
            grantID: grant.id, instalment: instalment, beneficiary: exchange.scenario.beneficiary.institution, account: try BankAccount.iban(iban),
            actor: try cast.engineActor(financeOfficer), idempotencyKey: "demo-\(runID)-\(exchange.scenario.key)-\(attempt)")
        let result = try await Disbursements(engine: engine, logger: logger).disburse(request)
        let compact = iban.filter { !$0.isWhitespace }
        let part = grant.instalments.count > 1 ? " (instalment \(instalment) of \(grant.instalments.count), \(grant.instalments[instalment - 1])%)" : ""
        say(exchange, "\(financeOfficer.name) disburses \(result.instruction.amount)\(part) to \(compact.prefix(4))…\(compact.suffix(4)) → \(try await state(exchange))")
    }

    /// Exports the pending instructions as one pain.001 file, lets the bank answer with a
    /// pain.002 file, and reconciles it as `payments reconcile` does.
    private func payPendingInstructions(bank: DemoBank, file: Int) async throws {
        let payments = folder.appendingPathComponent("payments-\(runID)-\(file).pain001.xml")
        // Delivered as `payments export --output` does: written after the file is stored, then recorded delivered.
        guard let exported = try await PaymentExport(client: engine.client, logger: logger)
            .export(fund: DemoCommand.fundID, by: financeOfficer.handle, deliver: { try Data($0.xml.utf8).write(to: payments) }) else { return }
        let total = exported.batch.payments.count
        print("  pain.001 batch \(exported.batch.messageID): \(total) payment\(total == 1 ? "" : "s"), control sum \(PaymentBatch.controlSum(exported.batch.payments.map(\.amount)))")
        print("    → \(payments.path)")
        let answer = bank.statusReport(for: exported.batch, at: Date())
        let status = folder.appendingPathComponent("bank-status-\(runID)-\(file).pain002.xml")
        try Data(answer.xml.utf8).write(to: status)
        print("  the bank (played by the demo) answers: \(total - answer.rejected) settled, \(answer.rejected) rejected → \(status.path)")
        let report = try Pain002Reader.read(Array(try Data(contentsOf: status)))
        let changes = try await Reconciler(engine: engine, logger: logger).apply(report, by: financeOfficer.handle)
        let grants = try await GrantQueries(client: engine.client, logger: logger).list()
        let exchangeOfGrant = Dictionary(grants.compactMap { grant in grant.instanceID.map { (grant.id, $0) } }, uniquingKeysWith: { first, _ in first })
        let exchangeOfPayment = Dictionary(exported.batch.payments.map { ($0.id, exchangeOfGrant[$0.grantID]) }, uniquingKeysWith: { first, _ in first })
        for change in changes {
            let exchange = tracked.first { $0.id == exchangeOfPayment[change.instructionID] ?? nil }
            print("  \(exchange?.label ?? "[?]") \(change.endToEndID): \(change.from.rawValue) → \(change.to.rawValue)\(change.event.map { ", fires \($0)" } ?? "")")
        }
    }

    // MARK: - Looking things up

    private func fire(_ exchange: Tracked, _ event: String, as person: DemoPerson) async throws {
        let outcome = try await engine.fire(FireRequest(instanceID: exchange.id, event: event, actor: try cast.engineActor(person)))
        guard outcome.status == .applied else {
            throw CLIFailure("the demo's step \(event) on \(exchange.label) was refused: \(outcome.message)", status: .failure)
        }
    }

    private func state(_ exchange: Tracked) async throws -> String {
        try await engine.instance(exchange.id).state
    }

    private func trackedIn(_ state: String) async throws -> [Tracked] {
        var found: [Tracked] = []
        for exchange in tracked where try await self.state(exchange) == state { found.append(exchange) }
        return found
    }

    /// The exchange's grant waiting for votes.
    private func openGrant(of exchange: Tracked) async throws -> Grant {
        try await grant(of: exchange, status: .requested)
    }

    private func grant(of exchange: Tracked, status: Grant.Status) async throws -> Grant {
        guard let grant = try await latestGrant(of: exchange, status: status) else {
            throw CLIFailure("the demo's exchange \(exchange.label) has no \(status.rawValue) grant", status: .failure)
        }
        return grant
    }

    /// The exchange's latest grant in `status`, if it has one.
    private func latestGrant(of exchange: Tracked, status: Grant.Status) async throws -> Grant? {
        try await GrantQueries(client: engine.client, logger: logger).list().last { $0.instanceID == exchange.id && $0.status == status }
    }

    private func say(_ exchange: Tracked, _ line: String) {
        print("  \(exchange.label) \(line)")
    }

    private func section(_ title: String) {
        print("\n» \(title)")
    }

    private func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}
