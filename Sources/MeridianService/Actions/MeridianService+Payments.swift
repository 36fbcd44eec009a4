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

    /// One pain.001 file delivered: a file stored earlier whose delivery was never recorded
    /// (again, with the same MsgId), or else a new file of every pending instruction. `deliver`
    /// sends it after it is stored and its instructions marked exported; should it fail, the
    /// next export delivers the same file again. `nil` when there is nothing to deliver.
    public func exportPayments(execution: CalendarDay?, by caller: Caller,
                               deliver: (PaymentExport.Exported) async throws -> Void = { _ in }) async throws -> PaymentExport.Exported? {
        try caller.require(anyOf: [.financeOfficer], to: "exporting payment files")
        return try await PaymentExport(client: client, logger: logger).export(execution: execution, by: caller.handle, deliver: deliver)
    }

    /// The payment files Meridian stored, newest first (only those in `state` when given).
    public func paymentFiles(state: PaymentFile.State? = nil, by caller: Caller) async throws -> [PaymentFile] {
        try caller.require(anyOf: [.financeOfficer], to: "reading payment files")
        return try await PaymentFileStore.list(state: state, client: client, logger: logger)
    }

    /// One stored payment file and its bytes, exactly as delivered (fetching it records no delivery).
    public func paymentFile(_ messageID: String, by caller: Caller) async throws -> (file: PaymentFile, xml: String) {
        try caller.require(anyOf: [.financeOfficer], to: "reading payment files")
        return try await PaymentFileStore.find(messageID, client: client, logger: logger)
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
