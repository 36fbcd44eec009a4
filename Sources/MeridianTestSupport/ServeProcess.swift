import Foundation
import MeridianPostgres

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `meridian serve` started as a child process on a free loopback port, for tests that run the
/// CLI against a server (MERIDIAN_SERVER) as a person would.
public struct ServeProcess: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let url: String
    public let port: Int
    let child: ChildProcess

    /// Runs `body` with a server over the database at `databaseURL` (with its workers when
    /// `workers`), stopped with SIGTERM afterwards.
    public static func with<Result: Sendable>(
        databaseURL: String, workers: Bool = true, _ body: (ServeProcess) async throws -> Result
    ) async throws -> Result {
        let server = try await start(databaseURL: databaseURL, workers: workers)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Starts the server (on `port`, or a free one) and waits until its port accepts
    /// connections (at most 60 s).
    public static func start(databaseURL: String, workers: Bool = true, port chosen: Int? = nil) async throws -> ServeProcess {
        let port = try chosen ?? freePort()
        // Something already listening there would answer for the child (which then fails to
        // bind and exits): the caller would hold a server it did not start and lose its own.
        if accepts(port) {
            throw DatabaseError(.clusterFailed, "port \(port) is in use already: stop what listens there first")
        }
        let child = try MeridianBinary.start(
            ["serve", "--port", String(port), "--database-url", databaseURL] + (workers ? ["--workers"] : []),
            captureOutput: true
        )
        let server = ServeProcess(url: "http://127.0.0.1:\(port)", port: port, child: child)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if accepts(port) { return server }
            var status: Int32 = 0
            if waitpid(child.pid, &status, WNOHANG) == child.pid {
                throw DatabaseError(.clusterFailed, "meridian serve ended before it listened on port \(port) (status \(status))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        await server.stop()
        throw DatabaseError(.timedOut, "meridian serve did not listen on port \(port) within 60 s")
    }

    /// SIGKILLs the server, whatever it is doing (requests in flight die with it), and waits
    /// until it is gone.
    public func kill() async {
        child.send(SIGKILL)
        _ = await MeridianBinary.wait(for: child)
    }

    /// Stops the server gracefully and waits for it.
    public func stop() async {
        child.send(SIGTERM)
        _ = await MeridianBinary.wait(for: child)
    }

    /// A port on 127.0.0.1 that nothing listens on now (the kernel's choice for port 0).
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DatabaseError(.clusterFailed, "cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard bound == 0, named == 0 else { throw DatabaseError(.clusterFailed, "cannot find a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
