import MeridianCodes
import Foundation
import Hummingbird
import Logging
import MeridianExchange
import MeridianIdentity
import MeridianService
import MeridianWorkflow

/// The staff inbox: what waits for a program manager, an approver or a supervisor, with the
/// desk's decisions (approve, reject, request information) on each item.
///
/// The forms call the same service functions as `meridian exchange approve|reject|request-info`
/// (``MeridianService/decide(_:exchange:comment:key:by:)``), so the same rules hold — a fund
/// approver who wrote the plan, or who already voted, is refused. Each form carries a fresh
/// idempotency key: sending it twice (a double click, a reload) decides once.
extension WebPages {
    /// The workflow roles whose items get decision forms here; the others' items link to the
    /// exchange page, where officials act.
    static let deskRoles: Set<String> = ["program-manager", "fund-approver", "supervisor"]

    func inboxPage(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let language = visitor.language, formats = WebFormats.of(language)
            let query = request.uri.queryParameters
            let focus = query.get("item")
            let outcome = query.get("done").flatMap { ["approve", "reject", "request-info", "screen"].contains($0) ? $0 : nil }
            let problem = query.get("problem").flatMap { ["refused", "comment", "conflict"].contains($0) ? $0 : nil }
            let items = try await service.inbox(by: caller)
            let rows = items.map { item -> [String: Any] in
                let id = item.id.uuidString.lowercased()
                let events = Set(item.actions.map(\.event))
                let atDesk = !Self.deskRoles.isDisjoint(with: item.roles)
                var row: [String: Any] = [
                    "id": id, "goal": item.goal, "country": item.country,
                    "step": PublicStep.of(state: item.state, label: item.publicStep).map { messages.text($0.key, language) } ?? item.state,
                    "description": item.stateDescription ?? "",
                    "since": formats.dateTime(item.since),
                    "roles": item.roles.map { messages.text(Self.roleKey($0), language) }.joined(separator: ", "),
                    "pickUp": atDesk && events.contains("start-screening"),
                    "decide": atDesk && !events.contains("start-screening"),
                    "requestInfo": events.contains("request-info"),
                    "key": UUID().uuidString.lowercased(),
                ]
                if let partner = item.partner { row["partner"] = partner }
                if let deadline = item.deadline { row["deadline"] = formats.dateTime(deadline) }
                let votes = item.actions.compactMap { action -> String? in
                    guard action.approval != nil, let required = action.approvalsRequired else { return nil }
                    return messages.text("inbox_votes", language)
                        .replacingOccurrences(of: "{so_far}", with: String(action.approvalsSoFar ?? 0))
                        .replacingOccurrences(of: "{required}", with: String(required))
                }
                if let first = votes.first { row["votes"] = first }
                if focus == id, let problem { row["problem"] = messages.text("inbox_problem_\(Self.keyPart(problem))", language) }
                return row
            }
            var values: [String: Any] = ["rows": rows, "hasRows": !rows.isEmpty]
            // An item no longer (or never) in her inbox — a vote she may not cast is not offered —
            // has its problem said above the list (under its own name: a row without a problem
            // of its own would find the page's `problem` in the enclosing context and repeat it).
            if let problem, !items.contains(where: { $0.id.uuidString.lowercased() == focus }) {
                values["pageProblem"] = messages.text("inbox_problem_\(Self.keyPart(problem))", language)
            }
            if let outcome { values["done"] = messages.text("inbox_done_\(Self.keyPart(outcome))", language) }
            return try render("inbox", title: messages.text("inbox_title", language), values: values, visitor: visitor, back: "/inbox")
        }
    }

    /// Approve, reject or request information on one item, as the CLI's desk verbs do.
    func decideFromInbox(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let form = try await FormBody.read(request)
            try checkCSRF(form, visitor)
            let id = try Self.exchangeID(text)
            let item = id.uuidString.lowercased()
            guard let verb = DeskVerb(rawValue: form["verb"]) else { throw ServiceError(.invalidArgument, "verb is approve, reject or request-info") }
            let comment = form["comment"].trimmingCharacters(in: .whitespacesAndNewlines)
            guard InputText.length(comment) <= 2_000 else { return redirect("/inbox?problem=comment&item=\(item)#item-\(item)") }
            // The form's three buttons share its key: the verb is part of the request's key, so
            // Reject, Back, Approve is two requests (the second refused as the exchange moved
            // on), never Approve answered with Reject's replayed outcome.
            let key = Self.idempotencyKey(form["key"], caller: caller).map { "\($0):\(verb.rawValue)" }
            do {
                _ = try await service.decide(verb, exchange: id, comment: comment.isEmpty ? nil : comment, key: key, by: caller)
            } catch {
                // Not open to her (she wrote the plan, voted already) or the exchange moved on:
                // said next to the item, in her language, nothing changed.
                guard let problem = Self.inboxProblem(error) else { throw error }
                return redirect("/inbox?problem=\(problem)&item=\(item)#item-\(item)")
            }
            return redirect("/inbox?done=\(verb.rawValue)")
        }
    }

    /// Takes a submitted request into screening (the single step forward before a decision).
    func screenFromInbox(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let form = try await FormBody.read(request)
            try checkCSRF(form, visitor)
            let id = try Self.exchangeID(text)
            let item = id.uuidString.lowercased()
            do {
                _ = try await service.startScreening(id, key: Self.idempotencyKey(form["key"], caller: caller), by: caller)
            } catch {
                guard let problem = Self.inboxProblem(error) else { throw error }
                return redirect("/inbox?problem=\(problem)&item=\(item)#item-\(item)")
            }
            return redirect("/inbox?done=screen")
        }
    }

    /// The problem an inbox decision is shown with next to its item: `refused` (not open to
    /// her), `conflict` (the exchange moved on); `nil` for anything else (the error page).
    static func inboxProblem(_ error: any Error) -> String? {
        switch ServiceError.classify(error)?.kind {
        case .refused?: "refused"
        case .conflict?: "conflict"
        default: nil
        }
    }
}
