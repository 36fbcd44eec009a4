import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// The options `approve`, `reject` and `request-info` share.
struct DecideOptions: ParsableArguments {
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Option(help: "A comment for the history (required when asking for a revision or declining an invitation).") var comment: String?
    @Option(help: "An idempotency key: running the command again with it has no second effect.") var key: String?

    func validate() throws { try KeyCheck.validate(key) }
    @Flag(help: "Print JSON.") var json = false

    func run(_ verb: DeskVerb) async throws {
        let id = try ExchangeSession.id(self.id)
        let decision = try await ServiceSession.actions(database) { actions in
            try await actions.decide(verb, exchange: id, comment: comment, key: key)
        }
        if json {
            print(try JSONOutput.string(decision))
            return
        }
        let moved = decision.from == decision.to ? "still in \(decision.to)" : "\(decision.from) → \(decision.to)"
        print(ExchangeSession.line(id, "\(decision.event)\(decision.replayed ? " (already, with this key)" : ""); \(moved)"))
    }

    static let discussion = """
        The event is chosen among what is open to you now: an approval's vote (approve-grant / \
        reject-grant, disburse / hold-payment), else the state's forward decision for approve \
        (screening: accept; match-review: approve-matches; results-review: accept-report; \
        partner-confirmation: confirm), a way to a final or earlier state for reject (decline, \
        rematch, request-revision, decline-invitation), and request-info in screening. A \
        submitted request is first taken into screening with `meridian exchange screen ID`. Grant \
        votes go through the funding module (as `meridian grant approve|reject`); disbursing \
        needs bank details: use `meridian disburse`.

        Exit status 1 when nothing fits (the message lists what you can do) or the workflow \
        refuses (a self-approval: "approver-not-distinct", a second vote: "already-voted"); 77 \
        when you hold no role on the exchange or lack the role the event needs; 66 for an \
        unknown exchange; 75 when the state moved on. Nothing changes when it fails.
        """
}

/// `meridian approve ID`: the approving decision open to you on an exchange.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve: take the forward decision, or cast an approving vote.",
        discussion: DecideOptions.discussion + "\n\nExample:\n  meridian approve 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --comment \"complete and in mandate\" --key ok-1"
    )
    @OptionGroup var options: DecideOptions
    func run() async throws { try await options.run(.approve) }
}

/// `meridian reject ID`: the declining decision open to you on an exchange.
struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject: decline, send back, or cast a rejecting vote.",
        discussion: DecideOptions.discussion + "\n\nExample:\n  meridian reject 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --comment \"outside the fund's mandate\""
    )
    @OptionGroup var options: DecideOptions
    func run() async throws { try await options.run(.reject) }
}

/// `meridian request-info ID`: ask the requesting official for more information.
struct RequestInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-info", abstract: "Ask the requesting official for more information (screening).",
        discussion: DecideOptions.discussion + "\n\nExample:\n  meridian request-info 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --comment \"Which provinces?\""
    )
    @OptionGroup var options: DecideOptions
    func run() async throws { try await options.run(.requestInfo) }
}
