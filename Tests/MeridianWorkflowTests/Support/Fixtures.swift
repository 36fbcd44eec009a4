import Foundation
import MeridianShippedWorkflows
import MeridianWorkflow
import Testing

/// Loading helpers shared by the suites.
enum Fixtures {
    /// One loader for all tests (it only holds the compiled XSD, which is safe to share).
    static let loader: WorkflowLoader = {
        do { return try WorkflowLoader(registry: registry) } catch { fatalError("the workflow XSD does not compile: \(error)") }
    }()

    /// The tasks and guards the shipped workflows and this suite's definitions name. The
    /// language knows no names of its own: in Meridian the domains declare them as engine plugins
    /// (`DomainPlugins.registry`, checked against the shipped workflows by MeridianServiceTests).
    static let registry = WorkflowRegistry(
        tasks: [
            "notify-submitted", "notify-information-requested", "notify-declined", "notify-withdrawn",
            "notify-cancelled", "notify-partner", "notify-escalation", "send-reminder", "notify-closed", "notify-no-matches",
            "match-experiences", "invite-partner", "check-plan-consistency",
            "create-grant-request", "commit-funds", "release-commitment", "export-payment-instruction", "cancel-grant",
            "reconcile-bank-status", "publish-experience", "archive-exchange",
        ],
        guards: [
            .init(name: "amount-at-most", requiredParameters: ["amount", "currency"]),
            .init(name: "amount-above", requiredParameters: ["amount", "currency"]),
            .init(name: "has-document", requiredParameters: ["kind"]),
            .init(name: "plan-consistent"),
            .init(name: "matches-available", optionalParameters: ["minimum"]),
            .init(name: "partner-selected"),
            .init(name: "funds-available"),
            .init(name: "attempts-below", requiredParameters: ["event", "count"]),
        ]
    )

    static func load(_ xml: String, file: String = "test.xml") -> LoadResult {
        loader.load(bytes: Array(xml.utf8), file: file)
    }

    /// A small valid definition; tests replace parts of it to break one rule at a time.
    static let valid = """
        <?xml version="1.0" encoding="UTF-8"?>
        <workflow xmlns="urn:meridian:workflow:1" id="t" version="1" initial="open">
          <roles><role id="clerk"/><role id="boss"/></roles>
          <state id="open">
            <timer after="P1D" event="nudge"/>
            <on event="finish" target="done" role="clerk"/>
            <on event="nudge"><task name="send-reminder"/></on>
          </state>
          <final id="done"/>
        </workflow>
        """

    /// A shipped definition, loaded and known to be valid.
    static func shipped(_ name: String) throws -> WorkflowDefinition {
        let result = loader.load(contentsOf: ShippedWorkflows.url(named: name), label: name)
        return try #require(result.validDefinition, "\(result.diagnostics)")
    }

    /// The 1-based line of the first line of `text` containing `marker`, and the column of `token` on it.
    static func position(of token: String, onLineWith marker: String, in text: String) -> (line: Int, column: Int)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(marker) {
            guard let range = line.range(of: token) else { return nil }
            return (index + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1)
        }
        return nil
    }
}
