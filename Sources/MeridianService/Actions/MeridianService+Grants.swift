import MeridianCodes
import Foundation
import MeridianFunding
import MeridianEngine
import MeridianExchange
import MeridianIdentity

/// A grant as one caller may read it.
public struct GrantDetail: Sendable {
    /// One payment without its bank details: what an official may know of her grant's money.
    public struct PaymentSummary: Sendable, Codable, Equatable {
        public var instalment: Int
        public var amount: Money
        public var status: PaymentInstruction.Status
    }

    public var grant: Grant
    /// The state of its exchange, when it has one.
    public var exchangeState: String?
    /// Who requested, planned and voted: for staff only (`nil` for officials).
    public var duties: GrantDuties?
    /// The payments' instalments, amounts and states, for everyone who may read the grant.
    public var paymentSummaries: [PaymentSummary]
    /// The payment instructions with beneficiaries and accounts: finance officers, supervisors
    /// and admins only (empty for others).
    public var payments: [PaymentInstruction]
}

/// Grants and the fund approvers' votes.
///
/// Staff read every grant; an official reads only the grants of exchanges she may see, without
/// approvers or bank details. A grant she may not read is reported as unknown.
extension MeridianService {
    /// Roles that read bank details of payments.
    static let bankDetailReaders: Set<Role> = [.financeOfficer, .supervisor, .admin]

    /// Grants the caller may read, oldest first; of one fund when `fund` is given.
    public func grants(fund: String? = nil, by caller: Caller) async throws -> [(grant: Grant, exchangeState: String?)] {
        let rows = try await GrantQueries(client: client, logger: logger).listWithExchangeStates(fund: fund)
        guard !caller.isStaff else { return rows }
        let visible = Set(try await exchanges.list(for: caller.exchangeActor, limit: 100_000).map(\.id))
        return rows.filter { $0.grant.instanceID.map(visible.contains) ?? false }
    }

    /// One grant by its id, id prefix (8+ hex digits) or its exchange's id, as the caller may read it.
    public func grant(_ text: String, by caller: Caller) async throws -> GrantDetail {
        let queries = GrantQueries(client: client, logger: logger)
        let grant = try await readableGrant(text, by: caller)
        let instructions = try await queries.instructions(of: grant)
        let readsBank = !caller.user.roles.isDisjoint(with: Self.bankDetailReaders)
        return GrantDetail(
            grant: grant,
            exchangeState: try await queries.exchangeState(of: grant),
            duties: caller.isStaff ? try await queries.duties(of: grant) : nil,
            paymentSummaries: instructions.map { .init(instalment: $0.instalment, amount: $0.amount, status: $0.status) },
            payments: readsBank ? instructions : []
        )
    }

    /// A fund approver's vote on a grant; the deciding vote commits the money in its step.
    public func voteOnGrant(_ text: String, approve: Bool, comment: String?, key: String?, by caller: Caller) async throws -> FireOutcome {
        try caller.require(anyOf: [.fundApprover], to: approve ? "approving a grant" : "rejecting a grant")
        let grant = try await GrantQueries(client: client, logger: logger).find(text)
        let outcome = try await GrantDecisions(engine: engine, logger: logger)
            .decide(grant, approve: approve, actor: caller.workflowActor, comment: comment, idempotencyKey: key)
        guard outcome.status == .applied else {
            throw ServiceError(.refused, "refused: \(outcome.rejectionCode.map { "\($0): " } ?? "")\(outcome.message)")
        }
        return outcome
    }

    /// The program manager names another fund for an exchange's grant at funding review,
    /// before any vote: the exchange module checks the fund's currency, maximum and mandate
    /// and records the choice (see ``Exchanges/chooseFund(_:exchange:reason:by:)``).
    public func chooseGrantFund(_ text: String, fund: String, reason: String, by caller: Caller) async throws -> Grant {
        try caller.require(anyOf: [.programManager], to: "choosing a grant's fund")
        let grant = try await readableGrant(text, by: caller)
        guard let exchange = grant.instanceID else {
            throw FundingError(.conflict, "the grant \(text) belongs to no exchange; its fund is fixed")
        }
        return try await exchanges.chooseFund(fund, exchange: exchange, reason: reason, by: caller.exchangeActor)
    }

    /// The grant named by `text` if the caller may read it; otherwise the same not-found as for
    /// an unknown grant.
    func readableGrant(_ text: String, by caller: Caller) async throws -> Grant {
        let grant = try await GrantQueries(client: client, logger: logger).find(text)
        guard !caller.isStaff else { return grant }
        let unknown = FundingError(.notFound, "no grant matches '\(text)'", hint: "see meridian grant list")
        guard let instance = grant.instanceID else { throw unknown }
        do {
            try await exchanges.requireVisible(instance, for: caller.exchangeActor)
        } catch let error as ExchangeError where error.code == .notFound {
            throw unknown
        }
        return grant
    }
}
