import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeridianCodes
import MeridianService

/// Signing in with a one-time link (`meridian user invite`). Opening the link only shows a
/// page with a button, so a link previewer (a mail or chat client fetching it) does not use
/// it up; the button's POST, with the CSRF token, uses it and opens the session.
extension WebPages {
    func invitePage(_ request: Request, secret: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let usable = try await service.inviteIsUsable(secret: secret)
            return try renderInvite(secret: secret, usable: usable, visitor: visitor)
        }
    }

    func useInvite(_ request: Request, secret: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let form = try await FormBody.read(request)
            guard CSRF.matches(form["csrf"], visitor.anonymousCSRF) || CSRF.matches(form["csrf"], visitor.csrfToken) else { throw PageError.csrf }
            do {
                let opened = try await service.openSession(invite: secret, language: visitor.language.rawValue, lifetime: sessionLifetime)
                // Whoever was signed in on this browser before is signed out.
                if let previous = visitor.sessionSecret { try await service.closeSession(secret: previous) }
                logger.info("signed in with a one-time link", metadata: ["user.handle": "\(opened.caller.handle)"])
                let seconds = Int(sessionLifetime.components.seconds)
                return redirect("/exchanges", setting: [cookies.field(WebCookies.session, opened.secret, maxAge: seconds)])
            } catch let error as ServiceError where error.kind == .unauthenticated {
                return try renderInvite(secret: secret, usable: false, visitor: visitor)
            }
        }
    }

    /// The link's page: a button while it can be used, else one page for used, expired and unknown links (410).
    private func renderInvite(secret: String, usable: Bool, visitor: Visitor) throws -> Response {
        let language = visitor.language
        // The secret goes back into the form only when it is one (52 base32 characters).
        let wellFormed = secret.utf8.count == 52 && secret.allSatisfy { ("a"..."z").contains($0) || ("2"..."7").contains($0) }
        let shown = usable && wellFormed
        return try render("invite", title: messages.text(shown ? "invite_title" : "invite_unusable_title", language),
                          values: ["usable": shown, "secret": shown ? secret : ""], visitor: visitor,
                          back: shown ? "/sign-in/invite/\(secret)" : "/sign-in", status: shown ? .ok : .gone,
                          extraHeaders: [HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "no-referrer")])
    }
}
