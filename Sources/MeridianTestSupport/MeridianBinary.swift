import Foundation
import MeridianPostgres

/// Runs the built `meridian` (or `meridian-bench`) executable as a user would, for end-to-end tests.
public enum MeridianBinary {
    /// What a finished run printed and returned.
    public struct Output: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// The executable next to the test bundle in the build folder (`swift test` builds it).
    public static var path: String { path(of: "meridian") }

    /// The executable `name` of this package in the build folder (`meridian`, `meridian-bench`).
    public static func path(of name: String) -> String {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        let candidate = directory.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Runs `meridian ARGUMENTS` to completion with `environment` added to this process's
    /// environment (minus `MERIDIAN_DATABASE_URL` and `MERIDIAN_TOKEN`, and with an empty
    /// `XDG_CONFIG_HOME` of its own unless `environment` gives one, so a developer's settings
    /// and saved token never leak in).
    public static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        executable: String = "meridian"
    ) async throws -> Output {
        let child = try start(arguments, environment: environment, captureOutput: true, executable: executable)
        let termination = await wait(for: child)
        return Output(status: termination.status, standardOutput: termination.output, standardError: termination.errorOutput)
    }

    /// Starts `meridian ARGUMENTS` (or `executable`'s) without waiting, for tests that signal it or run several at once.
    public static func start(
        _ arguments: [String],
        environment: [String: String] = [:],
        captureOutput: Bool = false,
        executable: String = "meridian"
    ) throws -> ChildProcess {
        var merged = ProcessInfo.processInfo.environment
        merged["MERIDIAN_DATABASE_URL"] = nil
        merged["MERIDIAN_TOKEN"] = nil
        merged["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory
            .appendingPathComponent("meridian-config-\(UUID().uuidString)").path
        merged.merge(environment) { _, new in new }
        return try ChildProcess.spawn(
            path(of: executable), arguments, environment: merged, captureOutput: captureOutput, separateErrorOutput: true
        )
    }

    /// Waits for a started child on a thread of its own, keeping the cooperative pool free.
    public static func wait(for child: ChildProcess) async -> ChildProcess.Termination {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: child.wait()) }
        }
    }

    /// Waits for `child` at most `limit`; a child still running then is SIGKILLed, reaped and
    /// reported as `nil` (hung).
    public static func wait(for child: ChildProcess, atMost limit: Duration) async -> ChildProcess.Termination? {
        let ended = Task { await wait(for: child) }
        let watchdog = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return false }
            child.send(SIGKILL)
            return true
        }
        let termination = await ended.value
        watchdog.cancel()
        let killed = await watchdog.value
        return killed && termination.status == 128 + SIGKILL ? nil : termination
    }
}
