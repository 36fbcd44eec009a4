import ArgumentParser
import Foundation
import MeridianWorkflow

/// `meridian workflow validate FILE…`: every problem of every file, in one run.
struct ValidateWorkflows: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check definitions: hardened XML, the XSD, then the semantic rules.",
        discussion: """
            Prints every problem as `file:line:column: rule-id: message`, then one line per \
            valid file with its identity (id@version and SHA-256 of its content) and a summary.
            Exit status 0 when every file is valid, 1 otherwise, 66 when a file does not exist.

            Example:
              meridian workflow validate Workflows/knowledge-exchange.xml Workflows/grant.xml
            """
    )

    @Argument(help: "The definition files to check.")
    var files: [String]

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one definition file.") }
    }

    func run() throws {
        try WorkflowCommand.requireFiles(files)
        let loader = try WorkflowCommand.loader()
        let results = files.map { loader.load(contentsOf: URL(fileURLWithPath: $0), label: $0) }
        let reports = results.map(FileReport.init)
        if json {
            print(try JSONOutput.string(["files": reports]))
        } else {
            for result in results {
                for diagnostic in result.diagnostics { print(diagnostic.description) }
            }
            for report in reports where report.valid {
                print("valid: \(report.file) \(report.identity ?? "")")
            }
            let invalid = reports.filter { !$0.valid }.count
            let errors = results.flatMap(\.diagnostics).filter { $0.severity == .error }.count
            let warnings = results.flatMap(\.diagnostics).filter { $0.severity == .warning }.count
            print("\(reports.count) file\(reports.count == 1 ? "" : "s"): \(reports.count - invalid) valid, \(invalid) invalid (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"))")
        }
        if reports.contains(where: { !$0.valid }) { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    struct FileReport: Encodable {
        var file: String
        var valid: Bool
        var identity: String?
        var diagnostics: [DiagnosticReport]

        init(_ result: LoadResult) {
            file = result.file
            valid = result.isValid
            identity = result.validDefinition?.identity.description
            diagnostics = result.diagnostics.map(DiagnosticReport.init)
        }
    }

    struct DiagnosticReport: Encodable {
        var file: String
        var line: Int
        var column: Int
        var rule: String
        var severity: String
        var message: String

        init(_ diagnostic: Diagnostic) {
            file = diagnostic.file
            line = diagnostic.line
            column = diagnostic.column
            rule = diagnostic.rule.rawValue
            severity = diagnostic.severity.rawValue
            message = diagnostic.message
        }
    }
}
