import MeridianCodes
import Foundation
import Hummingbird
import Logging
import MeridianIdentity
import MeridianService

/// Signing in with a token, signing out, and switching the language.
extension WebPages {
    func signInPage(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            if visitor.caller != nil { return redirect("/exchanges") }
            let signedOut = request.uri.queryParameters.get("signed-out") != nil
            return try render("signin", title: messages.text("signin_title", visitor.language),
                              values: ["signedOut": signedOut], visitor: visitor, back: "/sign-in")
        }
    }

    /// Exchanges the token for a session: a new secret in an HttpOnly cookie; the token itself
    /// is never kept by the browser. A session already open on the browser is closed.
    func signIn(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let form = try await FormBody.read(request)
            guard CSRF.matches(form["csrf"], visitor.anonymousCSRF) || CSRF.matches(form["csrf"], visitor.csrfToken) else { throw PageError.csrf }
            do {
                let seconds = Int(sessionLifetime.components.seconds)
                let opened = try await service.openSession(token: form["token"], language: visitor.language.rawValue, lifetime: sessionLifetime)
                // Whoever was signed in on this browser before (another tab) is signed out: her
                // session ends, not just its cookie.
                if let previous = visitor.sessionSecret { try await service.closeSession(secret: previous) }
                logger.info("signed in", metadata: ["user.handle": "\(opened.caller.handle)"])
                return redirect("/exchanges", setting: [cookies.field(WebCookies.session, opened.secret, maxAge: seconds)])
            } catch let error as ServiceError where error.kind == .unauthenticated {
                return try render("signin", title: messages.text("signin_title", visitor.language), values: ["failed": true],
                                  visitor: visitor, back: "/sign-in", status: .unauthorized)
            }
        }
    }

    func signOut(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let form = try await FormBody.read(request)
            // With no live session (it ended, or the user was disabled) there is nothing to close
            // and nothing a forged form could do: the button signs out rather than showing the
            // expired-form page (its token was the ended session's).
            if let secret = visitor.sessionSecret {
                try checkCSRF(form, visitor)
                try await service.closeSession(secret: secret)
            }
            return redirect("/sign-in?signed-out=1", setting: [cookies.field(WebCookies.session, "", maxAge: 0)])
        }
    }

    /// Keeps the chosen language in the session (and in a cookie for the sign-in page).
    func switchLanguage(_ request: Request, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let form = try await FormBody.read(request)
            try checkCSRF(form, visitor)
            guard let language = WebLanguage(rawValue: form["language"]) else { throw ServiceError(.invalidData, "unknown language") }
            if let secret = visitor.sessionSecret { try await service.setSessionLanguage(secret: secret, language: language.rawValue) }
            return redirect(Self.safeBack(form["back"]), setting: [cookies.field(WebCookies.language, language.rawValue, maxAge: 365 * 86_400)])
        }
    }
}
