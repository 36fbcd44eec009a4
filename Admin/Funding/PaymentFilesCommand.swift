import ArgumentParser
import Foundation
import MeridianFunding
import MeridianService

/// `meridian payments files`: the pain.001 files Meridian stored, and which wait for delivery.
struct PaymentsFiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "List the stored pain.001 files, newest first: prepared (never recorded delivered) or delivered.",
        discussion: """
            Every export stores its file before delivering it. A file still 'prepared' was stored, \
            with its payments marked exported, but its delivery was never recorded: the next \
            `meridian payments export` delivers it again, the same file with the same MsgId. Needs \
            the finance-officer role.

            Example:
              meridian payments files --state prepared
            """
    )
    @Option(help: "Only this state: prepared or delivered.") var state: String?
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let state, PaymentFile.State(rawValue: state) == nil {
            throw ValidationError("'\(state)' is not a payment file state; use prepared or delivered")
        }
    }

    func run() async throws {
        let wanted = state.flatMap(PaymentFile.State.init(rawValue:))
        let files = try await ServiceSession.actions(database) { actions in try await actions.paymentFiles(state: wanted) }
        if json {
            print(try JSONOutput.string(files))
            return
        }
        guard !files.isEmpty else {
            print("no payment files\(state.map { " in state \($0)" } ?? "")")
            return
        }
        print(Table.render(["MESSAGE ID", "STATE", "CREATED", "BY", "FUNDS", "PAYMENTS", "CONTROL SUM", "DELIVERED"], files.map {
            [$0.messageID, $0.state, EngineSession.time($0.createdAt), $0.createdBy, $0.funds.joined(separator: ","), String($0.payments),
             $0.controlSum, $0.deliveredAt.map(EngineSession.time) ?? "-"]
        }))
    }
}

/// `meridian payments file MSGID`: one stored file, byte for byte.
struct PaymentsFile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "Write one stored pain.001 file, exactly as delivered, to --output or standard output.",
        discussion: """
            Fetching a file records no delivery and changes nothing: to deliver a prepared file \
            (and record it), run `meridian payments export`. Needs the finance-officer role.

            Example:
              meridian payments file MER-20261207093000-1A2B3C4D --output payments.xml
            """
    )
    @Argument(help: "The file's message id (see `meridian payments files`).") var messageID: String
    @Option(help: "Where to write the file (default: standard output).") var output: String?
    @OptionGroup var database: ServiceOptions

    func run() async throws {
        let messageID = self.messageID
        let file = try await ServiceSession.actions(database) { actions in try await actions.paymentFile(messageID) }
        let xml = file.xml
        guard let output else {
            print(xml, terminator: "")
            return
        }
        do {
            try Data(xml.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw CLIFailure("could not write \(output): \(error.localizedDescription); choose another --output", status: .failure)
        }
        print("wrote \(output): message \(file.messageID) (\(file.state)), \(file.payments) payment(s), control sum \(file.controlSum)")
    }
}
