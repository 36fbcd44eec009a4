import Foundation
import Logging
import PostgresNIO

/// Who did what on an exchange, from the engine's history: for separation of duties that
/// the workflow definition cannot express (the request's author) or that must hold outside
/// its approval states (later instalments).
public struct GrantDuties: Sendable, Hashable {
    /// Who filed the request (fired `submit` in an exchange, `submit-for-approval` in a grant).
    public var requesters: Set<String> = []
    /// Who submitted the plan (fired `submit-plan`).
    public var planAuthors: Set<String> = []
    /// Everyone who ever voted to approve the grant (approval `grant`, whatever its event is called).
    public var grantApprovers: Set<String> = []
    /// Approving votes of the current stay in the approval's state.
    public var currentGrantApprovers: Set<String> = []

    /// Everyone who may not disburse the grant.
    public var barredFromDisbursing: Set<String> { requesters.union(planAuthors).union(grantApprovers) }

    static func read(instance: UUID, on runner: some PostgresQueryRunner, logger: Logger) async throws -> GrantDuties {
        let rows = try await runner.collectRows("""
            SELECT event, actor_id, actor_kind, vote, from_state, to_state FROM engine_history
            WHERE instance_id = \(instance) ORDER BY seq
            """, logger: logger)
        var duties = GrantDuties()
        for row in rows {
            let (event, actor, kind, vote, from, to) = try row.decode((String, String, String, String, String, String).self)
            // Votes count per stay in the approval's state: any other move starts a new stay.
            if vote == "grant:approve" {
                if kind == "person" {
                    duties.grantApprovers.insert(actor)
                    duties.currentGrantApprovers.insert(actor)
                }
                continue
            }
            if from != to { duties.currentGrantApprovers = [] }
            guard kind == "person" else { continue }
            switch event {
            case "submit", "submit-for-approval": duties.requesters.insert(actor)
            case "submit-plan": duties.planAuthors.insert(actor)
            default: break
            }
        }
        return duties
    }
}
