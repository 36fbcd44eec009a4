import Foundation

/// Breaks things while the exchanges run: SIGKILLs a random worker every few seconds, has
/// `meridian serve` SIGKILLed under one of the program manager's requests every few seconds,
/// and SIGKILLs the PostgreSQL postmaster at evenly spread points of the run's progress (so
/// every crash lands among work in flight), starting each again after a short pause.
struct ChaosMonkey: Sendable {
    let cluster: ChaosCluster
    let workers: ChaosWorkers
    let progress: ChaosProgress
    let settings: ChaosSettings
    /// The HTTP server to SIGKILL mid-request, when the run has one.
    let api: ChaosAPI?
    /// Steps the driver takes per exchange (file, screen, accept, approve matches, select,
    /// confirm, submit plan, approve grant, disburse, report, review).
    static let stepsPerExchange = 11

    /// Runs until `stop` says so; returns how many times the server was crashed and restarted.
    func run(until stop: @escaping @Sendable () async -> Bool) async throws -> Int {
        var restarts = 0
        var nextWorkerKill = ContinuousClock.now + .seconds(Double.random(in: settings.workerKillInterval))
        var nextServerKill = ContinuousClock.now + .seconds(Double.random(in: settings.serverKillInterval))
        let total = Self.stepsPerExchange * settings.exchanges
        while await !stop() {
            if ContinuousClock.now >= nextWorkerKill {
                await workers.killOne()
                nextWorkerKill = ContinuousClock.now + .seconds(Double.random(in: settings.workerKillInterval))
            }
            if let api, ContinuousClock.now >= nextServerKill {
                await api.killDuringNextRequest()
                nextServerKill = ContinuousClock.now + .seconds(Double.random(in: settings.serverKillInterval))
            }
            if restarts < settings.restarts, await progress.actions >= total * (restarts + 1) / (settings.restarts + 1) {
                try await cluster.crash()
                try await Task.sleep(for: .milliseconds(Int.random(in: 200...1_500)))
                try await restartPatiently()
                restarts += 1
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return restarts
    }

    /// Starts the server again, retrying for up to a minute (old backends may still hold
    /// shared memory for a moment).
    private func restartPatiently() async throws {
        var lastError: (any Error)?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            do {
                try await cluster.restart()
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        throw ChaosFailure("the crashed server did not start again within 60 s: \(lastError.map { "\($0)" } ?? "")")
    }
}
