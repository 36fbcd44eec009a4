import ArgumentParser

/// `meridian exchange …`: knowledge exchanges, acted on as the user whose token is in
/// MERIDIAN_TOKEN.
struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "File requests, see matches, choose and confirm partners, plan, report results, review.",
        discussion: """
            Every command acts as the user whose token is in MERIDIAN_TOKEN. Officials act on their \
            own country's exchanges (as official) and on those their country is the chosen partner \
            of (as partner-official); program managers, fund approvers, finance officers and \
            supervisors act with their roles. Program managers take a request into screening with \
            `exchange screen` and decide with `meridian approve`, `reject` and `request-info`.

            Example:
              meridian exchange request --file request.json --key cod-ddr-1
              meridian exchange matches 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10
              meridian exchange select-partner 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10 RWA
            """,
        subcommands: [
            ExchangeRequestCommand.self, ExchangeList.self, ExchangeShow.self, ExchangeStatus.self, ExchangeTimeline.self, ExchangeScreen.self, ExchangeMatches.self,
            ExchangeSelectPartner.self, ExchangeConfirm.self, ExchangeDecline.self, ExchangePlanCommand.self,
            ExchangeReportCommand.self, ExchangeReview.self,
        ]
    )
}

/// The options every acting exchange command shares.
struct ExchangeKeyOption: ParsableArguments {
    @Option(help: "An idempotency key: running the command again with it has no second effect.") var key: String?

    func validate() throws { try KeyCheck.validate(key) }
}
