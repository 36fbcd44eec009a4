import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian exchange status ID`: the step, who acts next, deadlines.
struct ExchangeStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where an exchange stands: its step, since when, who acts next, deadlines, incidents, last steps.",
        discussion: "Example:\n  meridian exchange status 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10\n  meridian exchange status 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --json"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let status = try await ServiceSession.actions(database) { actions in try await actions.status(id) }
        if json {
            print(try JSONOutput.string(status))
            return
        }
        var lines = [
            "exchange    \(status.id.uuidString.lowercased())",
            "country     \(status.country)\(status.partner.map { ", partner \($0)" } ?? "")",
            "step        \(status.state)\(status.isFinal ? " (final)" : "")\(status.stateDescription.map { " — \($0)" } ?? "")",
            "since       \(DeskText.iso(status.since))",
        ]
        if status.waitingFor.isEmpty {
            lines.append("waits for   \(status.isFinal ? "nobody: the exchange has ended" : "the system: a task or a timer, which `meridian worker` runs")")
        }
        for waiter in status.waitingFor {
            let who = waiter.role + (waiter.country.map { " of \($0)" } ?? "")
            let vote = waiter.approvalsRequired.map { " (vote, \(waiter.approvalsSoFar ?? 0) of \($0) approvals)" } ?? ""
            lines.append("waits for   \(who): \(waiter.events.joined(separator: ", "))\(vote)")
        }
        for timer in status.deadlines { lines.append("deadline    \(DeskText.iso(timer.at)) (\(timer.event))") }
        for incident in status.openIncidents { lines.append("incident    \(incident)") }
        print(lines.joined(separator: "\n"))
        if !status.recent.isEmpty {
            print("\nlast steps:")
            for line in status.recent { print("  " + line.text) }
        }
    }
}

/// `meridian exchange timeline ID`: the exchange's history and notifications as readable lines.
struct ExchangeTimeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Show an exchange's history as readable lines: time, who, event, from → to, comment; with notifications.",
        discussion: "Example:\n  meridian exchange timeline 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10\n  meridian exchange timeline 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --json"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let lines = try await ServiceSession.actions(database) { actions in try await actions.timeline(id) }
        if json {
            print(try JSONOutput.string(lines))
            return
        }
        for line in lines { print(line.text) }
    }
}

/// `meridian exchange screen ID`: a program manager takes a submitted request into screening.
struct ExchangeScreen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Take a submitted request into screening (program manager or supervisor).",
        discussion: "Then decide with `meridian approve`, `reject` or `request-info`.\n\nExample:\n  meridian exchange screen 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --key screen-1"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @OptionGroup var key: ExchangeKeyOption

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let step = try await ServiceSession.actions(database) { actions in
            try await actions.startScreening(id, key: key.key)
        }
        print(ExchangeSession.line(id, "in screening\(step.replayed ? " (already, with this key)" : "")"))
    }
}
