import ArgumentParser
import Foundation
import MeridianPostgres

/// `meridian db …`: the database an operator runs, embedded or external.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop, inspect, migrate or reset the database.",
        discussion: """
            Without --database-url or MERIDIAN_DATABASE_URL these act on meridian's private \
            PostgreSQL cluster, which listens only on a Unix socket in its own folder.

            Example:
              meridian db start && meridian db status && psql "$(meridian db url)"
            """,
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self, Migrate.self, Reset.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the private cluster if needed, start it if it is not running, and migrate it.",
            discussion: "Example:\n  meridian db start --data-dir /srv/meridian/postgres"
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try database.rejectExternal(for: "db start")
            let settings = try await database.connect()
            print("running: \(settings.url)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the private cluster (its data stays).",
            discussion: "Example:\n  meridian db stop"
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try database.rejectExternal(for: "db stop")
            let cluster = try database.embeddedCluster()
            try cluster.stop(logger: database.logger)
            print("stopped: \(cluster.configuration.directory)")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether the database runs and how far it is migrated.",
            discussion: "Exit status 0 when it runs and is up to date, 69 when it does not run, 75 when migrations are pending.\nExample:\n  meridian db status --json"
        )
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let logger = database.logger
            let report: StatusReport
            if let url = database.externalURL {
                let settings = try ConnectionSettings(url: url)
                let pending = try await Migrator.bundled().pending(settings, logger: logger)
                report = StatusReport(kind: "external", state: "running", url: settings.url, directory: nil, pendingMigrations: pending.map(\.fileName))
            } else {
                let cluster = try database.embeddedCluster()
                let state = try cluster.status()
                if state == .running, cluster.socketIsMissing { throw cluster.socketGone() }
                var pending: [String] = []
                if state == .running {
                    pending = try await Migrator.bundled().pending(cluster.connection, logger: logger).map(\.fileName)
                }
                report = StatusReport(
                    kind: "embedded",
                    state: state == .running ? "running" : state == .stopped ? "stopped" : "not created",
                    url: cluster.connection.url,
                    directory: cluster.configuration.directory,
                    pendingMigrations: pending
                )
            }
            try report.print(json: json)
            if report.state != "running" { throw ExitCode(ExitStatus.unavailable.rawValue) }
            if !report.pendingMigrations.isEmpty { throw ExitCode(ExitStatus.conflict.rawValue) }
        }

        struct StatusReport: Encodable {
            var kind: String
            var state: String
            var url: String
            var directory: String?
            var pendingMigrations: [String]

            func print(json: Bool) throws {
                if json {
                    Swift.print(try JSONOutput.string(self))
                    return
                }
                Swift.print("database:   \(kind), \(state)")
                Swift.print("url:        \(url)")
                if let directory { Swift.print("folder:     \(directory)") }
                if state == "running" {
                    Swift.print("migrations: \(pendingMigrations.isEmpty ? "up to date" : "\(pendingMigrations.count) pending (\(pendingMigrations.joined(separator: ", "))); run `meridian db migrate`")")
                }
            }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url",
            abstract: "Print the database URL (for psql and other tools).",
            discussion: "Example:\n  psql \"$(meridian db url)\""
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            if let url = database.externalURL {
                print(try ConnectionSettings(url: url).url)
            } else {
                print(try database.embeddedCluster().connection.url)
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the pending schema migrations of Schemas/migrations.",
            discussion: "Safe to run from several processes at once (they take turns).\nExample:\n  meridian db migrate --database-url postgresql://meridian@db.internal/meridian"
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = database.logger
            let settings: ConnectionSettings
            if let url = database.externalURL {
                settings = try ConnectionSettings(url: url)
            } else {
                let cluster = try database.embeddedCluster()
                try await cluster.start(logger: logger)
                settings = cluster.connection
            }
            let report = try await Migrator.bundled().migrate(settings, logger: logger)
            for migration in report.applied { print("applied \(migration.fileName)") }
            print("up to date: \(report.applied.count) applied now, \(report.alreadyApplied) already in place")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete the private cluster and everything in it, then create it anew.",
            discussion: "Refuses without --yes. Only for the private cluster: drop an external database with your own tools.\nExample:\n  meridian db reset --yes"
        )
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Confirm that every exchange, fund and job in the private cluster is to be deleted.")
        var yes = false

        func run() async throws {
            try database.rejectExternal(for: "db reset")
            let cluster = try database.embeddedCluster()
            guard yes else {
                throw CLIFailure(
                    "db reset deletes every exchange, fund and job in \(cluster.configuration.directory) and cannot be undone; run it again with --yes to confirm",
                    status: .usage
                )
            }
            try cluster.destroy(logger: database.logger)
            let settings = try await database.connect()
            print("reset: \(cluster.configuration.directory) was wiped and created anew; running: \(settings.url)")
        }
    }
}

extension DatabaseOptions {
    /// Commands that manage the private cluster make no sense against an external server.
    func rejectExternal(for command: String) throws {
        guard externalURL != nil else { return }
        throw CLIFailure(
            "`meridian \(command)` manages the private cluster, but a database URL is configured (--database-url or MERIDIAN_DATABASE_URL); unset it, or manage that server with its own tools",
            status: .usage
        )
    }
}
