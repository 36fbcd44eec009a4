import MeridianCodes
import Foundation
import Hummingbird
import HummingbirdTesting
import MeridianEngine
import MeridianFunding
import MeridianService
import MeridianWorkflow
import PostgresNIO
import Testing

/// 100 grant votes at once over HTTP against a fund that covers 10 of them: exactly 10 commit
/// money, the other 90 are refused with 409 and change nothing; the ledger stays balanced.
@Suite struct ConcurrentVotesTests {
    @Test func hundredVotesAgainstAFundCoveringTen() async throws {
        try await ServiceFixture.with { f in
            let admin = try await f.caller(.admin)
            let usd = try Currency.named("USD")
            try await f.service.createFund(Fund(id: "small", name: "Small Fund", currency: usd, donors: ["Donor C"], createdBy: ""), by: admin)
            // 10 grants of 1,000.00 USD fit; the 11th does not.
            _ = try await f.service.contribute(fund: "small", donor: "Donor C", amount: Money(minorUnits: 1_050_000, currency: usd),
                                               receivedOn: try CalendarDay("2026-01-15"), reference: "SMALL-1", by: admin)
            var grants: [String] = []
            for _ in 0..<100 { grants.append(try await Self.exchangeInFundingReview(f, grant: 100_000, fund: "small")) }

            let token = f.tokens[.fundApprover]!
            let votes = grants
            let statuses = try await f.withAPI { client in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for grant in votes {
                        group.addTask {
                            try await HTTPCall.post("/api/v1/grants/\(grant)/votes", #"{"approve":true}"#).send(client, token: token).status
                        }
                    }
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
            }
            #expect(statuses.filter { $0 == 200 }.count == 10, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 409 }.count == 90, "\(statuses.sorted())")
            let committed = try await f.client.query("SELECT count(*)::int8 FROM funding_grants WHERE fund_id = 'small' AND status = 'committed'", logger: f.logger).collect()
            #expect(try committed[0].decode(Int64.self) == 10)
            let unbalanced = try await f.client.query(
                "SELECT count(*)::int8 FROM (SELECT transaction_id FROM funding_entries GROUP BY transaction_id HAVING sum(amount_minor) <> 0) u",
                logger: f.logger).collect()
            #expect(try unbalanced[0].decode(Int64.self) == 0)
        }
    }

    /// An exchange walked through the engine to funding review, its plan asking `grant` minor
    /// units (USD) of `fund`; returns its grant's id.
    static func exchangeInFundingReview(_ f: ServiceFixture, grant: Int64, fund: String) async throws -> String {
        let official = WorkflowActor.person("amani", roles: ["official"])
        let manager = WorkflowActor.person("pat", roles: ["program-manager"])
        let context: [String: JSONValue] = [
            "title": .string("Water utility reform"), "country": .string("KEN"), "fund": .string(fund), "matches": .integer(3),
            "partner-selected": .bool(true), "plan-consistent": .bool(true),
            "amounts": .object(["grant": .object(["minor_units": .integer(grant), "currency": .string("USD")])]),
            "instalments": .array([.integer(100)]),
        ]
        let instance = try await f.service.engine.start(workflow: "knowledge-exchange", context: context, actor: official)
        let steps: [(String, WorkflowActor)] = [
            ("submit", official), ("start-screening", manager), ("accept", manager), ("matches-found", .system("task:match-experiences")),
            ("approve-matches", manager), ("select-partner", official), ("confirm", .person("claire", roles: ["partner-official"])), ("submit-plan", official),
        ]
        for (event, actor) in steps {
            let outcome = try await f.service.engine.fire(FireRequest(instanceID: instance.id, event: event, actor: actor))
            #expect(outcome.status == .applied, "\(event): \(outcome.message)")
        }
        return try await GrantQueries(client: f.client, logger: f.logger).find(instance.id.uuidString).id.uuidString
    }
}
