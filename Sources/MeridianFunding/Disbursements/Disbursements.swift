import MeridianCodes
import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

/// Pays a grant's instalments: writes the payment instruction and moves the money from
/// committed to in-payment, in one transaction with the workflow step when there is one.
///
/// The first instalment is the exchange's `disburse` approval: the instruction is written
/// `prepared`, the event is fired on the same connection, and the in-step task
/// `export-payment-instruction` releases it (ledger and status) — if the engine refuses the
/// vote (wrong role, separation of duties, wrong state) everything rolls back. Later
/// instalments (paid after results) happen outside the workflow's approval states, so this
/// type checks the same rules itself: a finance officer who neither filed the request, nor
/// wrote the plan, nor voted to approve the grant.
public struct Disbursements: Sendable {
    public let engine: WorkflowEngine
    public let logger: Logger

    public init(engine: WorkflowEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    /// The instruction written (or found, for a retry) and whether it was a retry.
    public struct Result: Sendable, Hashable {
        public var instruction: PaymentInstruction
        public var replayed: Bool
    }

    /// The states of an exchange whose results report is in: later instalments may be paid.
    static let resultsReported: Set<String> = ["results-review", "closed"]

    public func disburse(_ request: DisbursementRequest) async throws -> Result {
        guard request.actor.kind == .person, request.actor.roles.contains(FundingRoles.financeOfficer) else {
            throw FundingError(.permission, "disbursing needs the role \(FundingRoles.financeOfficer); \(request.actor.id) does not hold it")
        }
        let beneficiary = InputText.trimmingSpaces(request.beneficiary)
        guard (1...140).contains(beneficiary.count) else {
            throw FundingError(.invalidInput, "the beneficiary institution's name must have 1 to 140 characters")
        }
        // Without a key, a retry is recognised by the instalment's live instruction (below, under
        // the grant's row lock); the stored key is then unique to this instruction, so paying
        // again after a failed payment makes a new instruction instead of returning the failed one.
        let key = request.idempotencyKey ?? "disburse:\(request.grantID.uuidString.lowercased()):\(request.instalment):\(UUID().uuidString.lowercased())"
        let logger = self.logger
        let engine = self.engine
        return try await engine.client.transaction(logger: logger) { connection in
            if request.idempotencyKey != nil, let existing = try await PaymentStore.instruction(idempotencyKey: key, on: connection, logger: logger) {
                guard existing.grantID == request.grantID, existing.instalment == request.instalment else {
                    throw FundingError(.conflict, "the key \(key) was used for another disbursement", hint: "use a new key")
                }
                return Result(instruction: existing, replayed: true)
            }
            // Locks in the engine's order — the exchange's instance first, then its grant — as
            // every step that touches a grant does (`hold-payment` → `release-commitment`), so
            // two finance officers acting at once wait for each other instead of deadlocking.
            _ = try await connection.query("""
                SELECT i.id FROM engine_instances i JOIN funding_grants g ON g.instance_id = i.id
                WHERE g.id = \(request.grantID) FOR UPDATE OF i
                """, logger: logger).collect()
            let grantRows = try await connection.query("SELECT instance_id FROM funding_grants WHERE id = \(request.grantID) FOR UPDATE",
                                                       logger: logger).collect()
            guard !grantRows.isEmpty else { throw FundingError(.notFound, "no grant has the id \(request.grantID.short)", hint: "see meridian grant list") }
            let grant = try await GrantStore.grant(request.grantID, on: connection, logger: logger)
            if let live = try await PaymentStore.liveInstruction(grant: grant.id, instalment: request.instalment, on: connection, logger: logger) {
                // A retry with another key: the instalment is already on its way, never pay it twice.
                return Result(instruction: live, replayed: true)
            }
            guard grant.status == .committed else {
                throw FundingError(.conflict, "the grant \(grant.id.short) is \(grant.status.rawValue); only a committed grant is disbursed")
            }
            let amounts = grant.instalmentAmounts
            guard (1...amounts.count).contains(request.instalment) else {
                throw FundingError(.invalidInput, "the grant \(grant.id.short) has \(amounts.count) instalment(s), not \(request.instalment)")
            }
            if let instance = grant.instanceID {
                let duties = try await GrantDuties.read(instance: instance, on: connection, logger: logger)
                if duties.barredFromDisbursing.contains(request.actor.id) {
                    let why = duties.grantApprovers.contains(request.actor.id) ? "voted to approve the grant"
                        : duties.planAuthors.contains(request.actor.id) ? "submitted the plan" : "filed the exchange request"
                    throw FundingError(.refused, "\(request.actor.id) \(why) and so may not disburse it (separation of duties)",
                                       hint: "another finance officer must disburse")
                }
            }
            if request.instalment > 1 {
                let unpaid = try await PaymentStore.unpaidEarlierInstalments(grant: grant.id, before: request.instalment, on: connection, logger: logger)
                guard unpaid.isEmpty else {
                    throw FundingError(.refused, "instalment \(request.instalment) follows instalment(s) \(unpaid.map(String.init).joined(separator: ", ")), not yet paid",
                                       hint: "pay the instalments in order")
                }
                // The instalments after the first are paid after results: once the exchange's
                // results report is in (under review, or accepted and the exchange closed).
                if let instance = grant.instanceID {
                    let rows = try await connection.query("SELECT workflow_id, state FROM engine_instances WHERE id = \(instance)", logger: logger).collect()
                    if let row = rows.first {
                        let (workflow, state) = try row.decode((String, String).self)
                        if workflow == "knowledge-exchange", !Self.resultsReported.contains(state) {
                            throw FundingError(.refused, "instalment \(request.instalment) is paid after results, and the exchange is in \(state)",
                                               hint: "disburse it once the official has submitted the results report")
                        }
                    }
                }
            }
            let id = UUID()
            let now = engine.now()
            let instruction = PaymentInstruction(
                id: id, endToEndID: PaymentInstruction.endToEndID(for: id), grantID: grant.id, fundID: grant.fundID,
                instalment: request.instalment, beneficiary: beneficiary, account: request.account, amount: amounts[request.instalment - 1],
                reference: request.reference ?? "Meridian grant \(grant.id.short) instalment \(request.instalment) of \(amounts.count)",
                status: .prepared, failureReason: nil, messageID: nil, disbursedBy: request.actor.id, createdAt: now, updatedAt: now)
            try await PaymentStore.insert(instruction, idempotencyKey: key, on: connection, logger: logger)
            if request.instalment == 1, let instance = grant.instanceID {
                let outcome = try await engine.fire(FireRequest(instanceID: instance, event: "disburse", actor: request.actor,
                                                                idempotencyKey: key), on: connection)
                guard outcome.status == .applied else {
                    throw FundingError(.refused, "the exchange refused the disbursement: \(outcome.message)")
                }
            } else {
                try await PaymentStore.release(grant: grant.id, actorID: request.actor.id, at: now, on: connection, logger: logger)
            }
            guard let stored = try await PaymentStore.instruction(idempotencyKey: key, on: connection, logger: logger), stored.status == .pending else {
                throw FundingError(.conflict, "the exchange's disbursement step did not release the payment instruction",
                                   hint: "check that the definition runs export-payment-instruction on 'disbursed'")
            }
            return Result(instruction: stored, replayed: false)
        }
    }
}

/// The role names the funding rules check (the identity module's `Role` raw values).
public enum FundingRoles {
    public static let fundApprover = "fund-approver"
    public static let financeOfficer = "finance-officer"
    public static let admin = "admin"
}
