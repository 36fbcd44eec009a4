import MeridianCodes
import Foundation
import Logging
import PostgresNIO

/// Stores grants and moves their money: request, commit on approval, release, reject.
///
/// Every function that changes a grant takes the caller's connection: it runs inside the
/// engine step (an in-step task) or the command's transaction, so the grant's status, its
/// ledger movement and the instance's step commit together or not at all.
public enum GrantStore {
    /// Files (or files again, after a rejection) the grant of an exchange.
    @discardableResult
    public static func request(_ request: GrantRequest, on connection: PostgresConnection, logger: Logger) async throws -> Grant {
        guard let fund = try await FundStore.funds(where: request.fundID, on: connection, logger: logger).first else {
            throw FundingError(.notFound, "no fund has the id '\(request.fundID)'", hint: "name an existing fund in the exchange's \"fund\" context value")
        }
        guard request.amount.currency == fund.currency else {
            throw FundingError(.refused, "the plan asks for \(request.amount), but the fund \(fund.id) is kept in \(fund.currency)",
                               hint: "budget the grant in \(fund.currency); Meridian does not convert currencies")
        }
        guard request.amount.minorUnits > 0 else {
            throw FundingError(.invalidInput, "the plan's grant amount must be more than zero")
        }
        guard request.amount.minorUnits <= fund.maxGrant.minorUnits else {
            throw FundingError(.refused, "the plan asks for \(request.amount), more than the \(fund.maxGrant) a grant from \(fund.id) may be",
                               hint: "cover the rest with the country's co-financing, or reduce the budget")
        }
        guard request.coFinancing.minorUnits >= 0 else { throw FundingError(.invalidInput, "co-financing cannot be negative") }
        try Instalments.validate(request.instalments)
        let rows = try await connection.query("""
            INSERT INTO funding_grants (id, instance_id, fund_id, title, recipient_country, amount_minor, currency, co_financing_minor,
                                        co_financing_currency, instalments, status, requested_by, plan_author,
                                        fund_chosen_by, fund_chosen_how, fund_chosen_at, fund_reason)
            VALUES (\(UUID()), \(request.instanceID), \(request.fundID), \(request.title), \(request.recipientCountry),
                    \(request.amount.minorUnits), \(request.amount.currency.code), \(request.coFinancing.minorUnits),
                    \(request.coFinancing.currency.code), \(request.instalments), 'requested', \(request.requestedBy), \(request.planAuthor),
                    \(request.fundChosenBy), \(request.fundChosenHow.rawValue), now(), NULL)
            ON CONFLICT (instance_id) DO UPDATE
            SET fund_id = EXCLUDED.fund_id, title = EXCLUDED.title, recipient_country = EXCLUDED.recipient_country,
                amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency, co_financing_minor = EXCLUDED.co_financing_minor,
                co_financing_currency = EXCLUDED.co_financing_currency, instalments = EXCLUDED.instalments, status = 'requested',
                plan_author = EXCLUDED.plan_author, fund_chosen_by = EXCLUDED.fund_chosen_by, fund_chosen_how = EXCLUDED.fund_chosen_how,
                fund_chosen_at = EXCLUDED.fund_chosen_at, fund_reason = NULL, updated_at = now()
            WHERE funding_grants.status IN ('requested', 'rejected', 'released', 'cancelled')
            RETURNING id
            """, logger: logger).collect()
        guard let row = rows.first else {
            throw FundingError(.conflict, "the exchange's grant is already committed or paid; it cannot be requested again")
        }
        return try await grant(try row.decode(UUID.self), on: connection, logger: logger)
    }

    /// Commits an approved grant's amount in its fund's ledger.
    ///
    /// Refused — and so the approving vote with it — when the fund lacks the money, or when
    /// one of the approvers filed the request or wrote the plan (separation of duties, checked
    /// here too because the definition can only name events, not the request's author).
    @discardableResult
    public static func commit(instance: UUID, approvers: Set<String>, actorID: String, at now: Date, on connection: PostgresConnection,
                              logger: Logger) async throws -> Grant {
        let grant = try await locked(instance: instance, on: connection, logger: logger)
        if grant.status == .committed { return grant }
        guard grant.status == .requested || grant.status == .released else {
            throw FundingError(.conflict, "the grant \(grant.id.short) is \(grant.status.rawValue); only a requested grant can be committed")
        }
        for approver in approvers.sorted() where approver == grant.requestedBy || approver == grant.planAuthor {
            let role = approver == grant.requestedBy ? "filed the exchange request" : "wrote the plan"
            throw FundingError(.refused, "\(approver) \(role) and so may not approve its grant (separation of duties)",
                               hint: "another fund approver must vote")
        }
        let posting = Posting(fundID: grant.fundID, kind: .commitment, amount: grant.amount, valueDate: CalendarDay(now),
                              reference: "grant \(grant.id.short) approved", actorID: actorID, grantID: grant.id)
        do {
            try await Ledger.post(posting, on: connection, logger: logger)
        } catch let error as FundingError where error.code == .refused {
            let balances = try await Ledger.lockedBalances(fund: grant.fundID, on: connection, logger: logger)
            let available = Money(minorUnits: balances[.available] ?? 0, currency: grant.amount.currency)
            throw FundingError(.refused, "the fund \(grant.fundID) has \(available) available; this grant needs \(grant.amount)",
                               hint: "record a contribution to the fund, or reject the grant")
        }
        try await setStatus(.committed, grant: grant.id, on: connection, logger: logger)
        var committed = grant
        committed.status = .committed
        return committed
    }

    /// Releases what the grant still has committed (not yet sent for payment) back to available.
    @discardableResult
    public static func release(instance: UUID, to status: Grant.Status, actorID: String, reason: String, at now: Date,
                               on connection: PostgresConnection, logger: Logger) async throws -> Money {
        let grant = try await locked(instance: instance, on: connection, logger: logger)
        let outstanding = try await committedBalance(grant: grant, on: connection, logger: logger)
        if outstanding.minorUnits > 0 {
            try await Ledger.post(Posting(fundID: grant.fundID, kind: .release, amount: outstanding, valueDate: CalendarDay(now),
                                          reference: "grant \(grant.id.short): \(reason)", actorID: actorID, grantID: grant.id),
                                  on: connection, logger: logger)
        }
        try await setStatus(status, grant: grant.id, on: connection, logger: logger)
        return outstanding
    }

    /// What the grant has in `committed`: committed minus released minus sent for payment, plus failed payments.
    static func committedBalance(grant: Grant, on connection: PostgresConnection, logger: Logger) async throws -> Money {
        let rows = try await connection.query("""
            SELECT coalesce(sum(e.amount_minor), 0)::bigint FROM funding_entries e JOIN funding_transactions t ON t.id = e.transaction_id
            WHERE t.grant_id = \(grant.id) AND e.account = 'committed'
            """, logger: logger).collect()
        return Money(minorUnits: try rows[0].decode(Int64.self), currency: grant.amount.currency)
    }

    static func setStatus(_ status: Grant.Status, grant: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE funding_grants SET status = \(status.rawValue), updated_at = now() WHERE id = \(grant)", logger: logger)
    }

    /// The grant of `instance`, locked until the transaction ends.
    static func locked(instance: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Grant {
        let rows = try await connection.query("SELECT id FROM funding_grants WHERE instance_id = \(instance) FOR UPDATE", logger: logger).collect()
        guard let row = rows.first else {
            throw FundingError(.notFound, "the exchange \(instance.short) has no grant request", hint: "its plan must be submitted first")
        }
        return try await grant(try row.decode(UUID.self), on: connection, logger: logger)
    }

    /// The grant with `id` (read on the given connection or client).
    static func grant(_ id: UUID, on runner: some PostgresQueryRunner, logger: Logger) async throws -> Grant {
        guard let grant = try await grants(where: .id(id), on: runner, logger: logger).first else {
            throw FundingError(.notFound, "no grant has the id \(id.short)", hint: "see meridian grant list")
        }
        return grant
    }

    /// A grant looked up by one of its two ids (typed, so a misspelt column cannot select every grant).
    enum Key: Sendable {
        /// The grant's own id.
        case id(UUID)
        /// The id of the instance (the exchange) the grant belongs to.
        case instance(UUID)
    }

    /// - Parameters:
    ///   - key: only the grant with this id, or the grants of this instance (`nil`: all).
    ///   - idPrefix: only grants whose id starts with these (lower-case hex) digits.
    static func grants(where key: Key? = nil, fund: String? = nil, idPrefix: String? = nil,
                       on runner: some PostgresQueryRunner, logger: Logger) async throws -> [Grant] {
        var byID: UUID?
        var byInstance: UUID?
        switch key {
        case .id(let id): byID = id
        case .instance(let instance): byInstance = instance
        case nil: break
        }
        let prefixPattern = try idPrefix.map { prefix in
            guard !prefix.isEmpty, prefix.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                throw FundingError(.invalidInput, "'\(prefix)' is not the start of a grant id")
            }
            return prefix.lowercased() + "%"
        }
        let rows = try await runner.collectRows("""
            SELECT id, instance_id, fund_id, title, recipient_country, amount_minor, currency, co_financing_minor, co_financing_currency,
                   instalments, status, requested_by, plan_author, requested_at, updated_at,
                   fund_chosen_how, fund_chosen_by, fund_chosen_at, fund_reason
            FROM funding_grants
            WHERE (\(byID)::uuid IS NULL OR id = \(byID)) AND (\(byInstance)::uuid IS NULL OR instance_id = \(byInstance))
              AND (\(fund)::text IS NULL OR fund_id = \(fund))
              AND (\(prefixPattern)::text IS NULL OR id::text LIKE \(prefixPattern))
            ORDER BY requested_at, id
            """, logger: logger)
        return try rows.map { row in
            let (id, instance, fund, title, country, amount, code, co, coCode, instalments, status, requestedBy, author, requestedAt, updatedAt) =
                try row.decode((UUID, UUID?, String, String, String, Int64, String, Int64, String, [Int], String, String, String, Date, Date).self)
            let cells = row.makeRandomAccess()
            var choice: Grant.FundChoice?
            if let how = try cells[15].decode(String?.self).flatMap(Grant.FundChoice.How.init(rawValue:)),
               let by = try cells[16].decode(String?.self), let at = try cells[17].decode(Date?.self) {
                choice = Grant.FundChoice(how: how, by: by, at: at, reason: try cells[18].decode(String?.self))
            }
            return Grant(id: id, instanceID: instance, fundID: fund, title: title, recipientCountry: country,
                         amount: try Money(minorUnits: amount, code: code), coFinancing: try Money(minorUnits: co, code: coCode),
                         instalments: instalments, status: Grant.Status(rawValue: status) ?? .requested, requestedBy: requestedBy,
                         planAuthor: author, requestedAt: requestedAt, updatedAt: updatedAt, fundChoice: choice)
        }
    }
}

extension UUID {
    /// The first eight hex digits, enough to tell grants apart in messages.
    var short: String { String(uuidString.lowercased().prefix(8)) }
}
