import ArgumentParser
import Foundation
import MeridianWorkflow
import MeridianService

/// `meridian workflow …`: check and draw definitions (no database), deploy them, list and
/// show deployed versions, migrate running instances between versions.
struct WorkflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Validate, draw, deploy, list, show workflow definitions; migrate instances.",
        discussion: """
            Definitions are XML in the language of Schemas/workflow.xsd (see \
            Schemas/workflow-language.md). Tasks and guards are checked against the handlers \
            Meridian knows.

            Example:
              meridian workflow validate Workflows/*.xml
              meridian workflow deploy Workflows/*.xml
            """,
        subcommands: [ValidateWorkflows.self, GraphWorkflow.self, DeployWorkflows.self, ListWorkflows.self, ShowWorkflow.self, MigrateWorkflow.self]
    )
}

extension WorkflowCommand {
    /// Fails with exit status 66 when a named file does not exist.
    static func requireFiles(_ paths: [String]) throws {
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIFailure("no such file: \(path); give the path of a workflow definition (.xml)", status: .notFound)
            }
            if isDirectory.boolValue {
                throw CLIFailure("\(path) is a folder; give the definition files in it (e.g. \(path)/*.xml)", status: .usage)
            }
        }
    }

    static func loader() throws -> WorkflowLoader {
        do {
            return try WorkflowLoader(registry: DomainPlugins.registry)
        } catch {
            throw CLIFailure("cannot load the workflow schema: \(error.message); the installation is broken, reinstall meridian", status: .unavailable)
        }
    }
}
