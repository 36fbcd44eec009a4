import ArgumentParser
import Logging
import MeridianPostgres

/// Which server a benchmark runs on: `--database-url`, `MERIDIAN_DATABASE_URL`, or the
/// private cluster, as for `meridian` (the benchmarks make scratch databases on it).
struct BenchDatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "A PostgreSQL URL (postgresql://USER@HOST:PORT/DB). Default: MERIDIAN_DATABASE_URL, else the private cluster.",
            valueName: "url"
        )
    )
    var databaseURL: String?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp("The private cluster's folder (as `meridian --data-dir`).", valueName: "path")
    )
    var dataDirectory: String?

    @Flag(name: .shortAndLong, help: "Log what the benchmark does to standard error.")
    var verbose = false

    var logger: Logger {
        var logger = Logger(label: "meridian-bench")
        logger.logLevel = verbose ? .info : .warning
        return logger
    }

    /// Connection settings for the configured server (see `ConfiguredDatabase.connect`).
    func connect() async throws -> ConnectionSettings {
        try await ConfiguredDatabase.connect(url: databaseURL, dataDirectory: dataDirectory, logger: logger)
    }
}
