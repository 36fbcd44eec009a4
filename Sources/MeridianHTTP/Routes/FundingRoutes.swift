import MeridianCodes
import Foundation
import Hummingbird
import MeridianFunding
import MeridianService
import HTTPTypes

/// `/api/v1/grants`, `/payments`, `/funds`: grants and votes, disbursement, the bank's files,
/// funds and their statements.
struct FundingRoutes {
    let service: MeridianService
    let limit: Int

    struct Vote: Decodable { var approve: Bool; var comment: String? }
    struct Disbursement: Decodable {
        var instalment: Int?
        var beneficiary: String
        var iban: String?
        var accountNumber: String?
        var bankCode: String?
        var bic: String?
        var reference: String?
    }
    struct Mark: Decodable { var status: String; var reason: String? }
    struct NewFund: Decodable {
        var id: String
        var name: String
        var currency: String
        var donors: [String]?
        var maxGrant: String?
        var iban: String?
        var accountNumber: String?
        var bankCode: String?
        var bic: String?
        var mandateSectors: [String]?
        var mandateCountries: [String]?
        var mandateInstruments: [String]?
        var mandateFrom: String?
        var mandateUntil: String?
        var allowSelfConfirmation: Bool?
    }
    struct FundChoice: Decodable { var fund: String; var reason: String }
    struct NewContribution: Decodable { var donor: String; var amount: String; var receivedOn: String?; var reference: String }

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service, limit = self.limit

        api.get("grants") { request, context -> Response in
            let caller = try context.requireCaller()
            let rows = try await service.grants(fund: request.uri.queryParameters.get("fund"), by: caller)
            return try .json(rows.map { GrantJSON($0.grant, state: $0.exchangeState) })
        }
        api.get("grants/{id}") { _, context -> Response in
            let caller = try context.requireCaller()
            return try .json(GrantJSON(try await service.grant(context.parameters.get("id") ?? "", by: caller)))
        }
        api.post("grants/{id}/votes") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(Vote.self, from: request, fields: ["approve", "comment"], limit: limit)
            let outcome = try await service.voteOnGrant(context.parameters.get("id") ?? "", approve: body.approve, comment: body.comment,
                                                        key: try request.idempotencyKey(), by: caller)
            return try .json(outcome)
        }
        api.post("grants/{id}/fund") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(FundChoice.self, from: request, fields: ["fund", "reason"], limit: limit)
            let grant = try await service.chooseGrantFund(context.parameters.get("id") ?? "", fund: body.fund, reason: body.reason, by: caller)
            return try .json(GrantJSON(grant))
        }
        api.post("grants/{id}/disbursements") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(Disbursement.self, from: request, fields: [
                "instalment", "beneficiary", "iban", "account_number", "bank_code", "bic", "reference",
            ], limit: limit)
            guard let account = try BankAccount.given(iban: body.iban, number: body.accountNumber, bankCode: body.bankCode, bic: body.bic, names: .fields) else {
                throw ServiceError(.invalidData, "give the beneficiary's account: iban, or account_number with bank_code")
            }
            let result = try await service.disburse(grant: context.parameters.get("id") ?? "", instalment: body.instalment ?? 1,
                                                    beneficiary: body.beneficiary, account: account, reference: body.reference,
                                                    key: try request.idempotencyKey(), by: caller)
            return try .json(PaymentJSON(result.instruction), status: result.replayed ? .ok : .created)
        }

        api.get("payments") { request, context -> Response in
            let caller = try context.requireCaller()
            var status: PaymentInstruction.Status?
            if let text = request.uri.queryParameters.get("status") {
                guard let parsed = PaymentInstruction.Status(rawValue: text) else {
                    throw ServiceError(.invalidArgument, "'\(text)' is not a payment status; use pending, exported, paid or failed")
                }
                status = parsed
            }
            return try .json(try await service.payments(status: status, by: caller).map(PaymentJSON.init))
        }
        api.post("payments/exports") { request, context -> Response in
            let caller = try context.requireCaller()
            let day = try request.uri.queryParameters.get("execution_date").map { try CalendarDay($0) }
            // The response is the delivery: the file is recorded delivered as it is sent, and a
            // client that lost the response fetches it again from payments/files/{message_id}.
            guard let exported = try await service.exportPayments(execution: day, by: caller) else {
                return Response(status: .noContent)
            }
            return .text(exported.xml, contentType: "application/xml; charset=utf-8", status: exported.redelivered ? .ok : .created, headers: [
                HTTPField.Name("Meridian-Message-Id")!: exported.batch.messageID,
                HTTPField.Name("Meridian-Redelivered")!: exported.redelivered ? "true" : "false",
                HTTPField.Name("Meridian-Still-Pending")!: String(exported.stillPending),
                HTTPField.Name("Meridian-Payments")!: String(exported.batch.payments.count),
                HTTPField.Name("Meridian-Control-Sum")!: PaymentBatch.controlSum(exported.batch.payments.map(\.amount)),
            ])
        }
        api.get("payments/files") { request, context -> Response in
            let caller = try context.requireCaller()
            var state: PaymentFile.State?
            if let text = request.uri.queryParameters.get("state") {
                guard let parsed = PaymentFile.State(rawValue: text) else {
                    throw ServiceError(.invalidArgument, "'\(text)' is not a payment file state; use prepared or delivered")
                }
                state = parsed
            }
            return try .json(try await service.paymentFiles(state: state, by: caller).map(PaymentFileJSON.init))
        }
        api.get("payments/files/{message_id}") { _, context -> Response in
            let caller = try context.requireCaller()
            let (file, xml) = try await service.paymentFile(context.parameters.get("message_id") ?? "", by: caller)
            return .text(xml, contentType: "application/xml; charset=utf-8", status: .ok, headers: [
                HTTPField.Name("Meridian-Message-Id")!: file.messageID,
                HTTPField.Name("Meridian-File-State")!: file.state.rawValue,
                HTTPField.Name("Meridian-Payments")!: String(file.payments),
                HTTPField.Name("Meridian-Control-Sum")!: file.controlSum,
            ])
        }
        api.post("payments/reconciliations") { request, context -> Response in
            let caller = try context.requireCaller()
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard type == "application/xml" || type == "text/xml" else {
                throw HTTPError(.unsupportedMediaType, message: "send the bank's pain.002 file as application/xml")
            }
            let bytes = try await JSONBody.bytes(of: request, limit: limit)
            let report = try Pain002Reader.read(Array(bytes))
            return try .json(try await service.reconcile(report, by: caller).map(PaymentChangeJSON.init))
        }
        api.post("payments/{id}/mark") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(Mark.self, from: request, fields: ["status", "reason"], limit: limit)
            let mark: Reconciler.Mark
            guard let reason = body.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ServiceError(.invalidData, "marking a payment needs a reason (what the bank reported)")
            }
            switch body.status {
            case "paid": mark = .paid
            case "failed": mark = .failed(reason: reason)
            default: throw ServiceError(.invalidData, "status must be paid or failed, not '\(body.status)'")
            }
            return try .json(PaymentChangeJSON(try await service.markPayment(context.parameters.get("id") ?? "", mark, reason: reason, by: caller)))
        }

        api.get("funds") { _, context -> Response in
            try .json(try await service.funds(by: try context.requireCaller()).map(FundJSON.init))
        }
        api.post("funds") { request, context -> Response in
            let caller = try context.requireCaller()
            let body = try await JSONBody.decode(NewFund.self, from: request, fields: [
                "id", "name", "currency", "donors", "max_grant", "iban", "account_number", "bank_code", "bic",
                "mandate_sectors", "mandate_countries", "mandate_instruments", "mandate_from", "mandate_until", "allow_self_confirmation",
            ], limit: limit)
            let currency = try Currency.named(body.currency.uppercased())
            let fund = Fund(id: body.id, name: body.name, currency: currency, donors: body.donors ?? [],
                            maxGrant: try body.maxGrant.map { try MoneyParser(defaultCurrency: currency).parse($0) },
                            account: try BankAccount.given(iban: body.iban, number: body.accountNumber, bankCode: body.bankCode, bic: body.bic, names: .fields),
                            mandate: FundMandate(sectors: body.mandateSectors ?? [], countries: (body.mandateCountries ?? []).map { $0.uppercased() },
                                                 instruments: body.mandateInstruments ?? [],
                                                 from: try body.mandateFrom.map { try CalendarDay($0) }, until: try body.mandateUntil.map { try CalendarDay($0) }),
                            allowsSelfConfirmation: body.allowSelfConfirmation ?? false, createdBy: caller.handle)
            try await service.createFund(fund, by: caller)
            return try .json(FundJSON(try await service.fund(fund.id, by: caller)), status: .created)
        }
        api.get("funds/{id}") { _, context -> Response in
            let caller = try context.requireCaller()
            return try .json(FundJSON(try await service.fund(context.parameters.get("id") ?? "", by: caller)))
        }
        api.get("funds/{id}/statement") { request, context -> Response in
            let caller = try context.requireCaller()
            let day = try request.uri.queryParameters.get("as_of").map { try CalendarDay($0) } ?? CalendarDay(Date())
            return try .json(StatementJSON(try await service.statement(fund: context.parameters.get("id") ?? "", asOf: day, by: caller)))
        }
        api.post("funds/{id}/contributions") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = context.parameters.get("id") ?? ""
            let body = try await JSONBody.decode(NewContribution.self, from: request, fields: ["donor", "amount", "received_on", "reference"], limit: limit)
            let fund = try await service.fund(id, by: caller)
            let amount = try MoneyParser(defaultCurrency: fund.currency).parse(body.amount)
            let day = try body.receivedOn.map { try CalendarDay($0) } ?? CalendarDay(Date())
            let contribution = try await service.contribute(fund: id, donor: body.donor, amount: amount, receivedOn: day, reference: body.reference, by: caller)
            return try .json(ContributionJSON(contribution), status: contribution.replayed ? .ok : .created)
        }
    }
}
