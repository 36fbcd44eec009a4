import Foundation
import MeridianEngine
import MeridianFunding
import MeridianIdentity

/// Disbursement and the bank's files: the finance officers' work.
///
/// Every action here needs the finance-officer role; reading the instructions (with their
/// beneficiaries and accounts) needs a role that reads bank details.
extension MeridianService {
    /// Payment instructions, oldest first, of one status when given.
    public func payments(status: PaymentInstruction.Status? = nil, by caller: Caller) async throws -> [PaymentInstruction] {
        try caller.require(anyOf: Self.bankDetailReaders, to: "reading payment instructions")
        return try await PaymentStore.list(status: status, client: client, logger: logger)
    }

    /// Disburses one instalment of a grant to a beneficiary's account (a finance officer who
    /// approved nothing on it; the engine and the funding rules check that).
    public func disburse(grant text: String, instalment: Int, beneficiary: String, account: BankAccount, reference: String?,
                         key: String?, by caller: Caller) async throws -> Disbursements.Result {
        try caller.require(anyOf: [.financeOfficer], to: "disbursing")
        let grant = try await GrantQueries(client: client, logger: logger).find(text)
        return try await Disbursements(engine: engine, logger: logger).disburse(DisbursementRequest(
            grantID: grant.id, instalment: instalment, beneficiary: beneficiary, account: account, reference: reference,
            actor: caller.workflowActor, idempotencyKey: key))
    }

    /// Every pending instruction as one pain.001 file; `deliver` writes it before the
    /// instructions count as exported. `nil` when nothing is pending.
    public func exportPayments(execution: CalendarDay?, by caller: Caller,
                               deliver: (PaymentExport.Exported) throws -> Void = { _ in }) async throws -> PaymentExport.Exported? {
        try caller.require(anyOf: [.financeOfficer], to: "exporting payment files")
        return try await PaymentExport(client: client, logger: logger).export(execution: execution, deliver: deliver)
    }

    /// Applies a bank's pain.002 status report, all or nothing.
    public func reconcile(_ report: Pain002Reader.Report, by caller: Caller) async throws -> [Reconciler.Change] {
        try caller.require(anyOf: [.financeOfficer], to: "reconciling payments")
        return try await Reconciler(engine: engine, logger: logger).apply(report, by: caller.handle)
    }

    /// Marks one exported instruction paid or failed by hand, with the reason; refused to the
    /// finance officer who disbursed it unless the fund's policy allows it (the funding module
    /// checks both, see ``Reconciler/mark(_:_:reason:by:)``).
    public func markPayment(_ instruction: String, _ mark: Reconciler.Mark, reason: String, by caller: Caller) async throws -> Reconciler.Change {
        try caller.require(anyOf: [.financeOfficer], to: "marking payments")
        return try await Reconciler(engine: engine, logger: logger).mark(instruction, mark, reason: reason, by: caller.handle)
    }
}
