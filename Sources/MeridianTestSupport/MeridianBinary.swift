import Foundation

/// Runs the built `meridian` executable as a user would, for end-to-end tests.
public struct MeridianBinary: Sendable {
    /// What a finished run printed and returned.
    public struct Output: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// The executable next to the test bundle in the build folder (`swift build` builds it
    /// before `swift test` runs).
    public static var url: URL {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        let candidate = directory.appendingPathComponent("meridian")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("meridian")
    }

    /// Runs `meridian ARGUMENTS` with `environment` added to this process's environment
    /// (minus `MERIDIAN_DATABASE_URL`, so a developer's setting never leaks into a test).
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Output {
        let process = makeProcess(arguments, environment: environment)
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Drain both pipes concurrently so neither can fill up and block the child.
        let errorData = LockedData()
        let reader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.005) }
        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.value, as: UTF8.self)
        )
    }

    /// Starts `meridian ARGUMENTS` without waiting, for tests that kill it or run several at once.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = makeProcess(arguments, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

extension MeridianBinary {
    private static func makeProcess(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["MERIDIAN_DATABASE_URL"] = nil
        merged.merge(environment) { _, new in new }
        process.environment = merged
        return process
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ data: Data) { lock.withLock { self.data = data } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
