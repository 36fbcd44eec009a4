import Logging
import MeridianEngine
import MeridianQueue
import PostgresNIO

/// The engine's jobs for `meridian worker`: timers (kind `workflow-timer`) and the task
/// handlers written in Swift (kinds `workflow-task:NAME`), on the queue `engine`.
///
/// No task of the shipped definitions has a handler yet (they belong to the exchange domain);
/// their jobs wait until a worker that registers them runs. Register one here:
/// `tasks.register("send-reminder") { input, logger in …; return .done }`.
enum EngineHandlers {
    static func tasks() -> TaskHandlers {
        TaskHandlers()
    }

    /// `handlers` plus the engine's, for an engine over `client`.
    static func adding(to handlers: JobHandlers, client: PostgresClient, logger: Logger) throws -> JobHandlers {
        let engine = try WorkflowEngine(client: client, logger: logger)
        let engineHandlers = engine.jobHandlers(tasks: tasks())
        var all = handlers
        for kind in engineHandlers.kinds {
            if let handler = engineHandlers.handler(for: kind) { all.register(kind, handler) }
        }
        return all
    }
}
