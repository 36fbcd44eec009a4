import Foundation
import Hummingbird
import Logging
import MeridianCodes
import MeridianExchange
import MeridianFunding
import MeridianService

/// The exchange's grant and its payments: amounts and states only.
///
/// The page reads ``GrantDetail/paymentSummaries`` (instalment, amount, state) and never
/// ``GrantDetail/payments``, which carry beneficiaries and bank accounts: an official has no
/// need of them, and a page is easier to forward than a ledger.
extension WebPages {
    func grantPage(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            let language = visitor.language, formats = WebFormats.of(language)
            // The exchange first: another country's exchange is "not found" before any grant is looked up.
            let status = try await service.status(id, by: caller)
            let view = try await service.exchange(id, by: caller)
            var values = header(view: view, status: status, language: language)
            let detail: GrantDetail?
            do {
                detail = try await service.grant(id.uuidString, by: caller)
            } catch let error where ServiceError.classify(error)?.kind == .notFound {
                detail = nil  // no plan submitted yet: the exchange has no grant
            }
            if let detail {
                let grant = detail.grant
                var grantValues: [String: Any] = [
                    "amount": formats.money(grant.amount), "fund": grant.fundID,
                    "state": messages.text("grant_state_\(grant.status.rawValue)", language),
                    "requested": formats.dateTime(grant.requestedAt), "updated": formats.dateTime(grant.updatedAt),
                ]
                if grant.coFinancing.minorUnits > 0 { grantValues["coFinancing"] = formats.money(grant.coFinancing) }
                grantValues["instalments"] = grant.instalmentAmounts.enumerated().map { index, amount -> [String: Any] in
                    // A failed payment can be disbursed again: the latest instruction tells.
                    let payment = detail.paymentSummaries.last { $0.instalment == index + 1 }
                    return [
                        "number": index + 1, "share": "\(index < grant.instalments.count ? grant.instalments[index] : 100) %",
                        "amount": formats.money(amount),
                        "paymentState": messages.text(payment.map { "grant_payment_\($0.status.rawValue)" } ?? "grant_payment_none", language),
                    ]
                }
                values["grant"] = grantValues
            }
            return try render("grant", title: messages.text("grant_title", language), values: values, visitor: visitor,
                              back: "/exchanges/\(id.uuidString.lowercased())/grant")
        }
    }
}
