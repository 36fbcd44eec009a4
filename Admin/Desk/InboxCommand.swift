import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian inbox`: what waits for the token's user, oldest first.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "List the exchanges waiting for you, oldest first, with what you can do and the deadline.",
        discussion: """
            Your roles are decided per exchange: staff act with their global roles everywhere; an \
            official sees her own country's exchanges (as official) and those her country is the \
            partner of (as partner-official). Withdrawing and cancelling are always possible and \
            are not listed. A vote shows how many approvals it has and needs; votes you may not \
            cast (you voted, or wrote the plan) are left out. DEADLINE is the earliest pending \
            timer of the stay (a reminder or an escalation).

            Example:
              meridian inbox
              meridian inbox --json
            """
    )
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let items = try await ServiceSession.actions(database) { actions in try await actions.inbox() }
        if json {
            print(try JSONOutput.string(items))
            return
        }
        guard !items.isEmpty else {
            print("nothing waits for you")
            return
        }
        print(Table.render(["EXCHANGE", "COUNTRY", "STATE", "YOU CAN", "SINCE", "AGE", "DEADLINE", "GOAL"], items.map { item in
            [item.id.uuidString.lowercased(), item.country + (item.partner.map { "→\($0)" } ?? ""), item.state,
             DeskText.actions(item.actions), DeskText.iso(item.since), "\(item.ageDays) d",
             item.deadline.map { "\(DeskText.iso($0)) (\(item.deadlineEvent ?? "timer"))" } ?? "-", DeskText.clip(item.goal, 40)]
        }))
    }
}
