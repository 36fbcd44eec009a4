import Foundation
import Logging
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

/// A fresh migrated database, a running client and an engine over it, for one test.
public struct EngineFixture: Sendable {
    public let database: TestDatabase
    public let client: PostgresClient
    public let engine: WorkflowEngine
    public let clock: ManualClock

    /// The task names the test definitions use.
    public static let registry = WorkflowRegistry(tasks: ["check", "notify", "step"], guards: [])

    public static func with<Result: Sendable>(
        clock: ManualClock = ManualClock(),
        _ body: (EngineFixture) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withFresh { database in
            try await withPostgresClient(database.settings, logger: database.logger) { client in
                let engine = try WorkflowEngine(
                    client: client,
                    configuration: .init(registry: registry, clock: clock),
                    logger: database.logger)
                return try await body(EngineFixture(database: database, client: client, engine: engine, clock: clock))
            }
        }
    }

    /// Deploys the given definitions (XML text).
    @discardableResult
    public func deploy(_ sources: String...) async throws -> [DeployResult] {
        try await engine.deploy(sources.enumerated().map { WorkflowEngine.DefinitionFile(name: "test-\($0.offset).xml", bytes: Array($0.element.utf8)) })
    }

    /// Runs `sql` with the append-only triggers off, as a superuser tampering with the table would.
    public func tamper(_ sql: String) async throws {
        try await withPostgresConnection(database.settings, logger: database.logger) { connection in
            try await connection.query("SET session_replication_role = replica", logger: database.logger)
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: database.logger)
        }
    }

    /// The number of rows of `table` matching `condition` (a constant SQL fragment).
    public func count(_ table: String, where condition: String = "true") async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM \(unescaped: table) WHERE \(unescaped: condition)", logger: database.logger).collect()
        return try rows[0].decode(Int.self)
    }
}

extension WorkflowActor {
    public static func author(_ id: String = "alice") -> WorkflowActor { .person(id, roles: ["author"]) }
    public static func approver(_ id: String) -> WorkflowActor { .person(id, roles: ["approver"]) }
}
