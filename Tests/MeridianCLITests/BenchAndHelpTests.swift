import Foundation
import MeridianTestSupport
import Testing

/// The benchmarks' own executable, the `meridian bench` entry point that forwards to it, and
/// `meridian --help` grouped by who uses each command.
@Suite("Benchmarks executable and grouped help")
struct BenchAndHelpTests {
    @Test("meridian-bench workflow prints one JSON line per shipped definition")
    func benchExecutable() async throws {
        let output = try await MeridianBinary.run(["workflow", "--iterations", "2", "--warmup", "0"], executable: "meridian-bench")
        #expect(output.status == 0, "\(output.standardError)")
        let lines = output.standardOutput.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 2, "\(output.standardOutput)")
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["p50_us"] != nil && object?["definition"] != nil, "\(line)")
        }
    }

    @Test("meridian bench … runs meridian-bench (the peers harness' and older commands keep working)")
    func benchForwards() async throws {
        let forwarded = try await MeridianBinary.run(["bench", "workflow", "--iterations", "2", "--warmup", "0"])
        #expect(forwarded.status == 0, "\(forwarded.standardError)")
        #expect(forwarded.standardOutput.split(separator: "\n").filter { $0.hasPrefix("{") }.count >= 2)
        let help = try await MeridianBinary.run(["bench", "--help"])
        #expect(help.standardOutput.contains("meridian-bench"), "\(help.standardOutput)")
        #expect(help.standardOutput.contains("queue-worker"), "the subcommands are meridian-bench's")
        let wrong = try await MeridianBinary.run(["bench", "no-such-benchmark"])
        #expect(wrong.status == 64, "a usage error keeps its status through the forwarding")
    }

    @Test("meridian --help lists the commands under the people who use them")
    func groupedHelp() async throws {
        let output = try await MeridianBinary.run(["--help"])
        #expect(output.status == 0)
        let help = output.standardOutput
        let headings = ["START HERE", "YOUR ACCOUNT", "OFFICIALS, PROGRAM MANAGERS AND APPROVERS", "FINANCE", "KNOWLEDGE BASE",
                        "ADMINISTRATORS AND AUDITORS", "OPERATORS", "DEVELOPERS"].map { $0 + " SUBCOMMANDS:" }
        let positions = try headings.map { heading in try #require(help.range(of: heading), "no \(heading) in:\n\(help)").lowerBound }
        #expect(positions == positions.sorted(), "the groups are listed in order")
        let grant = try #require(help.range(of: "\n  grant ")).lowerBound
        #expect(positions[3] < grant && grant < positions[4], "grant is listed under finance")
        let worker = try #require(help.range(of: "\n  worker ")).lowerBound
        #expect(positions[6] < worker && worker < positions[7], "worker is listed under operators")
    }
}
