import MeridianCodes
import Foundation
import MeridianShippedWorkflows
import MeridianWorkflow
import Testing

@Suite("Shipped definitions")
struct ShippedDefinitionTests {
    @Test(arguments: ShippedWorkflows.names)
    func validatesClean(_ name: String) {
        let result = Fixtures.loader.load(contentsOf: ShippedWorkflows.url(named: name), label: name)
        #expect(result.isValid)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
    }

    @Test func theExchangeCoversItsWholeLifecycle() throws {
        let exchange = try Fixtures.shipped("knowledge-exchange")
        let states = Set(exchange.states.map(\.id))
        for expected in ["draft", "submitted", "screening", "information-requested", "matching", "partner-selection",
                         "partner-confirmation", "planning", "funding-review", "disbursement", "implementation",
                         "results-review", "closed", "declined", "withdrawn", "cancelled"] {
            #expect(states.contains(expected), "missing state \(expected)")
        }
        // The partner may decline: back to selection.
        let confirmation = try #require(exchange.state("partner-confirmation"))
        #expect(confirmation.transitions.contains { $0.event == "decline-invitation" && $0.target == "partner-selection" })
        // Screening loops through a request for information.
        #expect(exchange.state("screening")?.transitions.contains { $0.target == "information-requested" } == true)
        #expect(exchange.state("information-requested")?.transitions.contains { $0.target == "screening" } == true)
        // Funding needs two approvers above 50,000 USD, never the plan's author.
        let grant = try #require(exchange.state("funding-review")?.approvals.first)
        #expect(grant.requiredApprovals(for: Money(minorUnits: 5_000_000, currency: Currency(code: "USD")!)) == 1)
        #expect(grant.requiredApprovals(for: Money(minorUnits: 5_000_001, currency: Currency(code: "USD")!)) == 2)
        #expect(grant.distinctFrom.map(\.event) == ["submit-plan"])
    }

    /// Every state of a shipped workflow names its public step, so no state shows raw on the
    /// status bar; the exchange's internal states show as the step they belong to.
    @Test(arguments: ShippedWorkflows.names)
    func everyStateNamesItsPublicStep(_ name: String) throws {
        let definition = try Fixtures.shipped(name)
        #expect(definition.states.filter { $0.publicStep == nil }.map(\.id) == [])
        if name == "knowledge-exchange" {
            let steps = Dictionary(uniqueKeysWithValues: definition.states.map { ($0.id, $0.publicStep ?? "") })
            #expect(steps["screening-escalated"] == "screening")
            #expect(steps["payment-pending"] == "payment")
            #expect(steps["report-overdue"] == "implementation")
            #expect(steps["cancelled"] == "closed")
        }
    }

    @Test func definitionsLoadConcurrently() async throws {
        let urls = ShippedWorkflows.urls
        let identities = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<32 {
                let url = urls[index % urls.count]
                group.addTask { Fixtures.loader.load(contentsOf: url).validDefinition?.identity.description }
            }
            var all: [String?] = []
            for try await identity in group { all.append(identity) }
            return all
        }
        #expect(identities.count == 32)
        #expect(identities.allSatisfy { $0 != nil })
        #expect(Set(identities.compactMap { $0 }).count == urls.count)
    }
}
