import MeridianCodes
import Foundation
import MeridianEngine
import MeridianExchange
import MeridianWorkflow

/// Generic instances of any deployed workflow, under the same rules as the domains' actions.
///
/// A workflow that a domain owns (the knowledge exchange, started by filing a request) cannot be
/// started bare: its checks and records would be skipped. Events whose records only a domain
/// writes cannot be fired bare either. On an exchange, an official's workflow roles come from
/// her country, and an exchange she may not see reads as unknown.
extension MeridianService {
    /// Workflows started only through a domain's action, with the command that does it.
    public static let workflowsStartedByDomains: [String: String] = [
        Exchanges.workflow: "meridian exchange request FILE (POST /api/v1/exchanges)",
    ]

    /// Starts an instance of a deployed workflow (its latest version unless `version`).
    public func startInstance(workflow: String, version: Int?, context: [String: JSONValue], by caller: Caller) async throws -> InstanceRecord {
        if let action = Self.workflowsStartedByDomains[workflow] {
            throw ServiceError(.forbidden, "'\(workflow)' instances are started by filing a request, which checks it and records the country; use \(action)")
        }
        return try await engine.start(workflow: workflow, version: version, context: context, actor: caller.workflowActor)
    }

    /// Fires an event on an instance as the caller.
    public func fire(_ event: String, instance id: UUID, data: [String: JSONValue], key: String?, by caller: Caller) async throws -> FireOutcome {
        let exchangeActor = try await exchanges.workflowActor(for: caller.exchangeActor, instance: id)
        if exchangeActor != nil, let command = Exchanges.eventsWithRecords[event] {
            throw ServiceError(.invalidArgument, "'\(event)' on an exchange records more than the step; use `\(command)` instead of `instance fire`")
        }
        return try await engine.fire(FireRequest(instanceID: id, event: event, data: data, actor: exchangeActor ?? caller.workflowActor, idempotencyKey: key))
    }

    /// One instance, if the caller may read it.
    public func instance(_ id: UUID, by caller: Caller) async throws -> InstanceRecord {
        _ = try await exchanges.workflowActor(for: caller.exchangeActor, instance: id)
        return try await engine.instance(id)
    }

    /// An instance's history, oldest first, if the caller may read it. An official reading an
    /// exchange's history sees votes on its grant as the role's (`fund-approver`, no payload),
    /// as on its timeline: officials never see approvers.
    public func history(of id: UUID, by caller: Caller) async throws -> [HistoryRecord] {
        let onExchange = try await exchanges.workflowActor(for: caller.exchangeActor, instance: id) != nil
        let history = try await engine.history(of: id)
        return onExchange ? Exchanges.hidingVoters(history, from: caller.exchangeActor) : history
    }
}
