import Foundation
import Hummingbird
import HummingbirdTesting
import MeridianHTTP
import MeridianService
import MeridianWeb
import Synchronization
import Testing
import HTTPTypes

/// The request timeout holds even when a handler never returns and ignores cancellation (a
/// statement lost on a closed database connection): the caller gets its 503 on time.
@Suite struct RequestTimeoutTests {
    /// Holds its waiters until opened; waiting ignores cancellation, as a lost statement does.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state -> Bool in
                    if !state.open { state.waiters.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    @Test func aHandlerThatNeverReturnsIsAnsweredOnTime() async throws {
        try await ServiceFixture.with { f in
            let gate = Gate()
            let router = try MeridianServer.router(service: f.service)
            router.get("stuck") { _, _ -> Response in
                await gate.wait()
                return Response(status: .ok)
            }
            // The gate opens after 6 s: a timeout that waits for its handler answers 200 then
            // (this test fails) instead of hanging the suite.
            let release = Task {
                try? await Task.sleep(for: .seconds(6))
                gate.open()
            }
            defer {
                release.cancel()
                gate.open()
            }
            let app = Application(router: RequestTimeout(router, timeout: .milliseconds(300)))
            try await app.test(.router) { client in
                let start = ContinuousClock.now
                let answer = try await HTTPCall.get("/stuck").send(client, token: nil)
                let elapsed = ContinuousClock.now - start
                #expect(answer.status == 503, "\(answer.status) \(answer.body)")
                #expect(answer.problem?.type == Problem.typePrefix + "unavailable", "\(answer.body)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                #expect(answer.headers[.xContentTypeOptions] == "nosniff" && answer.headers[.cacheControl] == "no-store")
                #expect(elapsed < .seconds(3), "answered after \(elapsed)")
                // The server still answers other requests meanwhile.
                #expect(try await HTTPCall.get("/healthz").send(client, token: nil).status == 200)
            }
        }
    }
}

extension RequestTimeoutTests {
    /// A request whose client left before the race began (its task already cancelled) starts no
    /// work: the handler must not run for nobody, perhaps committing what no one will be told of.
    @Test func aRequestCancelledBeforeItStartsRunsNoHandler() async throws {
        try await ServiceFixture.with { f in
            let runs = Atomic<Int>(0)
            let router = try MeridianServer.router(service: f.service)
            router.get("count") { _, _ -> Response in
                runs.add(1, ordering: .sequentiallyConsistent)
                return Response(status: .ok)
            }
            let app = Application(router: RequestTimeout(router, timeout: .seconds(5)))
            try await app.test(.router) { client in
                let abandoned = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return try? await HTTPCall.get("/count").send(client, token: nil)
                }
                _ = await abandoned.value
                // A started handler would have run by now (it does not wait for anything).
                try await Task.sleep(for: .milliseconds(300))
                #expect(runs.load(ordering: .sequentiallyConsistent) == 0, "the handler ran for a cancelled request")
                // The route itself answers an ordinary request.
                #expect(try await HTTPCall.get("/count").send(client, token: nil).status == 200)
                #expect(runs.load(ordering: .sequentiallyConsistent) == 1)
            }
        }
    }
}

extension RequestTimeoutTests {
    /// A page cut off by the timeout answers with an error page in the visitor's language; the
    /// API's paths keep their problem document.
    @Test func aTimedOutPageIsAPageInTheVisitorsLanguage() async throws {
        try await ServiceFixture.with { f in
            let gate = Gate()
            defer { gate.open() }
            let pages = try WebPages(service: f.service)
            let router = try MeridianServer.router(service: f.service)
            for path in ["stuck", "api/v1/stuck"] {
                router.get(RouterPath(path)) { _, _ -> Response in
                    await gate.wait()
                    return Response(status: .ok)
                }
            }
            let app = Application(router: RequestTimeout(router, timeout: .milliseconds(300), pageAnswer: pages.timedOutPage))
            try await app.test(.router) { client in
                let page = try await client.execute(uri: "/stuck", method: .get, headers: [.acceptLanguage: "fr-FR,fr;q=0.9"]) { response in
                    (Int(response.status.code), response.headers, String(buffer: response.body))
                }
                #expect(page.0 == 503)
                #expect(page.1[.contentType]?.hasPrefix("text/html") == true)
                #expect(page.1[.contentSecurityPolicy] == "default-src 'self'; frame-ancestors 'none'")
                #expect(page.2.contains("Cela a pris trop de temps"), "\(page.2.prefix(300))")
                let api = try await HTTPCall.get("/api/v1/stuck").send(client, token: nil)
                #expect(api.status == 503 && api.problem?.type == Problem.typePrefix + "unavailable")
            }
        }
    }
}
