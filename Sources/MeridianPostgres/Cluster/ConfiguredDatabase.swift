import Foundation
import Logging

/// The database a command was pointed at: an external URL (`--database-url`, else
/// `MERIDIAN_DATABASE_URL`) or the private embedded cluster, for every executable that
/// takes those options (`meridian`, `meridian-bench`).
public enum ConfiguredDatabase {
    /// The external database URL, if one is configured: `argument`, else the environment's.
    public static func externalURL(_ argument: String?) -> String? {
        if let argument { return argument }
        if let fromEnvironment = ProcessInfo.processInfo.environment["MERIDIAN_DATABASE_URL"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return nil
    }

    /// The embedded cluster in `dataDirectory` (default: `MERIDIAN_DATA_DIR` or the user's
    /// folder), its database `database` (default: `meridian`), whether or not it exists yet.
    public static func embeddedCluster(dataDirectory: String?, database: String? = nil) throws -> EmbeddedCluster {
        var configuration = EmbeddedCluster.Configuration.default()
        if let dataDirectory { configuration.directory = dataDirectory }
        if let database { configuration.database = database }
        return EmbeddedCluster(configuration: configuration, binaries: try ServerBinaries.locate(
            majorVersion: EmbeddedCluster.majorVersion(ofClusterIn: configuration.directory)
        ))
    }

    /// Connection settings for the configured database, starting the embedded cluster (and
    /// bringing its schema up to date) when no external one is configured.
    ///
    /// An external database is never migrated implicitly: when its schema is behind, this
    /// stops and says to run `meridian db migrate`.
    /// - Parameters:
    ///   - database: the private cluster's database (default: `meridian`).
    ///   - limits: applied to the settings before the first connection (the CLI's timeouts
    ///     from the environment).
    public static func connect(
        url argument: String?, dataDirectory: String?, database: String? = nil, logger: Logger,
        limits: (ConnectionSettings) throws -> ConnectionSettings = { $0 }
    ) async throws -> ConnectionSettings {
        if let url = externalURL(argument) {
            let settings = try limits(try ConnectionSettings(url: url))
            let pending = try await Migrator.bundled().pending(settings, logger: logger)
            guard pending.isEmpty else {
                throw DatabaseError(
                    .migrationsPending,
                    "the database at \(settings.url) lacks \(pending.count) migration(s), starting with \(pending[0].fileName)",
                    hint: "run `meridian db migrate` against it first"
                )
            }
            return settings
        }
        let cluster = try embeddedCluster(dataDirectory: dataDirectory, database: database)
        try await cluster.start(logger: logger)
        let settings = try limits(cluster.connection)
        try await Migrator.bundled().migrate(settings, logger: logger)
        return settings
    }
}
