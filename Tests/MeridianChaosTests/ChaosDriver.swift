import Foundation
import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianWorkflow
import PostgresNIO

/// Takes the exchanges of a chaos run from request to closed the way their people would:
/// each looks at where her exchange stands and takes the next step, through the same library
/// calls the commands use, each with an idempotency key of its own. A call that fails (the
/// server was killed under it) or hangs is tried again after reading the state afresh — a
/// retry must never do anything twice, which the checks afterwards verify.
struct ChaosDriver: Sendable {
    let engine: WorkflowEngine
    let bank: ChaosBank
    let progress: ChaosProgress
    let logger: Logger
    /// Makes this run's keys its own.
    let runID: String
    /// The program manager's desk decisions go through `meridian serve` when set (the server
    /// the monkey kills mid-request); through the library calls otherwise.
    var api: ChaosAPI?

    var exchanges: Exchanges { Exchanges(engine: engine, logger: logger) }

    /// The key exchange `index` is filed with.
    func filingKey(_ index: Int) -> String { "chaos-\(runID)-\(index)" }

    /// Drives exchange `index` until it is closed and its closing tasks are done, or until
    /// `deadline`; returns its id when it was filed.
    func drive(_ index: Int, until deadline: ContinuousClock.Instant) async -> UUID? {
        var id: UUID?
        var pause = 50
        while ContinuousClock.now < deadline, !Task.isCancelled {
            do {
                if let known = id {
                    let step = try await withTimeout(30) { try await advance(index, known) }
                    switch step {
                    case .done: return known
                    case .acted: await progress.acted(); pause = 50
                    case .waiting: pause = 100
                    }
                } else {
                    let key = filingKey(index)
                    id = try await withTimeout(30) {
                        try await exchanges.file(ChaosScenario.request(index), by: ChaosScenario.official(index), key: key).exchangeID
                    }
                    await progress.acted()
                }
            } catch {
                await progress.failed(index, error)
                pause = min(pause * 2, 1_000)
            }
            try? await Task.sleep(for: .milliseconds(pause))
        }
        return id
    }

    enum Step { case acted, waiting, done }

    /// Takes the next step of exchange `id`, according to its state.
    private func advance(_ index: Int, _ id: UUID) async throws -> Step {
        let official = ChaosScenario.official(index)
        let key = { (step: String) in "chaos-\(runID)-\(index)-\(step)" }
        let state = try await engine.instance(id).state
        switch state {
        case "submitted":
            if let api { return try await api.post("exchanges/\(id)/screening", key: key("screen")).step }
            return try await fire(id, "start-screening", key: key("screen"))
        case "screening":
            if let api { return try await api.post("exchanges/\(id)/decisions", body: #"{"verb":"approve"}"#, key: key("accept")).step }
            return try await fire(id, "accept", key: key("accept"))
        case "matching", "payment-pending":
            return .waiting  // a worker's task, or the bank
        case "match-review":
            if let api { return try await api.post("exchanges/\(id)/decisions", body: #"{"verb":"approve"}"#, key: key("approve-matches")).step }
            return try await fire(id, "approve-matches", key: key("approve-matches"))
        case "partner-selection":
            guard let partner = try await exchanges.matches(id, for: ChaosScenario.manager)?.matches.first else {
                throw ChaosFailure("exchange \(index) has no match to choose from")
            }
            _ = try await exchanges.selectPartner(partner.countryCode, exchange: id, by: official, key: key("select"))
            return .acted
        case "partner-confirmation":
            guard let partner = try await exchanges.show(id, for: ChaosScenario.manager).currentPartner?.country else {
                throw ChaosFailure("exchange \(index) awaits a partner's confirmation but has no partner")
            }
            _ = try await exchanges.confirmPartnership(exchange: id, by: ChaosScenario.partnerOfficial(partner), key: key("confirm"))
            return .acted
        case "planning":
            if try await exchanges.plans(exchange: id, for: official).isEmpty {
                let partner = try await exchanges.show(id, for: ChaosScenario.manager).currentPartner?.country ?? "RWA"
                _ = try await exchanges.importPlan(ChaosScenario.plan(requesting: official.country ?? "", partner: partner), exchange: id, by: official)
            }
            _ = try await exchanges.submitPlan(exchange: id, by: official, key: key("submit-plan"))
            return .acted
        case "funding-review":
            guard let grant = try await grant(of: id, .requested) else { return .waiting }
            let outcome = try await GrantDecisions(engine: engine, logger: logger)
                .decide(grant, approve: true, actor: ChaosScenario.approver, comment: nil, idempotencyKey: key("approve-grant"))
            return outcome.status == .applied ? .acted : .waiting
        case "disbursement":
            guard let grant = try await grant(of: id, .committed) else { return .waiting }
            _ = try await Disbursements(engine: engine, logger: logger).disburse(DisbursementRequest(
                grantID: grant.id, beneficiary: "Ministry (chaos example account)", account: try BankAccount.iban(ChaosScenario.beneficiaryIBAN),
                actor: ChaosScenario.financeOfficer, idempotencyKey: key("disburse")))
            return .acted
        case "implementation":
            let partner = try await exchanges.show(id, for: ChaosScenario.manager).currentPartner?.country ?? "the partner"
            _ = try await exchanges.submitReport(ChaosScenario.report(partner: partner), exchange: id, by: official, key: key("report"))
            return .acted
        case "results-review":
            if let api {
                return try await api.post("exchanges/\(id)/reports/review", body: #"{"decision":"accept","comment":"Clear results"}"#, key: key("review")).step
            }
            _ = try await exchanges.review(.accept, comment: "Clear results", exchange: id, by: ChaosScenario.manager, key: key("review"))
            return .acted
        case "closed":
            let view = try await exchanges.show(id, for: ChaosScenario.manager)
            return view.publishedExperienceID != nil && view.archivedAt != nil ? .done : .waiting
        default:
            throw ChaosFailure("exchange \(index) is in the unexpected state \(state)")
        }
    }

    private func fire(_ id: UUID, _ event: String, key: String) async throws -> Step {
        let outcome = try await engine.fire(FireRequest(instanceID: id, event: event, actor: ChaosScenario.managerInEngine, idempotencyKey: key))
        return outcome.status == .applied ? .acted : .waiting
    }

    private func grant(of id: UUID, _ status: Grant.Status) async throws -> Grant? {
        try await GrantQueries(client: engine.client, logger: logger).list(fund: ChaosScenario.fundID)
            .last { $0.instanceID == id && $0.status == status }
    }

    /// The bank's side, until `stop` says the exchanges are done: exports the pending
    /// payments (the file goes to the bank as it is written) and reconciles the bank's
    /// answer to every file, as `payments export` and `payments reconcile` do.
    func runBank(until stop: @escaping @Sendable () async -> Bool) async {
        let export = PaymentExport(client: engine.client, logger: logger)
        let reconciler = Reconciler(engine: engine, logger: logger)
        let bank = self.bank
        while !Task.isCancelled, await !stop() {
            do {
                _ = try await withTimeout(30) { try await export.export(fund: ChaosScenario.fundID) { bank.receive($0.batch) } }
                for (messageID, xml) in bank.unansweredReports() {
                    let report = try Pain002Reader.read(Array(xml.utf8))
                    _ = try await withTimeout(30) { try await reconciler.apply(report, by: "chaos-bank") }
                    bank.answered(messageID)
                }
            } catch {
                await progress.failed(-1, error)
            }
            try? await Task.sleep(for: .milliseconds(300))
        }
    }
}

extension Int {
    /// What an HTTP status means for the driver: acted, or (409) the state moved on under it.
    fileprivate var step: ChaosDriver.Step { self == 409 ? .waiting : .acted }
}

/// What the driver has done so far, for the monkey's timing and the final report.
actor ChaosProgress {
    private(set) var actions = 0
    private(set) var failures = 0
    /// The last failure of each exchange (-1: the bank), to explain a lost one.
    private(set) var lastFailure: [Int: String] = [:]

    func acted() { actions += 1 }

    func failed(_ index: Int, _ error: any Error) {
        failures += 1
        lastFailure[index] = String(describing: error).prefix(300).description
    }
}
