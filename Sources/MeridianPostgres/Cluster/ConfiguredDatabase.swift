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
    /// folder), whether or not it exists yet.
    public static func embeddedCluster(dataDirectory: String?) throws -> EmbeddedCluster {
        var configuration = EmbeddedCluster.Configuration.default()
        if let dataDirectory { configuration.directory = dataDirectory }
        return EmbeddedCluster(configuration: configuration, binaries: try ServerBinaries.locate(
            majorVersion: EmbeddedCluster.majorVersion(ofClusterIn: configuration.directory)
        ))
    }

    /// Connection settings for the configured database, starting the embedded cluster (and
    /// bringing its schema up to date) when no external one is configured.
    ///
    /// An external database is never migrated implicitly: when its schema is behind, this
    /// stops and says to run `meridian db migrate`.
    public static func connect(url argument: String?, dataDirectory: String?, logger: Logger) async throws -> ConnectionSettings {
        if let url = externalURL(argument) {
            let settings = try ConnectionSettings(url: url)
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
        let cluster = try embeddedCluster(dataDirectory: dataDirectory)
        try await cluster.start(logger: logger)
        try await Migrator.bundled().migrate(cluster.connection, logger: logger)
        return cluster.connection
    }
}
