import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

/// Applies what the bank reported (a pain.002 file, or a person's `payments mark`).
///
/// For each instruction, in one transaction with the ledger movement: paid moves the money
/// from in-payment to disbursed; failed moves it back to committed (the grant still owes it)
/// and records the reason. For the exchange's first instalment the same transaction fires
/// `payment-confirmed` or `payment-failed` on the instance, so a failure puts the
/// disbursement back in the finance officers' inbox (the instance returns to
/// `disbursement`, whose approval starts with fresh votes). A whole file is one transaction:
/// one unknown end-to-end id or contradiction and nothing of it is applied — also a payment
/// never exported, or exported in another file than the one the report answers (`OrgnlMsgId`).
public struct Reconciler: Sendable {
    public let engine: WorkflowEngine
    public let logger: Logger

    public init(engine: WorkflowEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    public enum Mark: Sendable, Hashable {
        case paid
        case failed(reason: String)
    }

    /// What reconciliation did to one instruction.
    public struct Change: Sendable, Hashable {
        public var instructionID: UUID
        public var endToEndID: String
        public var from: PaymentInstruction.Status
        public var to: PaymentInstruction.Status
        /// The event fired on the exchange, if any, and what the engine said.
        public var event: String?
        public var note: String
    }

    /// Applies a status report; `who` is the person importing it (kept in the history as `reconcile:WHO`).
    public func apply(_ report: Pain002Reader.Report, by who: String) async throws -> [Change] {
        let logger = self.logger
        return try await engine.client.transaction(logger: logger) { connection in
            var marks: [(PaymentInstruction, Mark?, String)] = []
            if report.transactions.isEmpty {
                guard Pain002Reader.outcome(of: report.groupStatus ?? "") == .failed else { return [] }
                let all = try await PaymentStore.select("WHERE message_id = \(report.originalMessageID) FOR UPDATE", on: connection, logger: logger)
                guard !all.isEmpty else {
                    throw FundingError(.notFound, "no exported payment belongs to the message \(report.originalMessageID)")
                }
                let reason = "the bank rejected file \(report.originalMessageID)\(report.groupReason.map { " (\($0))" } ?? "")"
                marks = all.map { ($0, Optional(Mark.failed(reason: reason)), report.groupStatus ?? "RJCT") }
            } else {
                for transaction in report.transactions {
                    guard let instruction = try await PaymentStore.select("WHERE end_to_end_id = \(transaction.endToEndID) FOR UPDATE",
                                                                          on: connection, logger: logger).first else {
                        throw FundingError(.notFound, "the report names the end-to-end id \(transaction.endToEndID), which no payment instruction has",
                                           hint: "check the file belongs to this Meridian; nothing was applied")
                    }
                    try Self.requireSent(instruction, answering: report.originalMessageID)
                    let mark: Mark? = switch Pain002Reader.outcome(of: transaction.status) {
                    case .paid: .paid
                    case .failed: .failed(reason: [transaction.reasonCode, transaction.reasonText].compactMap { $0 }.filter { !$0.isEmpty }
                                                .joined(separator: ": ").nonEmpty ?? "rejected by the bank")
                    case .pending: nil
                    }
                    marks.append((instruction, mark, transaction.status))
                }
            }
            var changes: [Change] = []
            for (instruction, mark, status) in marks {
                guard let mark else {
                    changes.append(Change(instructionID: instruction.id, endToEndID: instruction.endToEndID, from: instruction.status,
                                          to: instruction.status, event: nil, note: "bank status \(status): not final, nothing changed"))
                    continue
                }
                changes.append(try await apply(mark, to: instruction, by: who, on: connection))
            }
            return changes
        }
    }

    /// Marks one instruction paid or failed by hand (a bank's letter, a phone call).
    ///
    /// Only an instruction that went to the bank — exported in a pain.001 file — can be
    /// marked: a pending one was never sent, and marking it paid would count money as
    /// disbursed that no beneficiary received. The person gives a reason (kept on the
    /// instruction with her id), and she is not the finance officer who disbursed the payment
    /// — a second person confirms what the bank did — unless the fund's policy allows it
    /// (``Fund/allowsSelfConfirmation``). A refusal changes nothing.
    public func mark(_ text: String, _ mark: Mark, reason: String, by who: String) async throws -> Change {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw FundingError(.invalidInput, "marking a payment by hand needs a reason of 1 to 500 characters",
                               hint: "say what the bank reported, such as --reason \"bank letter of 2026-12-01\"")
        }
        let instruction = try await PaymentStore.find(text, client: engine.client, logger: logger)
        let logger = self.logger
        return try await engine.client.transaction(logger: logger) { connection in
            guard let locked = try await PaymentStore.select("WHERE id = \(instruction.id) FOR UPDATE", on: connection, logger: logger).first else {
                throw FundingError(.notFound, "the payment instruction \(instruction.id.short) disappeared")
            }
            let target: PaymentInstruction.Status = mark == .paid ? .paid : .failed
            if locked.status == .prepared || locked.status == .pending {
                throw FundingError(.conflict, "the payment \(locked.endToEndID) is \(locked.status.rawValue): it was never exported in a pain.001 file, "
                                   + "so the bank cannot have \(target == .paid ? "paid" : "refused") it; nothing changed",
                                   hint: "export it with `meridian payments export`, send the file to the bank, then mark what the bank did")
            }
            if locked.disbursedBy == who, locked.status != target {
                guard let fund = try await FundStore.funds(where: locked.fundID, on: connection, logger: logger).first else {
                    throw FundingError(.notFound, "no fund has the id '\(locked.fundID)'")
                }
                guard fund.allowsSelfConfirmation else {
                    throw FundingError(.permission, "\(who) disbursed the payment \(locked.endToEndID) and so may not also confirm it (a second person confirms); nothing changed",
                                       hint: "another finance officer marks it, or the fund is created with --allow-self-confirmation")
                }
            }
            let applied: Mark = target == .paid ? .paid : .failed(reason: reason)
            let change = try await apply(applied, to: locked, by: who, on: connection)
            if change.from != change.to {
                try await connection.query("""
                    UPDATE funding_payment_instructions SET marked_by = \(who), mark_reason = \(reason) WHERE id = \(locked.id)
                    """, logger: logger)
            }
            return change
        }
    }

    /// Refuses a report line about a payment the bank cannot have received in the file the
    /// report answers: one never exported (still prepared or pending), or one that went in
    /// another file. Either means the report is not about what Meridian sent — a wrong file,
    /// or a report of another system — and the whole report is refused.
    static func requireSent(_ instruction: PaymentInstruction, answering original: String) throws {
        if instruction.status == .prepared || instruction.status == .pending {
            throw FundingError(.conflict, "the report names the payment \(instruction.endToEndID), which is \(instruction.status.rawValue): "
                               + "it was never exported in a pain.001 file, so the bank cannot have received it; nothing of the report was applied",
                               hint: "check the report belongs to a file from `meridian payments files`")
        }
        guard instruction.messageID == original else {
            throw FundingError(.conflict, "the report answers the file \(original), but the payment \(instruction.endToEndID) went to the bank "
                               + (instruction.messageID.map { "in the file \($0)" } ?? "in no file Meridian recorded") + "; nothing of the report was applied",
                               hint: "ask the bank for the report of the file that carried it (OrgnlMsgId must be its message id)")
        }
    }

    private func apply(_ mark: Mark, to instruction: PaymentInstruction, by who: String, on connection: PostgresConnection) async throws -> Change {
        let target: PaymentInstruction.Status = mark == .paid ? .paid : .failed
        var change = Change(instructionID: instruction.id, endToEndID: instruction.endToEndID, from: instruction.status, to: target, event: nil, note: "")
        if instruction.status == target {
            change.note = "already \(target.rawValue), nothing changed"
            return change
        }
        guard instruction.status == .exported else {
            throw FundingError(.conflict, "the payment \(instruction.endToEndID) is \(instruction.status.rawValue); it cannot become \(target.rawValue)",
                               hint: "a payment is reconciled once; nothing was applied")
        }
        let id = instruction.id.uuidString.lowercased()
        var reason: String?
        if case .failed(let text) = mark { reason = text }
        try await Ledger.post(Posting(fundID: instruction.fundID, kind: target == .paid ? .paymentPaid : .paymentFailed, amount: instruction.amount,
                                      valueDate: CalendarDay(engine.now()), reference: instruction.endToEndID, actorID: "reconcile:\(who)",
                                      grantID: instruction.grantID, idempotencyKey: "\(target.rawValue):\(id)"), on: connection, logger: logger)
        try await connection.query("""
            UPDATE funding_payment_instructions SET status = \(target.rawValue), failure_reason = \(reason), updated_at = now()
            WHERE id = \(instruction.id)
            """, logger: logger)
        let grant = try await GrantStore.grant(instruction.grantID, on: connection, logger: logger)
        if target == .paid {
            let paid = try await PaymentStore.select("WHERE grant_id = \(grant.id) AND status = 'paid'", on: connection, logger: logger)
            if Set(paid.map(\.instalment)).count == grant.instalments.count {
                try await GrantStore.setStatus(.closed, grant: grant.id, on: connection, logger: logger)
            }
        }
        change.note = target == .paid ? "paid" : "failed: \(reason ?? ""); the money is back in committed"
        if instruction.instalment == 1, let instance = grant.instanceID {
            let event = target == .paid ? "payment-confirmed" : "payment-failed"
            let outcome = try await engine.fire(FireRequest(instanceID: instance, event: event, data: ["end_to_end_id": .string(instruction.endToEndID)],
                                                            actor: .system("reconcile:\(who)"), idempotencyKey: "payment:\(id):\(target.rawValue)"),
                                                on: connection)
            change.event = event
            if outcome.status != .applied {
                change.note += "; the exchange did not take '\(event)': \(outcome.message)"
            } else if target == .failed {
                change.note += "; the exchange is back in disbursement"
            }
        }
        return change
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
