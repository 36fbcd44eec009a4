import Foundation
import ArgumentParser
import Logging
import MeridianExchange
import MeridianPostgres
import PostgresNIO

/// `meridian kb …`: the knowledge base of country experiences that matching searches.
struct KBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Import, list, show, search and match the knowledge base of country experiences.",
        discussion: """
            Example:
              meridian kb seed && meridian kb match --text "reintegrate demobilised combatants" \\
                --sector demobilisation-reintegration --country COD --region sub-saharan-africa --income-group low
            """,
        subcommands: [KBImport.self, KBSeed.self, KBList.self, KBShow.self, KBSearch.self, KBMatch.self]
    )
}

extension DatabaseOptions {
    /// Runs `body` with a pooled client on the configured database.
    func withClient<Result: Sendable>(_ body: (PostgresClient, Logger) async throws -> Result) async throws -> Result {
        let settings = try await connect()
        let logger = self.logger
        return try await withPostgresClient(settings, logger: logger) { client in try await body(client, logger) }
    }
}

/// Table rows for people: columns padded to the widest cell.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
