import ArgumentParser
import Foundation
import MeridianEngine
import MeridianFunding

/// `meridian audit …`: check the tamper-evident history.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the instances' hash-chained history and the funds' ledger.",
        discussion: """
            Example:
              meridian audit verify
            """,
        subcommands: [AuditVerify.self]
    )
}

/// `meridian audit verify`: recompute every hash chain.
struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the history's hash chain and replay the ledger; print OK or what is broken.",
        discussion: """
            Checks every entry's hash against the previous hash and its content, and that each \
            instance's state and version agree with the end of its history. Then (without \
            --instance) replays the funds' ledger from its entries, as `meridian fund verify` \
            does, and compares every stored balance with the replay. Exit status 0 and OK when \
            both are intact, 1 and the first broken link or every ledger discrepancy otherwise.

            Example:
              meridian audit verify
              meridian audit verify --instance 0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10
            """
    )

    @Option(help: "Check only this instance.")
    var instance: String?

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON.")
    var json = false

    /// The JSON output: the history's report, with the ledger's beside it (absent with --instance).
    struct ReportJSON: Encodable {
        var instances: Int
        var entries: Int
        var firstBroken: AuditReport.BrokenLink?
        var ledger: LedgerVerifier.Report?
    }

    func run() async throws {
        let id = try instance.map(EngineSession.instanceID)
        let (report, ledger) = try await EngineSession.run(database) { engine in
            let history = try await engine.verifyHistory(instance: id)
            var ledger: LedgerVerifier.Report?
            if id == nil { ledger = try await LedgerVerifier.verify(client: engine.client, logger: database.logger) }
            return (history, ledger)
        }
        if json {
            print(try JSONOutput.string(ReportJSON(instances: report.instances, entries: report.entries, firstBroken: report.firstBroken, ledger: ledger)))
        }
        if let broken = report.firstBroken {
            if !json { print("BROKEN: \(broken)") }
            throw CLIFailure("the history is broken at \(broken)", status: .failure)
        }
        if !json { print("OK: \(report.instances) instance(s), \(report.entries) history entries, every chain intact") }
        guard let ledger else { return }
        if !json { FundVerify.printLines(ledger) }
        if !ledger.isIntact {
            throw CLIFailure("the ledger disagrees with its entries in \(ledger.discrepancies.count) place(s): \(ledger.discrepancies[0])", status: .failure)
        }
    }
}
