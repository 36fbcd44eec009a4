import MeridianCodes
import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian exchange show`: one exchange whole.
struct ExchangeShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an exchange: request, state, matches, partner, plan, results and notifications.",
        discussion: "Example:\n  meridian exchange show 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10\n  meridian exchange show 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --json"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let view = try await ServiceSession.actions(database) { actions in try await actions.exchange(id) }
        if json {
            print(try JSONOutput.string(view))
            return
        }
        let request = view.request.request
        var lines = [
            "exchange    \(view.id.uuidString.lowercased())",
            "state       \(view.state)\(view.isFinal ? " (final)" : "")",
            "country     \(request.countryName ?? request.country) (\(request.country)), filed by \(view.request.filedBy) \(EngineSession.time(view.request.filedAt))",
            "goal        \(request.developmentGoal)",
            "challenge   \(request.institutionalChallenge)",
            "objective   \(request.changeObjective)",
            "sectors     \(request.sectors.map(\.rawValue).joined(separator: ", "))",
            "instruments \(request.instruments.map(\.rawValue).joined(separator: ", "))",
        ]
        for indicator in request.indicators {
            lines.append("indicator   \(indicator.name): baseline \(indicator.baseline), target \(indicator.target) \(indicator.unit)")
        }
        if let matches = view.matches {
            lines.append("matches     round \(matches.round): \(matches.matches.map { "\($0.countryCode) \(String(format: "%.2f", $0.score))" }.joined(separator: ", ")) — \(matches.note)")
        }
        for partner in view.partners {
            let answer = partner.response == "declined" ? "declined: \(partner.reason ?? "")" : partner.response
            lines.append("partner     \(partner.country) chosen by \(partner.chosenBy) \(EngineSession.time(partner.chosenAt)); \(answer)")
        }
        for plan in view.plans {
            let grant = plan.totals.grant?.description ?? "-"
            let co = plan.totals.coFinancing?.description ?? "-"
            let status = plan.submittedAt.map { "submitted \(EngineSession.time($0))" } ?? "draft"
            lines.append("plan v\(plan.version)     \(plan.plan.activities.count) activities; grant \(grant); co-financing \(co); \(status)\(plan.checkResult.map { "; check: \($0)" } ?? "")")
        }
        for report in view.reports {
            let review = report.review.map { "; \($0.decision) by \($0.reviewer)\($0.comment.map { ": \($0)" } ?? "")" } ?? ""
            lines.append("report v\(report.version)   by \(report.submittedBy) \(EngineSession.time(report.submittedAt)); \(report.report.outcomes.count) outcomes\(review)")
        }
        if let experience = view.publishedExperienceID { lines.append("published   experience \(experience) (meridian kb show \(experience))") }
        if let archived = view.archivedAt { lines.append("archived    \(EngineSession.time(archived))") }
        print(lines.joined(separator: "\n"))
        if !view.notifications.isEmpty {
            print("\nnotifications:")
            print(Table.render(["TIME", "TO", "TASK", "MESSAGE"], view.notifications.map {
                [EngineSession.time($0.createdAt), $0.recipientRole + ($0.recipientCountry.map { " \($0)" } ?? ""), $0.task, $0.message]
            }))
        }
    }
}
