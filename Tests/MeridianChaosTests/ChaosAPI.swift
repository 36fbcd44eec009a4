import Foundation
import MeridianTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP side of a chaos run: a `meridian serve` child process that the monkey SIGKILLs
/// mid-request and starts again on the same port, and the program manager's desk decisions
/// sent to it as a person's client would — each with its `Idempotency-Key`, so that a request
/// whose answer was lost with the server can be sent again and take effect once.
actor ChaosAPI {
    private let databaseURL: String
    private let token: String
    private var server: ServeProcess
    /// Servers SIGKILLed by the run.
    private(set) var kills = 0
    /// Whether the next request is to have the server killed under it.
    private var armed = false
    /// Requests that got no answer (the server died under them, or was down) and were retried.
    private(set) var lostAnswers = 0
    /// Set by ``stop()``: a kill armed by the last request must not start a server afterwards
    /// (it would outlive the test, serving a cluster that no longer exists).
    private var stopped = false
    /// Set while ``killAndRestart()`` runs: a second kill armed meanwhile is skipped. Two restarts
    /// at once would each start a server on the port; the second finds the first's listening,
    /// takes it for its own, and the first is never stopped (one outlived CI runs that way).
    private var restarting = false

    private init(databaseURL: String, token: String, server: ServeProcess) {
        self.databaseURL = databaseURL
        self.token = token
        self.server = server
    }

    /// Starts the server over `databaseURL`; requests go as the holder of `token`.
    static func start(databaseURL: String, token: String) async throws -> ChaosAPI {
        let server = try await ServeProcess.start(databaseURL: databaseURL, workers: false)
        return ChaosAPI(databaseURL: databaseURL, token: token, server: server)
    }

    /// Has the server SIGKILLed 0–30 ms after the next request is sent, so the kill lands on a
    /// request in flight (before, during or just after the server's work on it).
    func killDuringNextRequest() { armed = true }

    /// SIGKILLs the server, whatever requests it is serving, and starts it again on its port.
    func killAndRestart() async throws {
        guard !stopped, !restarting else { return }
        restarting = true
        defer { restarting = false }
        await server.kill()
        kills += 1
        try await Task.sleep(for: .milliseconds(Int.random(in: 50...500)))
        guard !stopped else { return }
        let restarted = try await ServeProcess.start(databaseURL: databaseURL, workers: false, port: server.port)
        // `stop()` may have run while it started (the actor is reentrant at each await).
        guard !stopped else { return await restarted.stop() }
        server = restarted
    }

    /// Stops the server, and any restart of it still under way.
    func stop() async {
        stopped = true
        await server.stop()
    }

    /// POSTs `body` to `/api/v1/PATH` with `key`; returns the status, or throws when no answer
    /// came (the caller reads the state afresh and tries again with the same key).
    func post(_ path: String, body: String = "{}", key: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "\(server.url)/api/v1/\(path)")!)
        request.httpMethod = "POST"
        request.timeoutInterval = 15
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
        request.httpBody = Data(body.utf8)
        if armed {
            armed = false
            Task {
                try? await Task.sleep(for: .milliseconds(Int.random(in: 0...30)))
                try? await self.killAndRestart()
            }
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200..<300).contains(status) || status == 409 else {
                throw ChaosFailure("POST /api/v1/\(path) answered \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            return status
        } catch let error as ChaosFailure {
            throw error
        } catch {
            lostAnswers += 1
            throw ChaosFailure("POST /api/v1/\(path) got no answer: \(error)")
        }
    }
}
