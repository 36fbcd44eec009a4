import Foundation
import Logging
import MeridianPostgres
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// The one private PostgreSQL cluster of a test run: created in a temporary folder on first
/// use, migrated once into a template database, stopped and deleted when the process exits.
///
/// Durability is switched off (`fsync`, `synchronous_commit`, `full_page_writes`): a test
/// cluster that loses power is simply made again, and tests run several times faster.
/// Folders of earlier runs that were killed before they could clean up are removed on start.
enum TestCluster {
    /// The name of the migrated template every fresh test database is copied from.
    static let templateDatabase = "meridian_template"

    static let shared: Task<EmbeddedCluster, any Error> = Task { try await start() }

    private static func start() async throws -> EmbeddedCluster {
        let logger = TestDatabase.makeLogger()
        removeLeftoversOfKilledRuns()
        let directory = "\(temporaryRoot)/meridian-tests-\(getpid())"
        let cluster = EmbeddedCluster(
            configuration: .init(
                directory: directory,
                settings: [
                    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                    // Every suite runs at once, each with pools and worker processes.
                    "max_connections": "1000",
                ],
                database: templateDatabase
            ),
            binaries: try ServerBinaries.locate()
        )
        ClusterCleanup.register(cluster)
        try await cluster.start(logger: logger)
        try await Migrator.bundled().migrate(cluster.connection, logger: logger)
        return cluster
    }

    /// `/tmp`, which the unprivileged server user can reach even when the tests run as root.
    static var temporaryRoot: String { "/tmp" }

    /// Deletes `meridian-tests-PID` folders whose process is gone, stopping their servers first.
    private static func removeLeftoversOfKilledRuns() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryRoot)) ?? []
        for name in names where name.hasPrefix("meridian-tests-") {
            guard let pid = Int32(name.dropFirst("meridian-tests-".count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let directory = "\(temporaryRoot)/\(name)"
            guard let binaries = try? ServerBinaries.locate() else { return }
            let cluster = EmbeddedCluster(configuration: .init(directory: directory), binaries: binaries)
            try? cluster.destroy(logger: TestDatabase.makeLogger())
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

/// Stops and deletes the test cluster when the test process exits normally.
private enum ClusterCleanup {
    nonisolated(unsafe) private static var cluster: EmbeddedCluster?

    static func register(_ cluster: EmbeddedCluster) {
        Self.cluster = cluster
        atexit {
            guard let cluster = ClusterCleanup.cluster else { return }
            try? cluster.destroy(logger: TestDatabase.makeLogger())
            try? FileManager.default.removeItem(atPath: cluster.configuration.directory)
        }
    }
}
