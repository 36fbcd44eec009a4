import MeridianCodes
import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian exchange plan …`: visit plans, their versions and their submission.
struct ExchangePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Import, show and submit an exchange's visit plan.",
        discussion: "Example:\n  meridian exchange plan import 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 plan.json\n  meridian exchange plan submit 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10",
        subcommands: [ExchangePlanImport.self, ExchangePlanShow.self, ExchangePlanSubmit.self]
    )
}

struct ExchangePlanImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store a plan file (JSON) as the exchange's next plan version (in planning).",
        discussion: """
            The file: {"activities": [{"instrument", "title", "start": "YYYY-MM-DD", "end", "place" or \
            "link" (videoconference), "participants": [{"name", "institution", "country", "role"}]}], \
            "budget": [{"category", "description", "amount_minor" (integer minor units), "currency", \
            "paid_by": "grant" | "co-financing"}], "instalments": [70, 30] (optional), "fund": "FUND-ID" \
            (optional)}. Instruments: \(Instrument.codes). Categories: \(BudgetCategory.codes). Each \
            payer's lines share one currency. Every problem is reported at once (exit 65); a key the \
            file does not know is refused, not ignored (65); earlier versions are kept.

            "fund" names the trust fund asked for. Without it the only fund kept in the grant's \
            currency pays; with several such funds the plan must name one. A named fund must \
            exist (66, listing the funds that could pay), be kept in the grant's currency, grant as \
            much, and its mandate must admit the exchange (65 with the reason); this is checked \
            at import and again at submission. At funding review the program manager may choose \
            another (`meridian grant fund`).

            Example:
              meridian exchange plan import 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 plan.json
            """
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Argument(help: "The plan file (JSON).") var file: String

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let plan = try VisitPlan.decode(try ExchangeSession.read(file), file: file)
        let version = try await ServiceSession.actions(database) { actions in
            try await actions.importPlan(plan, exchange: id)
        }
        let totals = PlanCheck(plan).totals
        let grant = totals.grant?.description ?? "-"
        print(ExchangeSession.line(id, "plan version \(version) stored: \(plan.activities.count) activities, grant \(grant)"))
    }
}

struct ExchangePlanShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the exchange's plan (the latest version, or --version N).",
        discussion: "Example:\n  meridian exchange plan show 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --version 1 --json"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @Option(help: "The plan version (default: the latest).") var version: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let plans = try await ServiceSession.actions(database) { actions in try await actions.plans(id) }
        guard let stored = version.map({ wanted in plans.first { $0.version == wanted } }) ?? plans.last else {
            throw CLIFailure(version.map { "the exchange has no plan version \($0) (it has \(plans.count))" } ?? "the exchange has no plan yet", status: .notFound)
        }
        if json {
            print(try JSONOutput.string(stored))
            return
        }
        print("plan version \(stored.version) of \(plans.count), by \(stored.author) \(EngineSession.time(stored.createdAt))"
              + (stored.submittedAt.map { ", submitted \(EngineSession.time($0))" } ?? ", not submitted"))
        print(Table.render(["INSTRUMENT", "START", "END", "WHERE", "PARTICIPANTS", "TITLE"], stored.plan.activities.map {
            [$0.instrument.rawValue, "\($0.start)", "\($0.end)", $0.place ?? $0.link ?? "-",
             $0.participants.map { "\($0.name) (\($0.institution), \($0.country), \($0.role))" }.joined(separator: "; "), $0.title]
        }))
        print("")
        print(Table.render(["CATEGORY", "PAID BY", "AMOUNT", "DESCRIPTION"], stored.plan.budget.map {
            [$0.category.rawValue, $0.paidBy.rawValue, $0.amount?.description ?? "\($0.amountMinor) \($0.currency)", $0.description]
        }))
        let totals = stored.totals
        print("grant \(totals.grant?.description ?? "-"); co-financing \(totals.coFinancing?.description ?? "-")")
        print("fund: \(stored.plan.fund.map { "\($0) (named in the plan)" } ?? "not named in the plan (the only fund in the grant's currency pays; see `meridian grant show` for the grant's fund)")")
        if let result = stored.checkResult { print("check: \(result)") }
    }
}

struct ExchangePlanSubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit the latest plan version for funding review (requesting official).",
        discussion: "Checks the plan again (its activities must lie ahead) and puts the grant and co-financing totals in the exchange for the fund approvers.\n\nExample:\n  meridian exchange plan submit 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 --key submit-1"
    )
    @OptionGroup var database: ServiceOptions
    @Argument(help: "The exchange id.") var id: String
    @OptionGroup var key: ExchangeKeyOption

    func run() async throws {
        let id = try ExchangeSession.id(self.id)
        let submitted = try await ServiceSession.actions(database) { actions in
            try await actions.submitPlan(id, key: key.key)
        }
        let totals = submitted.totals
        let grant = totals.grant?.description ?? "-"
        print(ExchangeSession.line(id, "plan version \(submitted.version) submitted (grant \(grant)); now in \(submitted.state)"))
    }
}
