import Foundation
import Logging
import MeridianEngine
import PostgresNIO
import MeridianPostgres

/// The `knowledge-exchange` workflow's tasks this module implements, registered on a
/// `TaskHandlers` that a worker (or the service, `MeridianService`) serves.
///
/// The funding tasks (`create-grant-request`, `commit-funds`, `release-commitment`,
/// `export-payment-instruction`, `reconcile-bank-status`) belong to the funding module.
public enum ExchangeTasks {
    /// The task names registered by ``register(into:client:logger:)``.
    public static let names: Set<String> = Set([
        "match-experiences", "invite-partner", "check-plan-consistency", "publish-experience", "archive-exchange",
    ]).union(NotificationTasks.names)

    /// Registers every exchange task (all queued) on `tasks`.
    /// - Parameters:
    ///   - client: the database the tasks read and write.
    ///   - logger: for the matcher; each job also logs through the worker's logger.
    ///   - matchIndex: the process's catalogue in memory for `match-experiences` (a new one,
    ///     loaded by the first match, when left out).
    public static func register(into tasks: inout TaskHandlers, client: PostgresClient, logger: Logger, matchIndex: MatchIndex = MatchIndex()) {
        let context = TaskContext(client: client, logger: logger, matchIndex: matchIndex)
        tasks.register("match-experiences") { input, logger in
            try await MatchExperiencesTask.run(input, context: context, logger: logger)
        }
        tasks.register("invite-partner") { input, logger in
            try await NotificationTasks.run(input, context: context, logger: logger)
        }
        tasks.register("check-plan-consistency") { input, logger in
            try await CheckPlanTask.run(input, context: context, logger: logger)
        }
        tasks.register("publish-experience") { input, logger in
            try await PublishExperienceTask.run(input, context: context, logger: logger)
        }
        tasks.register("archive-exchange") { input, logger in
            try await ArchiveExchangeTask.run(input, context: context, logger: logger)
        }
        for name in NotificationTasks.names {
            tasks.register(name) { input, logger in
                try await NotificationTasks.run(input, context: context, logger: logger)
            }
        }
    }
}

/// What every exchange task needs.
struct TaskContext: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The process's catalogue in memory, for matching.
    let matchIndex: MatchIndex

    /// Runs `body` in one transaction, its own errors unwrapped.
    func transaction<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> sending Result) async throws -> Result {
        try await client.transaction(logger: logger, body)
    }
}
