import Foundation
import ArgumentParser
import MeridianExchange
import MeridianService

/// `meridian kb show ID`: one experience in full, with its sources, provenance, summaries and
/// officials' feedback.
struct KBShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one experience in full (exit 66 when there is none with that id).",
        discussion: "Example:\n  meridian kb show 12 --json"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The experience's id (see kb list).") var id: Int
    @Flag(help: "Print JSON.") var json = false

    private struct Shown: Encodable {
        var experience: Experience
        var feedback: [FeedbackStore.Feedback]
    }

    func run() async throws {
        let found = try await ServiceSession.knowledge(database) { reads -> Shown in
            let experience = try await reads.experience(id)
            return Shown(experience: experience, feedback: try await reads.feedback(on: id))
        }
        let shown = found
        if json {
            print(try JSONOutput.string(shown))
            return
        }
        let experience = shown.experience
        let summaries = Language.allCases.compactMap { language in experience.summaries[language.rawValue].map { "  \(language.rawValue): \($0)" } }
        let useful = shown.feedback.filter(\.useful).count
        let feedback = shown.feedback.map { item in
            "  - \(item.useful ? "useful" : "not useful") — \(item.official), exchange \(item.exchangeID.uuidString.lowercased().prefix(8))\(item.comment.map { ": \($0)" } ?? "")"
        }
        print("""
            \(experience.programme) — \(experience.countryName) (\(experience.countryCode)), \(experience.years)
            region: \(experience.region.rawValue); income group: \(experience.incomeGroup.rawValue)
            sectors: \(experience.sectors.map(\.rawValue).joined(separator: ", "))
            evidence: \(experience.outcomeStrength.rawValue) — \(experience.outcomeStrength.label)\(experience.selfReported ? " (self-reported by an exchange)" : "")

            Problem: \(experience.problem)

            Approach: \(experience.approach)

            Outcomes: \(experience.outcomes)
            \(summaries.isEmpty ? "" : "\nSummary:\n" + summaries.joined(separator: "\n") + "\n")
            Sources:
            \(experience.sources.map { "  - \($0)" }.joined(separator: "\n"))

            Provenance: \(experience.provenance ?? "not stated (imported without a provenance line)")

            Feedback: \(shown.feedback.isEmpty ? "none yet" : "\(useful) useful, \(shown.feedback.count - useful) not useful")
            """)
        if !feedback.isEmpty { print(feedback.joined(separator: "\n")) }
    }
}
