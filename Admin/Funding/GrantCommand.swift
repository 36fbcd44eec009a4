import MeridianCodes
import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianWorkflow

/// `meridian grant …`: grants requested by exchanges, and the fund approvers' votes.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Grants: list, show, choose the fund (program manager), approve or reject (fund approvers).",
        discussion: """
            A grant is requested when an exchange's plan is submitted; fund approvers vote on the \
            exchange (two distinct approvers above 50,000 USD, never the plan's author or the \
            request's author); the vote that reaches the quorum commits the money, or is refused \
            with the reason when the fund lacks it. The plan names the fund (its "fund"), or \
            the only fund kept in the grant's currency pays; at funding review, before any vote, \
            the program manager may choose another with `meridian grant fund`.

            Commands that act (create, contribute, approve, reject, disburse, mark, reconcile) run \
            as the user whose token is in MERIDIAN_TOKEN (or saved by `meridian login`); exit 77 \
            without one, or without the role.

            Example:
              meridian grant approve 3f2a9c1e --comment "fits the mandate"
            """,
        subcommands: [GrantList.self, GrantShow.self, GrantFund.self, GrantDecide.Approve.self, GrantDecide.Reject.self]
    )
}

struct GrantList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List grants, oldest first.",
                                                    discussion: "Example:\n  meridian grant list --fund rapid --json")
    @Option(help: "Only this fund's grants.") var fund: String?
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let rows = try await ServiceSession.actions(database) { actions in try await actions.grants(fund: fund) }
        if json {
            print(try JSONOutput.string(rows))
            return
        }
        guard !rows.isEmpty else {
            print("no grants yet; an exchange requests one when its plan is submitted")
            return
        }
        print(Table.render(["GRANT", "FUND", "AMOUNT", "CO-FINANCING", "STATUS", "EXCHANGE STATE", "COUNTRY", "TITLE"], rows.map { grant in
            [String(grant.id.uuidString.lowercased().prefix(8)), grant.fund, grant.amount.description, grant.coFinancing.description,
             grant.status, grant.exchangeState ?? "-", grant.recipientCountry, grant.title]
        }))
    }
}

struct GrantShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one grant with its approvers and payments (66 when none).",
                                                    discussion: "Example:\n  meridian grant show 3f2a9c1e --json")
    @Argument(help: "The grant's id, its first 8+ digits, or its exchange's id.") var id: String
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let grant = try await ServiceSession.actions(database) { actions in try await actions.grant(id) }
        if json {
            print(try JSONOutput.string(grant))
            return
        }
        print("""
            grant \(grant.id.uuidString.lowercased()) — \(grant.title)
            fund \(grant.fund)\(grant.fundChoice.map { " (\($0.description))" } ?? ""); \(grant.status); exchange \(grant.exchange?.uuidString.lowercased() ?? "none") (\(grant.exchangeState ?? "-"))
            amount \(grant.amount); co-financing by \(grant.recipientCountry.isEmpty ? "the country" : grant.recipientCountry) \(grant.coFinancing) (not through Meridian)
            instalments: \(zip(grant.instalmentPercentages, grant.instalments).map { "\($0)% = \($1)" }.joined(separator: ", "))
            """)
        // Approvers are given to staff only (`nil` for officials).
        if let approvers = grant.approvers {
            print("requested by \(grant.requestedBy); plan by \(grant.planAuthor); approved by \(approvers.isEmpty ? "nobody yet" : approvers.sorted().joined(separator: ", "))")
        }
        let payments = grant.payments ?? []
        if payments.isEmpty, let summaries = grant.paymentSummaries, !summaries.isEmpty {
            print("")
            print(Table.render(["INSTALMENT", "AMOUNT", "STATUS"], summaries.map { [String($0.instalment), $0.amount.description, $0.status] }))
        }
        if !payments.isEmpty {
            print("")
            print(Table.render(["INSTALMENT", "END-TO-END ID", "AMOUNT", "STATUS", "BENEFICIARY", "BY"], payments.map {
                [String($0.instalment), $0.endToEndID, $0.amount.description, $0.status + ($0.failureReason.map { " (\($0))" } ?? ""),
                 $0.beneficiary, $0.disbursedBy]
            }))
        }
    }
}

struct GrantFund: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fund",
        abstract: "Choose the fund that pays an exchange's grant (program manager, at funding review).",
        discussion: """
            While the exchange is in funding review and before any approver has voted, the \
            program manager may name another fund for its grant: one kept in the grant's \
            currency, whose maximum grant covers it and whose mandate (sectors, countries, \
            instruments, days) admits the exchange. A refusal gives every reason and lists the \
            funds that could pay (exit 65; 66 for an unknown fund; 75 after a vote, or outside \
            funding review). --reason is required; the grant keeps who chose, when and why \
            (`meridian grant show`), and every change is kept.

            Example:
              meridian grant fund 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --fund water-jp --reason "water sector, under the Japanese agreement"
            """
    )
    @Argument(help: "The grant's id, its first 8+ digits, or its exchange's id.") var id: String
    @Option(help: "The fund's id.") var fund: String
    @Option(help: "Why this fund (kept with the grant).") var reason: String
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (fund, reason, id) = (self.fund, self.reason, self.id)
        let grant = try await ServiceSession.actions(database) { actions in
            try await actions.chooseGrantFund(id, fund: fund, reason: reason)
        }
        if json {
            print(try JSONOutput.string(grant))
            return
        }
        print("grant \(grant.id.uuidString.lowercased().prefix(8)): \(grant.amount) now asked from \(grant.fund), chosen by \(grant.fundChoice?.by ?? "-"): \(reason)")
    }
}

enum GrantDecide {
    static func run(id: String, approve: Bool, comment: String?, key: String?, database: ServiceOptions) async throws {
        let outcome = try await ServiceSession.actions(database) { actions in
            try await actions.voteOnGrant(id, approve: approve, comment: comment, key: key)
        }
        print(outcome.message)
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Vote to approve a grant (fund approver); the deciding vote commits the money.",
            discussion: "Exit 1 when refused (the reason is printed: quorum rules, separation of duties, not enough money).\n\nExample:\n  meridian grant approve 3f2a9c1e")
        @Argument(help: "The grant's id, its first 8+ digits, or its exchange's id.") var id: String
        @Option(help: "A comment kept in the exchange's history.") var comment: String?
        @Option(help: "An idempotency key: voting again with it returns the first outcome and counts once.") var key: String?

        func validate() throws { try KeyCheck.validate(key) }
        @OptionGroup var database: ServiceOptions
        func run() async throws { try await GrantDecide.run(id: id, approve: true, comment: comment, key: key, database: database) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reject", abstract: "Reject a grant (fund approver): the plan goes back to planning.",
            discussion: "Example:\n  meridian grant reject 3f2a9c1e --comment \"budget lines unclear\"")
        @Argument(help: "The grant's id, its first 8+ digits, or its exchange's id.") var id: String
        @Option(help: "A comment kept in the exchange's history.") var comment: String?
        @Option(help: "An idempotency key: voting again with it returns the first outcome and counts once.") var key: String?

        func validate() throws { try KeyCheck.validate(key) }
        @OptionGroup var database: ServiceOptions
        func run() async throws { try await GrantDecide.run(id: id, approve: false, comment: comment, key: key, database: database) }
    }
}
