import Logging
import MeridianEngine
import MeridianFunding
import MeridianExchange
import MeridianQueue
import PostgresNIO

/// The one place where every domain's task handlers are assembled into the engine that the
/// CLI and `meridian worker` use: timers (kind `workflow-timer`), queued tasks (kinds
/// `workflow-task:NAME`, on the queue `engine`) and in-step tasks (run inside the step).
///
/// A domain module registers its handlers with one line in ``tasks(client:logger:)`` that
/// calls its own `register(into:…)`. A task with no handler is enqueued and waits until a
/// worker that registers it runs.
enum EngineHandlers {
    /// Every domain's task handlers, for engines over `client`.
    static func tasks(client: PostgresClient, logger: Logger) -> TaskHandlers {
        var tasks = TaskHandlers()
        FundingTasks.register(into: &tasks, client: client, logger: logger)
        ExchangeTasks.register(into: &tasks, client: client, logger: logger)
        return tasks
    }

    /// The engine the CLI and the worker use: the default configuration with every task handler.
    static func engine(client: PostgresClient, logger: Logger) throws -> WorkflowEngine {
        try WorkflowEngine(client: client, configuration: .init(tasks: tasks(client: client, logger: logger)), logger: logger)
    }

    /// `handlers` plus the engine's, for an engine over `client`.
    static func adding(to handlers: JobHandlers, client: PostgresClient, logger: Logger) throws -> JobHandlers {
        let engineHandlers = try engine(client: client, logger: logger).jobHandlers()
        var all = handlers
        for kind in engineHandlers.kinds {
            if let handler = engineHandlers.handler(for: kind) { all.register(kind, handler) }
        }
        return all
    }
}
