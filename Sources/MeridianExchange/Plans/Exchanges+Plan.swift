import Foundation
import Logging
import MeridianEngine
import PostgresNIO
import MeridianFunding

extension Exchanges {
    /// Stores `plan` as the exchange's next plan version, after checking it is whole.
    ///
    /// Officials of either country may write the plan, in planning only; earlier versions are
    /// kept (a plan sent back by funding review is revised as a new version).
    /// - Returns: the new version's number.
    public func importPlan(_ plan: VisitPlan, exchange id: UUID, by actor: ExchangeActor) async throws -> Int {
        let logger = self.logger
        // The plan's own checks need no database: a bad plan is refused before any SQL runs.
        let check = PlanCheck(plan)
        guard check.isConsistent else {
            throw ExchangeError(.invalidData, "the plan is not consistent: " + check.problems.joined(separator: "; "),
                                hint: "correct the file and import it again")
        }
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            guard roles.workflowRoles.contains("official") || (roles.workflowRoles.contains("partner-official") && exchange.partnerResponse == "confirmed") else {
                throw ExchangeError(.permissionDenied, "\(actor.id) may not write this exchange's plan: officials of the requesting country and of the confirmed partner do",
                                    hint: "ask an official of \(exchange.country) to import it")
            }
            try exchange.require(state: ["planning"], to: "import a plan")
            if plan.fund != nil {
                // A named fund is checked now (it exists, its currency, maximum and mandate), so
                // the official learns at once; submission checks it again.
                _ = try await PlanFund.choose(for: plan, grant: check.totals.grant,
                                              exchange: id, on: connection, logger: logger)
            }
            return try await PlanStore.insert(plan, totals: check.totals, exchange: id, author: actor.id, now: self.now(),
                                              on: connection, logger: logger)
        }
    }

    /// The plan versions of an exchange, oldest first.
    public func plans(exchange id: UUID, for actor: ExchangeActor) async throws -> [StoredPlan] {
        let logger = self.logger
        return try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            try exchange.roles(of: actor).requireVisible(actor, exchange: id.uuidString.lowercased())
            return try await PlanStore.all(id, on: connection, logger: logger)
        }
    }

    /// What submitting a plan did.
    public struct PlanSubmission: Sendable, Codable, Equatable {
        public var version: Int
        public var totals: PlanCheck.Totals
        public var state: String
        public var replayed: Bool
    }

    /// Submits the latest plan version for funding review: checks it (its activities must
    /// lie ahead), chooses the fund (the plan's `"fund"`, or the only fund in the grant's
    /// currency; refused with the reason when its mandate, currency or maximum excludes the
    /// plan), puts the grant and co-financing totals and the fund in the instance's context
    /// (`amounts.grant`, `amounts.co_financing`, `fund`, which the approval and the grant
    /// request read) with `plan-consistent`, marks the version submitted and fires
    /// `submit-plan` — one transaction.
    public func submitPlan(exchange id: UUID, by actor: ExchangeActor, key: String? = nil) async throws -> PlanSubmission {
        let logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.lock(id, on: connection, logger: logger)
            let roles = exchange.roles(of: actor)
            try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
            let plans = try await PlanStore.all(id, on: connection, logger: logger)
            if let replay = try await replayed(key: key, event: "submit-plan", exchange: id, on: connection) {
                guard let submitted = plans.last(where: { $0.submittedAt != nil }) else { throw ExchangeError(.conflict, "no plan was submitted") }
                return PlanSubmission(version: submitted.version, totals: submitted.totals, state: replay.to, replayed: true)
            }
            try roles.require("official", actor, to: "submit the plan")
            try exchange.require(state: ["planning"], to: "submit the plan")
            guard let latest = plans.last else {
                throw ExchangeError(.conflict, "the exchange has no plan to submit", hint: "import one with `meridian exchange plan import \(id.uuidString.lowercased()) FILE`")
            }
            if let submittedAt = latest.submittedAt {
                throw ExchangeError(.conflict, "plan version \(latest.version) was already submitted (\(submittedAt.formatted(.iso8601))) and came back from funding review",
                                    hint: "import a revised plan as a new version, then submit that")
            }
            let check = PlanCheck(latest.plan, today: CalendarDay(self.now()))
            guard check.isConsistent, let grant = check.totals.grant else {
                throw ExchangeError(.invalidData, "plan version \(latest.version) cannot be submitted: " + check.problems.joined(separator: "; "),
                                    hint: "import a corrected plan, then submit again")
            }
            let fund = try await PlanFund.choose(for: latest.plan, grant: grant,
                                                 exchange: id, on: connection, logger: logger)
            var amounts: [String: JSONValue] = [:]
            if case .object(let existing)? = exchange.context["amounts"] { amounts = existing }
            amounts["grant"] = .money(grant)
            if let coFinancing = check.totals.coFinancing {
                amounts["co_financing"] = .money(coFinancing)
            } else {
                amounts["co_financing"] = nil
            }
            try await connection.query("""
                UPDATE exchange_plans SET submitted_at = \(self.now()), submitted_by = \(actor.id)
                WHERE exchange_id = \(id) AND version = \(latest.version)
                """, logger: logger)
            let outcome = try await fireOrThrow(FireRequest(
                instanceID: id, event: "submit-plan", data: ["plan_version": .integer(Int64(latest.version))],
                actor: Self.workflowActor(actor, roles: roles), idempotencyKey: key,
                contextChanges: ["plan-consistent": .string("true"), "plan_version": .integer(Int64(latest.version)),
                                 "amounts": .object(amounts),
                                 "fund": fund.map { JSONValue.string($0.fund.id) } ?? JSONValue.null,
                                 "fund_chosen_how": fund.map { JSONValue.string($0.how.rawValue) } ?? JSONValue.null,
                                 "fund_chosen_by": .string(fund?.how == .plan ? latest.author : actor.id),
                                 "instalments": .array((latest.plan.instalments ?? [100]).map { .integer(Int64($0)) })]), on: connection)
            return PlanSubmission(version: latest.version, totals: check.totals, state: outcome.to, replayed: false)
        }
    }
}
