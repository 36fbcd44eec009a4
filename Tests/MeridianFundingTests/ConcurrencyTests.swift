import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import PostgresNIO
import Testing

@Suite("Concurrent approvals")
struct ConcurrencyTests {
    @Test("100 concurrent approvals against a fund that covers 10: exactly 10 committed, 90 refused with the reason")
    func hundredApprovals() async throws {
        try await FundingFixture.with { fixture in
            let grant: Int64 = 1_000_000  // 10,000.00 USD: one approver is the quorum
            try await fixture.fund(contributed: grant * 10)
            let exchanges = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<100 { group.addTask { try await fixture.exchangeInFundingReview(grant: grant) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let engine = fixture.engine
            // Each exchange gets its approving vote at the same time, from different approvers.
            let results = await withTaskGroup(of: Result<FireOutcome, any Error>.self) { group in
                for (index, exchange) in exchanges.enumerated() {
                    group.addTask {
                        do {
                            return .success(try await engine.fire(FireRequest(instanceID: exchange, event: "approve-grant",
                                                                              actor: FundingFixture.approver("fa\(index % 7)"))))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let committed = results.filter { (try? $0.get())?.to == "disbursement" }
            let refusals = results.compactMap { result -> FundingError? in
                guard case .failure(let error) = result else { return nil }
                return error as? FundingError
            }
            #expect(committed.count == 10)
            #expect(refusals.count == 90)
            #expect(refusals.allSatisfy { $0.code == .refused && $0.message.contains("available; this grant needs 10,000.00 USD") })
            #expect(refusals.contains { $0.message.contains("has 0.00 USD available") })

            var states: [String: Int] = [:]
            for exchange in exchanges { states[try await fixture.state(exchange), default: 0] += 1 }
            #expect(states == ["disbursement": 10, "funding-review": 90])
            let statement = try await fixture.statement()
            #expect(statement.committed == .usd(grant * 10))
            #expect(statement.available == .usd(0))
            #expect(try await fixture.balanceRows() == fixture.entrySums())
            #expect(try await fixture.unbalancedTransactions() == 0)
            // A refused vote left nothing behind: no vote, no history entry.
            let votes = try await fixture.client.query("SELECT count(*) FROM engine_votes", logger: fixture.logger).collect()
            #expect(try votes[0].decode(Int.self) == 10)
        }
    }
}
