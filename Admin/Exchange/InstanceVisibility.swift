import Foundation
import Logging
import MeridianEngine
import MeridianExchange

/// The country check of the exchange domain, applied to the generic `instance show` and
/// `instance history`: with a token, an official reads an exchange's instance only where she
/// may read the exchange (exit status 77 otherwise). Without a token the command is the
/// operator's view on the database and stays as it was.
enum InstanceVisibility {
    static func require(_ instanceID: UUID, engine: WorkflowEngine, logger: Logger) async throws {
        guard let user = try await ActingUser.resolveIfPresent(client: engine.client, logger: logger) else { return }
        _ = try await Exchanges(engine: engine, logger: logger).workflowActor(for: user.exchangeActor, instance: instanceID)
    }
}
