import ArgumentParser
import Foundation
import MeridianEngine

/// `meridian audit …`: check the tamper-evident history.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the instances' hash-chained history.",
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
        abstract: "Recompute the history's hash chain; print OK or the first broken link.",
        discussion: """
            Checks every entry's hash against the previous hash and its content, and that each \
            instance's state and version agree with the end of its history. Exit status 0 and \
            OK when intact, 1 and the first broken link otherwise.

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

    func run() async throws {
        let id = try instance.map(EngineSession.instanceID)
        let report = try await EngineSession.run(database) { engine in try await engine.verifyHistory(instance: id) }
        if json { print(try JSONOutput.string(report)) }
        if let broken = report.firstBroken {
            if !json { print("BROKEN: \(broken)") }
            throw CLIFailure("the history is broken at \(broken)", status: .failure)
        }
        if !json { print("OK: \(report.instances) instance(s), \(report.entries) history entries, every chain intact") }
    }
}
