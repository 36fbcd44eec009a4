import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO

/// The funding tasks of the shipped workflows: the exchange (Workflows/knowledge-exchange.xml)
/// and the standalone grant (Workflows/grant.xml, whose grant is filed by `commit-funds`).
///
/// Four run **in the step** that enters them, so the money moves in the same transaction as
/// the decision, or the decision is refused with the reason and nothing changes:
/// - `create-grant-request` (on `submit-plan`): files the grant from the context's
///   `amounts.grant`, the country's `co_financing`, the `fund` and `instalments`;
/// - `commit-funds` (on `grant-approved`, the vote that reaches the quorum): commits the
///   amount, refused when the fund lacks it or an approver filed the request or wrote the plan;
/// - `release-commitment` (on `payment-held`): returns the commitment to available;
/// - `cancel-grant` (entry of `cancelled`): an open grant's unpaid commitment goes back to the fund;
/// - `export-payment-instruction` (on `disbursed`): releases the instruction that
///   `meridian disburse` prepared in the same transaction (committed → in-payment, pending).
///
/// `reconcile-bank-status` is **queued** (entry of `payment-pending`): reconciliation fires
/// the payment events itself, in the transaction that records the bank's answer; this task is
/// the safety net. It fires the event when the instruction's status is already known but the
/// instance still waits (the event was not taken then), finishes quietly when the instance
/// has moved on, and otherwise fails the attempt ("no status from the bank yet"), so the
/// queue retries with backoff and, after the definition's 10 attempts, opens an incident
/// that tells an operator the bank never answered.
public enum FundingTasks {
    public static let inStepNames = ["create-grant-request", "commit-funds", "release-commitment", "export-payment-instruction", "cancel-grant"]
    public static let queuedNames = ["reconcile-bank-status"]

    public static func register(into tasks: inout TaskHandlers, client: PostgresClient, logger: Logger) {
        tasks.registerInStep("create-grant-request") { input, connection, logger in
            let request = try await GrantContext.request(from: input, on: connection, logger: logger)
            try await GrantStore.request(request, on: connection, logger: logger)
        }
        tasks.registerInStep("commit-funds") { input, connection, logger in
            // The standalone `grant` workflow has no request step: its grant is filed from the
            // context when it is approved.
            if try await GrantStore.grants(where: .instance(input.instanceID), on: connection, logger: logger).isEmpty {
                try await GrantStore.request(try await GrantContext.request(from: input, on: connection, logger: logger), on: connection, logger: logger)
            }
            let duties = try await GrantDuties.read(instance: input.instanceID, on: connection, logger: logger)
            var approvers = duties.currentGrantApprovers
            if input.actor.kind == .person { approvers.insert(input.actor.id) }
            try await GrantStore.commit(instance: input.instanceID, approvers: approvers, actorID: input.actor.id, at: input.occurredAt,
                                       on: connection, logger: logger)
        }
        tasks.registerInStep("cancel-grant") { input, connection, logger in
            // An exchange cancelled with its grant still open: what is committed and not yet
            // paid (a requested grant, or the instalments after results) goes back to the fund.
            let open = try await GrantStore.grants(where: .instance(input.instanceID), on: connection, logger: logger)
                .filter { $0.status == .requested || $0.status == .committed }
            guard !open.isEmpty else { return }
            try await GrantStore.release(instance: input.instanceID, to: .cancelled, actorID: input.actor.id,
                                         reason: "exchange cancelled by \(input.actor.id)", at: input.occurredAt, on: connection, logger: logger)
        }
        tasks.registerInStep("release-commitment") { input, connection, logger in
            try await GrantStore.release(instance: input.instanceID, to: .released, actorID: input.actor.id,
                                         reason: "payment held by \(input.actor.id)", at: input.occurredAt, on: connection, logger: logger)
        }
        tasks.registerInStep("export-payment-instruction") { input, connection, logger in
            let grant = try await GrantStore.locked(instance: input.instanceID, on: connection, logger: logger)
            try await PaymentStore.release(grant: grant.id, actorID: input.actor.id, at: input.occurredAt, on: connection, logger: logger)
        }
        tasks.register("reconcile-bank-status") { input, logger in
            try await reconcileBankStatus(input, client: client, logger: logger)
        }
    }

    static func reconcileBankStatus(_ input: TaskInput, client: PostgresClient, logger: Logger) async throws -> TaskResult {
        // The instance left the state that waits for the bank: reconciliation already moved it.
        guard input.currentState == input.taskState else { return .done }
        let grants = try await GrantStore.grants(where: .instance(input.instanceID), on: client, logger: logger)
        guard let grant = grants.first else {
            throw FundingError(.notFound, "the exchange \(input.instanceID.short) is waiting for a payment but has no grant")
        }
        let instructions = try await PaymentStore.list(grant: grant.id, client: client, logger: logger).filter { $0.instalment == 1 }
        guard let latest = instructions.last else {
            throw FundingError(.notFound, "the grant \(grant.id.short) has no payment instruction for its first instalment")
        }
        switch latest.status {
        case .paid: return .fire("payment-confirmed", data: ["end_to_end_id": .string(latest.endToEndID)])
        case .failed: return .fire("payment-failed", data: ["end_to_end_id": .string(latest.endToEndID)])
        case .prepared, .pending, .exported:
            throw FundingError(.conflict, "no status from the bank yet for payment \(latest.endToEndID) (\(latest.status.rawValue))",
                               hint: "import the bank's pain.002 with `meridian payments reconcile FILE`, or `meridian payments mark`")
        }
    }
}
