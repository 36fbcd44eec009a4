import MeridianCodes
import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine
import MeridianFunding
import MeridianXML
import MeridianWorkflow

/// `meridian payments …`: payment files for the bank, and what the bank answered.
struct PaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Payment instructions: list, export as ISO 20022 pain.001, the stored files, reconcile a pain.002, mark paid or failed.",
        discussion: """
            A failed payment returns its money to committed and, for an exchange's first \
            instalment, sends the exchange back to disbursement (the finance officers' inbox).

            mark and reconcile run as the user whose token is in MERIDIAN_TOKEN (or saved by \
            `meridian login`), who must be a finance officer (exit 77 otherwise).

            Example:
              meridian payments export --format pain.001 --output payments.xml
              meridian payments files --state prepared
              meridian payments reconcile bank-status.xml
            """,
        subcommands: [PaymentsList.self, PaymentsExport.self, PaymentsFiles.self, PaymentsFile.self, PaymentsReconcile.self, PaymentsMark.self]
    )
}

struct PaymentsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List payment instructions, oldest first.",
                                                    discussion: "Example:\n  meridian payments list --status failed --json")
    @Option(help: "Only this status: prepared, pending, exported, paid, failed.") var status: String?
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let wanted: PaymentInstruction.Status?
        if let status {
            guard let parsed = PaymentInstruction.Status(rawValue: status) else {
                throw CLIFailure("'\(status)' is not a payment status; use pending, exported, paid or failed", status: .usage)
            }
            wanted = parsed
        } else {
            wanted = nil
        }
        let payments = try await ServiceSession.actions(database) { actions in try await actions.payments(status: wanted) }
        if json {
            print(try JSONOutput.string(payments))
            return
        }
        guard !payments.isEmpty else {
            print("no payment instructions\(status.map { " with status \($0)" } ?? "")")
            return
        }
        print(Table.render(["END-TO-END ID", "GRANT", "INST", "AMOUNT", "STATUS", "BENEFICIARY", "MESSAGE"], payments.map {
            [$0.endToEndID, String($0.grant.uuidString.lowercased().prefix(8)), String($0.instalment), $0.amount.description,
             $0.status + ($0.failureReason.map { " (\($0))" } ?? ""), $0.beneficiary, $0.messageID ?? "-"]
        }))
    }
}

struct PaymentsExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Deliver one ISO 20022 pain.001.001.03 file: one never recorded delivered, else every pending instruction's.",
        discussion: """
            Two phases. First, in one transaction, the pending instructions' file is built, validated \
            against the published XSD and stored, and the instructions are marked exported with its \
            message id. Then the stored file is written to --output (or standard output) and recorded \
            delivered. A file stored but never recorded delivered — the write failed, or the command \
            stopped in between — is written again by the next export, the same file with the same \
            MsgId (a bank refuses a MsgId it already has), before any new file is made; so a payment \
            is never in two different files. With nothing to deliver nothing is written. See the \
            stored files with `meridian payments files`. Needs the finance-officer role.

            Example:
              meridian payments export --format pain.001 --output payments.xml
            """
    )
    @Option(help: "The file format (only pain.001).") var format = "pain.001"
    @Option(help: "Where to write the file (default: standard output).") var output: String?
    @Option(help: "The requested execution day (YYYY-MM-DD; default today).") var executionDate: String?
    @OptionGroup var database: ServiceOptions

    func validate() throws {
        guard format == "pain.001" else { throw ValidationError("--format must be pain.001") }
    }

    func run() async throws {
        let day = try executionDate.map { try CalendarDay($0) }
        let output = self.output
        let exported = try await ServiceSession.actions(database) { actions in
            try await actions.exportPayments(execution: day) { exported in
                // The file is stored and its payments exported by now: a failed write leaves it to the next export.
                guard let output else {
                    print(exported.xml, terminator: "")
                    return
                }
                do {
                    try Data(exported.xml.utf8).write(to: URL(fileURLWithPath: output))
                } catch where exported.deliveredBeforeWrite {
                    throw CLIFailure("could not write \(output): \(error.localizedDescription); the server recorded the file \(exported.messageID) delivered "
                                     + "as it sent it: fetch it again from the server (GET /api/v1/payments/files/\(exported.messageID)), "
                                     + "or with `meridian payments file \(exported.messageID) --output FILE` on the database", status: .failure)
                } catch {
                    throw CLIFailure("could not write \(output): \(error.localizedDescription); the file \(exported.messageID) is stored and "
                                     + "its payments count as exported: run `meridian payments export` again with another --output, "
                                     + "and it writes this same file", status: .failure)
                }
            }
        }
        // With the file on standard output, what is said goes to standard error.
        let say: (String) -> Void = output == nil ? { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } : { print($0) }
        guard let exported else {
            FileHandle.standardError.write(Data("no pending payment instructions and no file waiting for delivery; nothing written\n".utf8))
            return
        }
        let summary = "message \(exported.messageID), \(exported.payments) payment(s), control sum \(exported.controlSum)"
        if exported.redelivered {
            say("\(output.map { "wrote \($0)" } ?? "wrote the file") again: stored by an earlier export whose delivery was never recorded; \(summary) "
                + "(the same MsgId: a bank that already has it refuses the duplicate)")
        } else if let output {
            say("wrote \(output): \(summary)")
        }
        if exported.stillPending > 0 {
            say("\(exported.stillPending) payment instruction(s) still pending: run `meridian payments export` again for their file")
        }
    }
}

struct PaymentsReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Import a bank's pain.002 payment status report.",
        discussion: """
            ACSC/ACCC mark a payment paid, RJCT failed; other statuses change nothing. The whole \
            file is one transaction: an unknown end-to-end id (66) or a contradiction (75) — a \
            payment never exported, or exported in another file than the one the report answers \
            (OrgnlMsgId) — and nothing of it is applied. The file is parsed as hostile input (no DOCTYPE, bounded size and depth).

            Example:
              meridian payments reconcile bank-status.xml
            """
    )
    @Argument(help: "The pain.002 file.") var file: String
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        // A hostile file is refused by its size before it is read into memory.
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        if let size, size > XMLLimits.standard.maxBytes {
            throw CLIFailure("\(file) has \(size) bytes, more than the \(XMLLimits.standard.maxBytes) a status report may have; ask the bank for the report of one file",
                             status: .dataError)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIFailure("cannot read \(file); check the path", status: .notFound)
        }
        let report = try Pain002Reader.read(Array(data))
        let changes = try await ServiceSession.actions(database) { actions in try await actions.reconcile(report, data: data) }
        PaymentsMark.show(changes, json: json)
    }
}

struct PaymentsMark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Mark one exported payment paid or failed by hand (a bank's letter or call), with a reason.",
        discussion: """
            Only a payment exported in a pain.001 file can be marked: a pending one never went to \
            the bank (exit 75; export it first). --reason is required and kept with the payment \
            and your id. The finance officer who disbursed the payment may not mark it — a second \
            finance officer confirms (exit 77) — unless the fund was created with \
            --allow-self-confirmation (see `meridian fund show`). Marking it again with the same \
            status changes nothing. A refusal changes nothing.

            Example:
              meridian payments mark M3F2A9C1E0B7C4D5E6F708192A3B4C5D6 failed --reason "account closed (bank letter of 2026-12-01)"
            """
    )
    @Argument(help: "The instruction's end-to-end id or id.") var instruction: String
    @Argument(help: "paid or failed.") var status: String
    @Option(help: "Why: what the bank reported (required; for a failure, the failure reason).") var reason: String?
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard status == "paid" || status == "failed" else { throw ValidationError("the status must be paid or failed") }
        if reason?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            throw ValidationError("marking a payment needs --reason (what the bank reported)")
        }
    }

    func run() async throws {
        let reason = self.reason ?? ""
        let mark: Reconciler.Mark = status == "paid" ? .paid : .failed(reason: reason)
        let change = try await ServiceSession.actions(database) { actions in
            try await actions.markPayment(instruction, mark, reason: reason)
        }
        Self.show([change], json: json)
    }

    static func show(_ changes: [Reconciler.Change], json: Bool) {
        show(changes.map(PaymentChangeJSON.init), json: json)
    }

    static func show(_ changes: [PaymentChangeJSON], json: Bool) {
        if json {
            Swift.print((try? JSONOutput.string(changes)) ?? "[]")
            return
        }
        Swift.print(Table.render(["END-TO-END ID", "FROM", "TO", "NOTE"], changes.map { [$0.endToEndID, $0.from, $0.to, $0.note] }))
    }
}
