import ArgumentParser
import Foundation
import MeridianPostgres
import MeridianQueue

struct QueueRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Run a dead or cancelled job again (fresh attempts, errors kept), or every dead job.",
        discussion: "A scheduled job is made to run now. Exit status 66 when no job has the id.\nExamples:\n  meridian queue retry 1234\n  meridian queue retry --all-dead --queue mail"
    )
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The job's id.") var id: Int64?
    @Flag(help: "Retry every dead job (of --queue, else of all queues).") var allDead = false
    @Option(help: "With --all-dead: only this queue.") var queue: String?

    func validate() throws {
        if (id == nil) == !allDead { throw ValidationError("Give either a job id or --all-dead.") }
        if queue != nil && !allDead { throw ValidationError("--queue goes with --all-dead.") }
    }

    func run() async throws {
        try await mappingQueueErrors {
            try await database.withClient { client, logger in
                let store = QueueStore(logger: logger)
                if let id {
                    try await store.retry(JobID(id), on: client)
                    print("job \(id) will run again")
                } else {
                    let count = try await store.retryAllDead(queue: queue.map { QueueName($0) }, on: client)
                    print("\(count) dead job(s) will run again")
                }
            }
        }
    }
}

struct QueueCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job that has not finished.",
        discussion: "A running job's body is not interrupted, but its worker's completion is refused. Exit status 66 when no job has the id, 1 when it already finished.\nExample:\n  meridian queue cancel 1234"
    )
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The job's id.") var id: Int64

    func run() async throws {
        let state = try await mappingQueueErrors {
            try await database.withClient { client, logger in
                try await QueueStore(logger: logger).cancel(JobID(id), on: client)
            }
        }
        print("job \(id) cancelled (it was \(state.rawValue))")
    }
}

struct QueuePruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete finished jobs from the history once they are older than a given age.",
        discussion: "Completed and cancelled jobs only, unless --include-dead. Ages: 90s, 15m, 12h, 7d, 2w.\nExample:\n  meridian queue prune --older-than 7d"
    )
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Delete jobs that finished longer ago than this (e.g. 7d).") var olderThan: DurationArgument
    @Flag(help: "Delete dead jobs too.") var includeDead = false

    func run() async throws {
        let count = try await database.withClient { client, logger in
            try await QueueStore(logger: logger).prune(olderThanSeconds: olderThan.seconds, includeDead: includeDead, on: client)
        }
        print("pruned \(count) finished job(s)")
    }
}
