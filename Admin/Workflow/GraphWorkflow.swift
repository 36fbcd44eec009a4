import ArgumentParser
import Foundation
import MeridianWorkflow

/// `meridian workflow graph FILE --format mermaid|dot`: a definition as a diagram.
struct GraphWorkflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a valid definition as a Mermaid or Graphviz DOT diagram.",
        discussion: """
            Dashed edges (DOT) and self-loops (Mermaid) are internal transitions: the instance \
            stays in its state, as with reminders. Refuses a definition that does not validate \
            (its problems go to standard error, exit status 65).

            Examples:
              meridian workflow graph Workflows/knowledge-exchange.xml --format mermaid > exchange.mmd
              meridian workflow graph Workflows/grant.xml --format dot | dot -Tsvg > grant.svg
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mermaid
        case dot
    }

    @Argument(help: "The definition file.")
    var file: String

    @Option(help: "mermaid or dot.")
    var format: Format = .mermaid

    func run() throws {
        try WorkflowCommand.requireFiles([file])
        let result = try WorkflowCommand.loader().load(contentsOf: URL(fileURLWithPath: file), label: file)
        guard let definition = result.validDefinition else {
            for diagnostic in result.diagnostics {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            }
            throw CLIFailure("\(file) is not a valid definition (\(result.diagnostics.count) problems above); run `meridian workflow validate \(file)` after fixing them", status: .dataError)
        }
        switch format {
        case .mermaid: print(MermaidDiagram.text(of: definition), terminator: "")
        case .dot: print(DotDiagram.text(of: definition), terminator: "")
        }
    }
}
