import ArgumentParser
import Foundation
import MeridianShippedWorkflows
import MeridianWorkflow
import MeridianService

/// `meridian-bench workflow`: how long loading, validating and checking a definition takes.
struct BenchWorkflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Time load + XSD validation + semantic checks of each shipped definition.",
        discussion: """
            Reads each file from disk every time, as a deployment would. Prints one JSON line \
            per definition with p50, mean and p95 in microseconds. The schema is compiled once, \
            outside the measurement, as a long-running process does.

            Example:
              swift build -c release && .build/release/meridian-bench workflow --iterations 2000
            """
    )

    @Option(help: "Measured runs per definition.")
    var iterations = 1000

    @Option(help: "Unmeasured runs first.")
    var warmup = 100

    func validate() throws {
        guard iterations > 0, warmup >= 0 else { throw ValidationError("--iterations must be positive and --warmup not negative.") }
    }

    func run() throws {
        let loader = try WorkflowLoader(registry: DomainPlugins.registry)
        let clock = ContinuousClock()
        for (name, url) in zip(ShippedWorkflows.names, ShippedWorkflows.urls) {
            let first = loader.load(contentsOf: url, label: name)
            guard first.isValid else {
                throw BenchFailure("shipped definition \(name) is invalid: \(first.diagnostics.first?.description ?? "")")
            }
            for _ in 0..<warmup { _ = loader.load(contentsOf: url, label: name) }
            var samples: [Double] = []
            samples.reserveCapacity(iterations)
            for _ in 0..<iterations {
                let elapsed = clock.measure { _ = loader.load(contentsOf: url, label: name) }
                samples.append(elapsed.seconds * 1e6)
            }
            samples.sort()
            let line = Line(
                definition: name, bytes: (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0,
                states: first.definition?.states.count ?? 0, iterations: iterations,
                p50Us: rounded(samples.percentile(50)), meanUs: rounded(samples.reduce(0, +) / Double(samples.count)),
                p95Us: rounded(samples.percentile(95))
            )
            print(try BenchJSON.line(line))
        }
    }

    private func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    struct Line: Encodable {
        var definition: String
        var bytes: Int
        var states: Int
        var iterations: Int
        var p50Us: Double
        var meanUs: Double
        var p95Us: Double
    }
}
