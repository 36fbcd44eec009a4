import ArgumentParser
import MeridianIdentity
import MeridianWorkflow

/// Who runs an acting funding command (fund create, contribute, grant approve/reject,
/// disburse, payments mark/reconcile): the user whose token is in MERIDIAN_TOKEN (or saved by
/// `meridian login`). The history records the handle.
enum ActingPerson {
    /// The token's user as the engine sees them; exit 77 without a valid token, or unless they
    /// hold one of `required` (checked again by the funding rules and the workflow).
    static func require(anyOf required: [String], to what: String, database: DatabaseOptions) async throws -> WorkflowActor {
        let user = try await database.withClient { client, logger in try await ActingUser.resolve(client: client, logger: logger) }
        let actor = user.engineActor
        guard required.contains(where: actor.roles.contains) else {
            throw CLIFailure("\(what) needs the role \(required.joined(separator: " or ")); \(actor.id) holds \(actor.roles.isEmpty ? "none" : actor.roles.sorted().joined(separator: ", "))",
                             status: .permission)
        }
        return actor
    }
}
