import ArgumentParser
import Foundation
import MeridianExchange
import MeridianService

/// `meridian kb feedback`: an official says whether an experience her exchange was matched
/// with was useful; shown by `kb show` and counted by matching's outcome component.
struct KBFeedback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Say whether an experience your exchange was matched with was useful (officials of the requesting country).",
        discussion: """
            Acts as the user of MERIDIAN_TOKEN, who must be an official of the exchange's requesting \
            country; the exchange must have been matched with the experience. Giving feedback again \
            replaces the earlier one. Each useful vote adds 0.05 to the experience's outcome component \
            in later matches, each not-useful vote takes 0.05, the sum capped at ±0.15.

            Example:
              meridian kb feedback 12 --exchange 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --useful \\
                --comment "Their reintegration grants fitted our commission's budget"
            """
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The experience's id (see the exchange's matches or kb list).") var experience: Int
    @Option(help: "The exchange that was matched with the experience.") var exchange: String
    @Flag(help: "The experience was useful.") var useful = false
    @Flag(name: .customLong("not-useful"), help: "The experience was not useful.") var notUseful = false
    @Option(help: "Why, in a sentence or two (at most 2,000 characters).") var comment: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard useful != notUseful else { throw ValidationError("say either --useful or --not-useful.") }
    }

    func run() async throws {
        let exchangeID = try ExchangeSession.id(exchange)
        let given = try await ServiceSession.actions(database) { actions in
            try await actions.giveFeedback(experience: experience, exchange: exchangeID, useful: useful, comment: comment)
        }
        if json {
            print(try JSONOutput.string(given))
            return
        }
        print("experience \(experience): recorded \(given.useful ? "useful" : "not useful") from \(given.official) for exchange \(exchangeID.uuidString.lowercased())")
    }
}
