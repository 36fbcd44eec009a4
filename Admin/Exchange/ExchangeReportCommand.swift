import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian exchange report submit`: the requesting official's results report.
struct ExchangeReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Submit an exchange's results report.",
        discussion: "Example:\n  meridian exchange report submit 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 results.json",
        subcommands: [ExchangeReportSubmit.self]
    )
}

struct ExchangeReportSubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit the results report (JSON) for review (requesting official).",
        discussion: """
            The file: {"indicators": [{"name", "actual"}] (one per indicator of the request), \
            "outcomes": [{"kind", "description"}] (kinds: \(ResultsReport.OutcomeKind.codes)), \
            "lessons": ["…"], "feedback": {"requesting_country": "…", "partner_country": "…"}}.

            Example:
              meridian exchange report submit 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 results.json --key report-1
            """
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Argument(help: "The report file (JSON).") var file: String
    @OptionGroup var key: ExchangeKeyOption

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let report = try ResultsReport.decode(try ExchangeSession.read(file), file: file)
        let step = try await ServiceSession.actions(database) { actions in
            try await actions.submitReport(report, exchange: id, key: key.key)
        }
        print(ExchangeSession.line(id, "report version \(step.version) submitted; now in \(step.state)"))
    }
}

/// `meridian exchange review`: the program manager accepts the report or asks for a revision.
struct ExchangeReview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Accept the results report (closes the exchange) or ask for a revision (program manager).",
        discussion: "Accepting publishes the report as a new experience in the knowledge base.\n\nExample:\n  meridian exchange review 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 revise --comment \"Add the partner's view\"\n  meridian exchange review 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 accept"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Argument(help: "accept or revise.") var decision: String
    @Option(help: "What to change (needed for revise).") var comment: String?
    @OptionGroup var key: ExchangeKeyOption

    func validate() throws {
        guard let decision = Exchanges.ReviewDecision(rawValue: decision) else {
            throw ValidationError("the decision is accept or revise, not '\(decision)'.")
        }
        if decision == .revise, (comment ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("revise needs --comment saying what to change.")
        }
    }

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let decision = Exchanges.ReviewDecision(rawValue: self.decision)!
        let step = try await ServiceSession.actions(database) { actions in
            try await actions.reviewReport(decision, comment: comment, exchange: id, key: key.key)
        }
        print(ExchangeSession.line(id, "report version \(step.version) \(decision == .accept ? "accepted" : "sent back for revision"); now in \(step.state)"))
    }
}
