import Logging
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianWorkflow
import PostgresNIO

/// The domains that plug into the engine: the names and guards their definitions use
/// (``plugins``), and their task handlers — queued tasks (kinds `workflow-task:NAME`, queue
/// `engine`) and in-step tasks (run inside the step).
///
/// A domain joins with one line in each list; the engine and the workflow language know none of
/// their names. A task with no handler is enqueued and waits until a worker that registers it runs.
public enum DomainPlugins {
    /// Every domain's plugin.
    public static let plugins: [WorkflowPlugin] = [ExchangeTasks.plugin, FundingTasks.plugin]

    /// The tasks and guards a definition may name in a Meridian with every domain: what
    /// `meridian workflow validate` checks against without a database.
    public static var registry: WorkflowRegistry {
        plugins.reduce(ContextGuards.registry) { $0.merging($1.registry) }
    }

    static func tasks(client: PostgresClient, logger: Logger, matchIndex: MatchIndex) -> TaskHandlers {
        var tasks = TaskHandlers()
        FundingTasks.register(into: &tasks, client: client, logger: logger)
        ExchangeTasks.register(into: &tasks, client: client, logger: logger, matchIndex: matchIndex)
        return tasks
    }
}
