import ArgumentParser
import Foundation
import MeridianService
import MeridianFunding

/// `meridian fund verify`: replay the ledger from its entries and compare the stored balances.
struct FundVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Replay the ledger from its entries and compare every stored balance (exit 65 on a discrepancy).",
        discussion: """
            The balances are kept by a database trigger from each entry; the database refuses any \
            other change to them, and refuses UPDATE, DELETE and TRUNCATE on entries, \
            transactions and contributions. A superuser can still switch triggers off: this \
            command recomputes every fund's balances from the entries alone, in the order they \
            were recorded, and reports every stored balance that differs, every transaction \
            without a debit and a credit or whose entries do not sum to zero, and every account \
            the replay takes below zero. `meridian audit verify` runs the same check. Exit 0 and \
            OK when the ledger is intact, 65 with one line per discrepancy otherwise.

            With a token (MERIDIAN_TOKEN or `meridian login`; always through a server) the check \
            runs as her and needs the role finance-officer, supervisor or admin (exit 77 otherwise); \
            without one it is the operator's check of the local database.

            Example:
              meridian fund verify
              meridian fund verify rapid --json
            """
    )
    @Argument(help: "Only this fund (default: every fund).") var id: String?
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        // With a token (always through a server): a finance officer's, supervisor's or admin's
        // check; without one, the operator's on the local database, as `audit verify`.
        let report = try await ServiceSession.actionsOrOperator(database) { actions in
            try await actions.verifyLedger(fund: id)
        } asOperator: { service in
            try await LedgerVerifier.verify(fund: id, client: service.client, logger: service.logger)
        }
        if json {
            print(try JSONOutput.string(report))
        } else {
            Self.printLines(report)
        }
        if !report.isIntact {
            throw CLIFailure("the ledger disagrees with its entries in \(report.discrepancies.count) place(s): \(report.discrepancies[0])", status: .dataError)
        }
    }

    /// The report for people: one OK line, or one BROKEN line per discrepancy.
    static func printLines(_ report: LedgerVerifier.Report) {
        if report.isIntact {
            print("OK: ledger of \(report.funds) fund(s), \(report.transactions) transactions, \(report.entries) entries; every balance equals its entries")
        } else {
            for line in report.discrepancies { print("BROKEN: ledger: \(line)") }
        }
    }
}
