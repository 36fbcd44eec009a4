import ArgumentParser
import MeridianWorkflow

/// Who runs an acting funding command (contribute, approve, reject, disburse, mark,
/// reconcile): until the identity module is merged, named by --actor and --role as
/// `instance fire` does; the history records the handle.
struct ActingPerson: ParsableArguments {
    @Option(help: "Who acts (until identities: the token's user).")
    var actor: String

    @Option(name: .customLong("role"), help: "A role the actor holds (repeat for several).")
    var roles: [String] = []

    var workflowActor: WorkflowActor { .person(actor, roles: Set(roles)) }

    /// Refuses with exit 77 unless the person holds one of `roles`.
    func require(anyOf required: [String], to what: String) throws -> WorkflowActor {
        guard required.contains(where: roles.contains) else {
            throw CLIFailure("\(what) needs the role \(required.joined(separator: " or ")); \(actor) holds \(roles.isEmpty ? "none" : roles.sorted().joined(separator: ", "))",
                             status: .permission)
        }
        return workflowActor
    }
}
