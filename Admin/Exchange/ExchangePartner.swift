import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian exchange select-partner`: the requesting official chooses among the matches.
struct ExchangeSelectPartner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select-partner",
        abstract: "Choose the partner country among the matches (requesting official).",
        discussion: "Example:\n  meridian exchange select-partner 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 RWA --key pick-1"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Argument(help: "The partner country (ISO 3166-1 alpha-3), one of the matches.") var country: String
    @OptionGroup var key: ExchangeKeyOption

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let step = try await ServiceSession.actions(database) { actions in
            try await actions.selectPartner(country, exchange: id, key: key.key)
        }
        print(ExchangeSession.line(id, "\(step.country) chosen\(step.replayed ? " (already, with this key)" : ""); now in \(step.state)"))
    }
}

/// `meridian exchange confirm`: the partner country's official accepts the invitation.
struct ExchangeConfirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Confirm your country's partnership in an exchange (partner official).",
        discussion: "Example:\n  meridian exchange confirm 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @OptionGroup var key: ExchangeKeyOption

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let step = try await ServiceSession.actions(database) { actions in
            try await actions.confirmPartnership(id, key: key.key)
        }
        print(ExchangeSession.line(id, "\(step.country) confirmed; now in \(step.state)"))
    }
}

/// `meridian exchange decline`: the partner country's official declines, saying why.
struct ExchangeDecline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decline",
        abstract: "Decline the invitation to an exchange, with a reason (partner official).",
        discussion: "The exchange goes back to partner selection and the requesting official is told the reason.\n\nExample:\n  meridian exchange decline 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --reason \"Our commission closes this year\""
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Option(help: "Why your country declines.") var reason: String
    @OptionGroup var key: ExchangeKeyOption

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let step = try await ServiceSession.actions(database) { actions in
            try await actions.declinePartnership(id, reason: reason, key: key.key)
        }
        print(ExchangeSession.line(id, "\(step.country) declined; now in \(step.state)"))
    }
}
