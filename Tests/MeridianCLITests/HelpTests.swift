import Foundation
import MeridianTestSupport
import Testing

/// The conventions every command keeps, checked over the whole command tree as the built
/// binary describes it (`--experimental-dump-help`), so a new command cannot forget them.
@Suite("Command-line conventions")
struct HelpTests {
    /// One command of the tree, as swift-argument-parser dumps it.
    private struct Command: Decodable {
        var commandName: String
        var discussion: String?
        var subcommands: [Command]?
        var arguments: [Argument]?
    }

    private struct Argument: Decodable {
        struct Name: Decodable { var name: String }
        var names: [Name]?
    }

    private struct Dump: Decodable {
        var command: Command
    }

    /// Every command's path in the tree, with its discussion and its long option names.
    private static func commands() async throws -> [(path: String, discussion: String, options: Set<String>)] {
        let output = try await MeridianBinary.run(["--experimental-dump-help"])
        #expect(output.status == 0, "\(output.standardError)")
        let dump = try JSONDecoder().decode(Dump.self, from: Data(output.standardOutput.utf8))
        var found: [(String, String, Set<String>)] = []
        func walk(_ command: Command, _ path: [String]) {
            let path = path + [command.commandName]
            let options = Set((command.arguments ?? []).flatMap { $0.names ?? [] }.map(\.name))
            if command.commandName != "help" { found.append((path.joined(separator: " "), command.discussion ?? "", options)) }
            for sub in command.subcommands ?? [] { walk(sub, path) }
        }
        walk(dump.command, [])
        return found
    }

    @Test("every command's --help has an example")
    func everyCommandHasAnExample() async throws {
        let commands = try await Self.commands()
        #expect(commands.count > 30)
        let missing = commands.filter { !$0.discussion.contains("Example") }.map(\.path)
        #expect(missing.isEmpty, "commands without an example in --help: \(missing)")
    }

    @Test("every list and show (and the other views) can print JSON")
    func everyViewHasJSON() async throws {
        let views: Set<String> = ["list", "show", "stats", "statement", "status", "timeline", "matches", "inbox", "portfolio", "incidents", "history", "whoami"]
        let commands = try await Self.commands().filter { views.contains(String($0.path.split(separator: " ").last ?? "")) }
        #expect(commands.count >= 25)
        let missing = commands.filter { !$0.options.contains("json") }.map(\.path)
        #expect(missing.isEmpty, "views without --json: \(missing)")
    }

    @Test("shell completion scripts are generated for bash, zsh and fish")
    func completionScripts() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let output = try await MeridianBinary.run(["--generate-completion-script", shell])
            #expect(output.status == 0, "\(shell): \(output.standardError)")
            #expect(output.standardOutput.contains("meridian"), "\(shell)")
            #expect(output.standardOutput.contains("workflow"), "\(shell): subcommands are completed")
        }
    }
}
