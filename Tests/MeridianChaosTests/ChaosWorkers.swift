import Foundation
import MeridianPostgres
import MeridianTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The `meridian worker` processes of a chaos run: a fixed number kept running, any one of
/// them SIGKILLed at random and replaced, and any that exits on its own started again.
actor ChaosWorkers {
    private let url: String
    private var running: [pid_t: ChildProcess] = [:]
    private var killedByUs: Set<pid_t> = []
    private var stopping = false
    /// Workers SIGKILLed by the run.
    private(set) var kills = 0
    /// Workers that exited without being killed (say, started while the server was down),
    /// with the last line each printed.
    private(set) var ownExits: [String] = []

    init(url: String) {
        self.url = url
    }

    /// Starts `count` workers.
    func start(_ count: Int) throws {
        for _ in 0..<count { try spawn() }
    }

    /// SIGKILLs one worker at random; its replacement starts when it is reaped.
    func killOne() {
        guard let pid = running.keys.randomElement() else { return }
        killedByUs.insert(pid)
        kill(pid, SIGKILL)
        kills += 1
    }

    /// How many workers run now.
    var count: Int { running.count }

    /// Stops every worker with SIGTERM (a graceful stop) and waits until all have exited.
    func stop() async {
        stopping = true
        for pid in running.keys { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(60)
        while !running.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for pid in running.keys { kill(pid, SIGKILL) }
    }

    private func spawn() throws {
        let child = try MeridianBinary.start(
            ["worker", "--database-url", url, "--queue", "engine=8", "--lease-ms", "4000", "--rescue-ms", "1000",
             "--poll-ms", "250", "--connections", "6", "--shutdown-deadline-ms", "5000", "--job-timeout-ms", "20000"],
            captureOutput: true)
        running[child.pid] = child
        Task.detached { [weak self] in
            let termination = await MeridianBinary.wait(for: child)
            await self?.ended(child.pid, termination)
        }
    }

    private func ended(_ pid: pid_t, _ termination: ChildProcess.Termination) async {
        running[pid] = nil
        if killedByUs.remove(pid) == nil, !stopping {
            let last = (termination.errorOutput + termination.output).split(separator: "\n").last.map(String.init) ?? ""
            ownExits.append("exit \(termination.status): \(last)")
            // Started while the server is down: do not spin.
            try? await Task.sleep(for: .milliseconds(500))
        }
        if !stopping { try? spawn() }
    }
}
