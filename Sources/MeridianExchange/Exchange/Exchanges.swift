import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO
import MeridianPostgres

/// The exchange domain's actions: file a request, choose and confirm a partner, plan,
/// report results, review. Each action is one transaction that holds the instance's row
/// lock, writes its domain rows and takes the workflow step, so both commit or neither does.
///
/// The exchange's id is its `knowledge-exchange` instance's id.
public struct Exchanges: Sendable {
    /// The workflow every exchange runs.
    public static let workflow = "knowledge-exchange"

    public let engine: WorkflowEngine
    public let logger: Logger
    public var client: PostgresClient { engine.client }

    public init(engine: WorkflowEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    /// The engine's time, so tests with a manual clock see the same "now" as the engine.
    func now() -> Date { engine.configuration.clock.now() }

    /// Runs `body` in one transaction; its own errors come out unwrapped.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> sending Result) async throws -> Result {
        try await client.transaction(logger: logger, body)
    }

    /// Fires `request` on `connection` and turns a refusal into an error, so the caller's
    /// transaction rolls back its domain rows with it.
    @discardableResult
    func fireOrThrow(_ request: FireRequest, on connection: PostgresConnection) async throws -> FireOutcome {
        let outcome = try await engine.fire(request, on: connection)
        guard outcome.status == .applied else {
            throw ExchangeError(.conflict, "the exchange (now \(outcome.from)) refused '\(request.event)': \(outcome.message)",
                                hint: "see `meridian exchange show \(request.instanceID.uuidString.lowercased())` for what it waits for")
        }
        return outcome
    }

    /// The person as the workflow sees her on this exchange.
    static func workflowActor(_ actor: ExchangeActor, roles: ExchangeRoles) -> WorkflowActor {
        .person(actor.id, roles: roles.workflowRoles)
    }
}
