import Foundation
import Logging
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

extension WorkflowEngine {
    /// A definition file to deploy: its bytes and the name to report problems against.
    public struct DefinitionFile: Sendable {
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// Validates every file, then stores them in one transaction: all are deployed or none.
    ///
    /// A version already deployed with the same content is reported `unchanged`; with other
    /// content it is refused (a deployed version is immutable: give the new one a new version).
    public func deploy(_ files: [DefinitionFile]) async throws -> [DeployResult] {
        var loaded: [(DefinitionFile, WorkflowDefinition)] = []
        var problems: [String] = []
        for file in files {
            let result = loader.load(bytes: file.bytes, file: file.name)
            if let definition = result.validDefinition {
                loaded.append((file, definition))
            } else {
                problems += result.diagnostics.filter { $0.severity == .error }.map(\.description)
            }
        }
        if !problems.isEmpty {
            throw EngineError(.invalidDefinition, problems.joined(separator: "\n"),
                              hint: "nothing was deployed; fix the definitions (meridian workflow validate) and deploy again")
        }
        let logger = self.logger
        return try await client.transaction(logger: logger) { connection in
            var results: [DeployResult] = []
            for (file, definition) in loaded {
                let identity = definition.identity
                let source = String(decoding: file.bytes, as: UTF8.self)
                let inserted = try await connection.query("""
                    INSERT INTO engine_definitions (workflow_id, version, sha256, source, file_name, description)
                    VALUES (\(identity.id), \(identity.version), \(identity.sha256), \(source), \(file.name), \(definition.description))
                    ON CONFLICT (workflow_id, version) DO NOTHING
                    RETURNING sha256
                    """, logger: logger).collect()
                if !inserted.isEmpty {
                    results.append(DeployResult(workflowID: identity.id, version: identity.version, sha256: identity.sha256, status: .deployed))
                    continue
                }
                let existing = try await connection.query("""
                    SELECT sha256 FROM engine_definitions WHERE workflow_id = \(identity.id) AND version = \(identity.version)
                    """, logger: logger).collect()
                let stored = try existing.first?.decode(String.self) ?? ""
                guard stored == identity.sha256 else {
                    throw EngineError(.conflict,
                        "\(identity.id) version \(identity.version) is already deployed with other content (sha256 \(stored.prefix(12))…, \(file.name) has \(identity.sha256.prefix(12))…)",
                        hint: "a deployed version is immutable: raise version= in \(file.name) and deploy again; nothing was deployed")
                }
                results.append(DeployResult(workflowID: identity.id, version: identity.version, sha256: identity.sha256, status: .unchanged))
            }
            return results
        }
    }

    /// Every deployed version, by id then version.
    public func definitions(workflow: String? = nil) async throws -> [DeployedDefinition] {
        let rows = try await client.query("""
            SELECT d.workflow_id, d.version, d.sha256, d.file_name, d.description, d.deployed_at,
                   (SELECT count(*) FROM engine_instances i WHERE i.workflow_id = d.workflow_id AND i.workflow_version = d.version)
            FROM engine_definitions d
            WHERE \(workflow)::text IS NULL OR d.workflow_id = \(workflow)
            ORDER BY d.workflow_id, d.version
            """, logger: logger).collect()
        return try rows.map { row in
            let (id, version, sha, file, description, deployedAt, count) = try row.decode((String, Int, String, String, String?, Date, Int).self)
            return DeployedDefinition(workflowID: id, version: version, sha256: sha, fileName: file, description: description,
                                      deployedAt: deployedAt, instanceCount: count)
        }
    }

    /// The stored XML of one version (the latest when `version` is nil).
    public func definitionSource(_ workflow: String, version: Int? = nil) async throws -> (DeployedDefinition, String) {
        let rows = try await client.query("""
            SELECT d.workflow_id, d.version, d.sha256, d.file_name, d.description, d.deployed_at,
                   (SELECT count(*) FROM engine_instances i WHERE i.workflow_id = d.workflow_id AND i.workflow_version = d.version),
                   d.source
            FROM engine_definitions d
            WHERE d.workflow_id = \(workflow) AND (\(version)::int8 IS NULL OR d.version = \(version))
            ORDER BY d.version DESC LIMIT 1
            """, logger: logger).collect()
        guard let row = rows.first else {
            throw EngineError(.notFound, version.map { "workflow \(workflow) has no deployed version \($0)" } ?? "no workflow \(workflow) is deployed",
                              hint: "see `meridian workflow list`")
        }
        let (id, number, sha, file, description, deployedAt, count, source) = try row.decode((String, Int, String, String, String?, Date, Int, String).self)
        return (DeployedDefinition(workflowID: id, version: number, sha256: sha, fileName: file, description: description,
                                   deployedAt: deployedAt, instanceCount: count), source)
    }

    /// The loaded definition of a deployed version, from the cache or else the database.
    public func definition(_ workflow: String, version: Int) async throws -> WorkflowDefinition {
        if let cached = cache.definition(workflow, version) { return cached }
        return try await client.withConnection { connection in
            try await definition(workflow, version: version, on: connection)
        }
    }

    /// The loaded definition of a deployed version, from the cache or the database.
    public func definition(_ workflow: String, version: Int, on connection: PostgresConnection) async throws -> WorkflowDefinition {
        if let cached = cache.definition(workflow, version) { return cached }
        let rows = try await connection.query("""
            SELECT source, file_name FROM engine_definitions WHERE workflow_id = \(workflow) AND version = \(version)
            """, logger: logger).collect()
        guard let row = rows.first else {
            throw EngineError(.notFound, "workflow \(workflow) has no deployed version \(version)", hint: "see `meridian workflow list`")
        }
        let (source, file) = try row.decode((String, String).self)
        var result = loader.load(bytes: Array(source.utf8), file: file)
        // Deploying checked the tasks against the deploying build's registry. This process may
        // not run every task (a worker for timers only, the CLI): a task without a handler
        // here waits on the queue for a worker that has one, so it must not stop the step.
        if result.validDefinition == nil, let parsed = result.definition {
            var registry = configuration.registry
            for state in parsed.states {
                registry.tasks.formUnion(state.entryTasks.map(\.name) + state.transitions.flatMap { $0.tasks.map(\.name) })
            }
            if let widened = try? WorkflowLoader(registry: registry) {
                result = widened.load(bytes: Array(source.utf8), file: file)
            }
        }
        guard let definition = result.validDefinition else {
            let first = result.diagnostics.first.map(\.description) ?? "unknown problem"
            throw EngineError(.invalidDefinition, "the deployed \(workflow) v\(version) no longer loads here: \(first)",
                              hint: "this build lacks a guard the definition names; run a build that registers it")
        }
        cache.store(definition)
        return definition
    }

    /// The latest deployed version of `workflow`.
    func latestVersion(of workflow: String, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("SELECT max(version) FROM engine_definitions WHERE workflow_id = \(workflow)", logger: logger).collect()
        guard let version = try rows.first?.decode(Int?.self) else {
            throw EngineError(.notFound, "no workflow \(workflow) is deployed", hint: "deploy it first: meridian workflow deploy FILE.xml")
        }
        return version
    }
}
