import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import PostgresNIO

/// The domains that plug their tasks into the engine: timers (kind `workflow-timer`), queued
/// tasks (kinds `workflow-task:NAME`, queue `engine`) and in-step tasks (run inside the step).
///
/// A domain registers with one line here that calls its own `register(into:…)`; the engine
/// knows none of their names. A task with no handler is enqueued and waits until a worker that
/// registers it runs.
enum DomainPlugins {
    static func tasks(client: PostgresClient, logger: Logger) -> TaskHandlers {
        var tasks = TaskHandlers()
        FundingTasks.register(into: &tasks, client: client, logger: logger)
        ExchangeTasks.register(into: &tasks, client: client, logger: logger)
        return tasks
    }
}
