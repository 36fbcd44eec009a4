import ArgumentParser
import Foundation
import MeridianPostgres
import MeridianQueue

/// `meridian queue …`: what the task queue holds, and the operator's levers on it.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Inspect the task queue and retry, cancel or prune its jobs.",
        discussion: """
            Waiting and running jobs live in a small hot table; finished ones (completed, dead, \
            cancelled) in a history that `prune` trims. Workers run with `meridian worker`.

            Example:
              meridian queue stats && meridian queue list --state dead && meridian queue retry --all-dead
            """,
        subcommands: [QueueStatsCommand.self, QueueListCommand.self, QueueShowCommand.self, QueueRetryCommand.self, QueueCancelCommand.self, QueuePruneCommand.self]
    )
}

struct QueueStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per queue: scheduled, available (depth), running, dead, oldest waiting age, completed in the last minute.",
        discussion: "Example:\n  meridian queue stats --json"
    )
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let stats = try await database.withClient { client, logger in
            try await QueueStore(logger: logger).stats(on: client)
        }
        if json {
            print(try JSONOutput.string(stats))
            return
        }
        guard !stats.isEmpty else {
            print("no jobs: every queue is empty and nothing finished in the last minute")
            return
        }
        print(Table.render(
            ["QUEUE", "SCHEDULED", "AVAILABLE", "RUNNING", "DEAD", "OLDEST WAITING", "DONE/MIN"],
            stats.map {
                [$0.queue.rawValue, "\($0.scheduled)", "\($0.available)", "\($0.running)", "\($0.dead)",
                 $0.available == 0 ? "-" : humanDuration(milliseconds: $0.oldestAvailableAgeMilliseconds), "\($0.completedLastMinute)"]
            }
        ))
    }
}

struct QueueListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List jobs, newest first: waiting and running ones, or finished ones with --state.",
        discussion: "States: scheduled, available, running (the hot table); completed, dead, cancelled (the history).\nExample:\n  meridian queue list --queue mail --state dead --limit 20"
    )
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this queue.") var queue: String?
    @Option(help: "Only this state.") var state: JobState?
    @Option(help: "At most this many jobs.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive.") }
    }

    func run() async throws {
        let jobs = try await database.withClient { client, logger in
            try await QueueStore(logger: logger).list(queue: queue.map { QueueName($0) }, state: state, limit: limit, on: client)
        }
        if json {
            print(try JSONOutput.string(jobs))
            return
        }
        guard !jobs.isEmpty else {
            print("no jobs")
            return
        }
        let formatter = ISO8601DateFormatter()
        print(Table.render(
            ["ID", "QUEUE", "KIND", "STATE", "ATTEMPT", "RUN AT / FINISHED", "LAST ERROR"],
            jobs.map { job in
                let when = job.finishedAt ?? job.runAt
                return [job.id.description, job.queue.rawValue, job.kind.rawValue, job.state.rawValue,
                        "\(job.attempt)/\(job.maxAttempts)", when.map(formatter.string(from:)) ?? "-",
                        String((job.errors.last?.error ?? "").prefix(60))]
            }
        ))
    }
}

struct QueueShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one job with its payload, lease and every error.",
        discussion: "Exit status 66 when no job has the id.\nExample:\n  meridian queue show 1234 --json"
    )
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The job's id.") var id: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let found = try await database.withClient { client, logger in
            try await QueueStore(logger: logger).job(JobID(id), on: client)
        }
        guard let job = found else {
            throw CLIFailure("no job has the id \(id); list jobs with `meridian queue list`", status: .notFound)
        }
        if json {
            print(try JSONOutput.string(job))
            return
        }
        let formatter = ISO8601DateFormatter()
        func date(_ value: Date?) -> String { value.map(formatter.string(from:)) ?? "-" }
        print("job \(job.id): \(job.kind) in queue \(job.queue), \(job.state.rawValue)")
        print("attempt:     \(job.attempt) of \(job.maxAttempts), priority \(job.priority)")
        print("enqueued:    \(date(job.enqueuedAt))")
        if job.state.isActive { print("run at:      \(date(job.runAt))") }
        if let token = job.leaseToken { print("lease:       token \(token), by \(job.leasedBy ?? "?"), until \(date(job.leaseExpiresAt))") }
        if let finished = job.finishedAt { print("finished:    \(date(finished))") }
        if let key = job.uniqueKey { print("unique key:  \(key)") }
        print("payload:     \(job.payload)")
        print("errors:      \(job.errors.isEmpty ? "none" : "")")
        for error in job.errors { print("  attempt \(error.attempt) at \(error.at): \(error.error)") }
    }
}
