import Foundation
import ArgumentParser
import Logging
import MeridianExchange
import MeridianPostgres
import PostgresNIO

/// `meridian kb …`: the knowledge base of country experiences that matching searches.
struct KBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Import, list, show, search and match the knowledge base of country experiences.",
        discussion: """
            Example:
              meridian kb seed && meridian kb match --text "reintegrate demobilised combatants" \\
                --sector demobilisation-reintegration --country COD
            """,
        subcommands: [KBImport.self, KBSeed.self, KBList.self, KBShow.self, KBSearch.self, KBMatch.self, KBFeedback.self, KBCountries.self]
    )
}
