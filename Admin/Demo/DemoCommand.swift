import ArgumentParser
import Foundation
import MeridianPostgres
import PostgresNIO

/// `meridian demo`: the README's main command, a tour of what Meridian does so far.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Bring up the database and run the demonstration scenario.",
        discussion: """
            Starts (or reuses) the private PostgreSQL cluster, migrates it and reports what it \
            holds. Safe to run again and again.

            Example:
              swift run meridian demo
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = database.logger
        print("» database")
        let settings = try await database.connect()
        print("  ready at \(settings.url)")
        try await withPostgresClient(settings, logger: logger) { client in
            let rows = try await client.query(
                "SELECT version, name, applied_at FROM meridian_schema_migrations ORDER BY version", logger: logger
            )
            print("» schema migrations")
            for try await (version, name, appliedAt) in rows.decode((Int, String, Date).self) {
                print("  \(version) \(name) applied \(appliedAt.formatted(.iso8601))")
            }
            let serverVersion = try await client.query("SHOW server_version", logger: logger)
            for try await (version) in serverVersion.decode(String.self) {
                print("» PostgreSQL \(version)")
            }
        }
        print("done.")
    }
}
