import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianQueue
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("The reconcile-bank-status task")
struct ReconcileTaskTests {
    /// Claims and runs the due `reconcile-bank-status` jobs once, as a worker would; returns whether each succeeded.
    private func runReconcileJobs(_ fixture: FundingFixture) async throws -> [Bool] {
        let store = QueueStore(logger: fixture.logger)
        let queue = QueueName(WorkflowEngine.defaultQueue)
        let kind = JobKind("workflow-task:reconcile-bank-status")
        let handlers = fixture.engine.jobHandlers()
        _ = try await store.promoteDue(queue: queue, on: fixture.client)
        let jobs = try await store.claim(queue: queue, limit: 10, kinds: [kind], leaseMilliseconds: 60_000, workerID: "test", on: fixture.client)
        var results: [Bool] = []
        for job in jobs {
            let handler = try #require(handlers.handler(for: job.kind))
            do {
                try await handler.handle(job, logger: fixture.logger)
                _ = try await store.complete([job.lease], on: fixture.client)
                results.append(true)
            } catch {
                _ = try await store.fail([Failure(lease: job.lease, message: String(describing: error), retryDelayMilliseconds: 0)], on: fixture.client)
                results.append(false)
            }
        }
        return results
    }

    @Test("fails the attempt while the bank has not answered; fires the event when the status is known but was not taken")
    func safetyNet() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            let exchange = try await fixture.exchangeInFundingReview(grant: 100_000)
            _ = try await fixture.engine.fire(.init(instanceID: exchange, event: "approve-grant", actor: FundingFixture.approver("fa1")))
            let grant = try await fixture.grant(of: exchange)
            let result = try await Disbursements(engine: fixture.engine, logger: fixture.logger).disburse(DisbursementRequest(
                grantID: grant.id, beneficiary: "Ministry of Water", account: try BankAccount.iban("GB82WEST12345698765432"), actor: FundingFixture.finance("fo1")))
            #expect(try await runReconcileJobs(fixture) == [false])
            #expect(try await fixture.state(exchange) == "payment-pending")
            // The bank's answer was recorded but its event never taken (as after a definition change): the retry fires it.
            try await fixture.client.query("UPDATE funding_payment_instructions SET status = 'paid' WHERE id = \(result.instruction.id)", logger: fixture.logger)
            #expect(try await runReconcileJobs(fixture) == [true])
            #expect(try await fixture.state(exchange) == "implementation")
        }
    }
}
