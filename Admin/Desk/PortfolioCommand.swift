import ArgumentParser
import Foundation
import MeridianService
import MeridianExchange

/// `meridian portfolio`: the exchanges at a glance and how rapid the response is.
struct PortfolioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Exchanges by step, country and sector; days from request to approval and to first payment; who is late.",
        discussion: """
            Durations come from the engine history: the request is the `submit` step, approval the \
            step that took `grant-approved`, first payment the first `payment-confirmed`; each \
            figure says how many exchanges it covers. "Late" lists exchanges whose current stay has \
            seen a timer fire (a reminder or an escalation), with the last such timer. The fund is the \
            one of the exchange's grant. Staff see every exchange, an official her country's.

            Example:
              meridian portfolio
              meridian portfolio --json
            """
    )
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let portfolio = try await ServiceSession.actions(database) { actions in try await actions.portfolio() }
        if json {
            print(try JSONOutput.string(portfolio))
            return
        }
        func counts(_ counts: [Portfolio.Count]) -> String {
            counts.isEmpty ? "-" : counts.map { "\($0.key) \($0.count)" }.joined(separator: ", ")
        }
        print("""
            exchanges            \(portfolio.exchanges)
            by step              \(counts(portfolio.byState))
            by country           \(counts(portfolio.byCountry))
            by sector            \(counts(portfolio.bySector))
            by fund              \(counts(portfolio.byFund))
            request → approval   \(portfolio.requestToApproval.text)
            approval → payment   \(portfolio.approvalToPayment.text)
            late                 \(portfolio.late.count)
            """)
        if !portfolio.late.isEmpty {
            print(Table.render(["EXCHANGE", "COUNTRY", "STATE", "TIMER", "FIRED"], portfolio.late.map {
                [$0.id.uuidString.lowercased(), $0.country, $0.state, $0.timerEvent, DeskText.iso($0.firedAt)]
            }))
        }
    }
}
