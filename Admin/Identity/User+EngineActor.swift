import MeridianIdentity
import MeridianWorkflow

extension User {
    /// The user as the engine sees her: a person whose id is her handle (what the history
    /// records) and whose roles are her roles' names (what definitions' `role` attributes name).
    var engineActor: WorkflowActor {
        .person(handle, roles: Set(roles.map(\.rawValue)))
    }
}
