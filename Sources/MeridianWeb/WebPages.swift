import MeridianCodes
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeridianIdentity
import MeridianService
import Mustache

/// The officials' web pages, server-rendered from Mustache templates over the service.
///
/// Every page calls ``MeridianService`` and nothing below it, so the pages obey exactly the
/// rules of the CLI and the JSON API. Mustache escapes every `{{value}}`, so what people wrote
/// shows as text; the only unescaped values are the page body the layout wraps and the status
/// bars (``StepBars``), which the templates themselves produced.
public struct WebPages: Sendable {
    public let service: MeridianService
    let templates: MustacheLibrary
    let messages: WebMessages
    let stepBars: StepBars
    let cookies: WebCookies
    let sessionLifetime: Duration

    /// - Parameters:
    ///   - secureCookies: whether the pages are reached over TLS (directly or through a proxy
    ///     that terminates it): the cookies are then marked `Secure`.
    ///   - sessionLifetime: how long a sign-in lasts (8 hours: a working day).
    public init(service: MeridianService, secureCookies: Bool = false, sessionLifetime: Duration = .seconds(8 * 3600)) throws {
        self.service = service
        self.templates = try Self.loadTemplates()
        self.messages = try WebMessages.load()
        self.stepBars = try StepBars(templates: templates, messages: messages)
        self.cookies = WebCookies(secure: secureCookies)
        self.sessionLifetime = sessionLifetime
    }

    /// Every template of `Resources/templates`, parsed once.
    static func loadTemplates() throws -> MustacheLibrary {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw WebError.resourceMissing("templates")
        }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        return library
    }

    /// The style sheet, read once.
    static let styleSheet: String = {
        guard let url = Bundle.module.url(forResource: "web", withExtension: "css", subdirectory: "static"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()
}

/// Who is looking at a page: the language, and the session when signed in.
struct Visitor: Sendable {
    var language: WebLanguage
    var caller: Caller?
    /// The session cookie's secret (signed in) — never rendered.
    let sessionSecret: String?
    /// The anonymous CSRF secret, from the cookie or fresh (then set on the response).
    let anonymousCSRF: String
    var anonymousCSRFIsNew: Bool
    /// The token every form of the page carries: the session's, else the anonymous secret
    /// (worked out once: a page reads it for every form, and the session's is a SHA-256).
    let csrfToken: String

    init(language: WebLanguage, caller: Caller?, sessionSecret: String?, anonymousCSRF: String, anonymousCSRFIsNew: Bool) {
        self.language = language
        self.caller = caller
        self.sessionSecret = sessionSecret
        self.anonymousCSRF = anonymousCSRF
        self.anonymousCSRFIsNew = anonymousCSRFIsNew
        csrfToken = sessionSecret.map(CSRF.token(forSession:)) ?? anonymousCSRF
    }
}

extension WebPages {
    /// Reads the cookies: the session (if still valid), the language (session, cookie, then
    /// `Accept-Language`) and the anonymous CSRF secret.
    func visitor(_ request: Request) async throws -> Visitor {
        let jar = WebCookies.read(request)
        if let cookie = jar[WebCookies.session] {
            do {
                let (found, session) = try await service.session(secret: cookie)
                let language = WebLanguage(rawValue: session.language) ?? Self.language(request, jar: jar)
                // Signed in, the forms carry the session's token: no fresh anonymous secret is
                // needed (an empty one matches no form, as CSRF.matches refuses an empty expected token).
                let anonymous = Self.anonymousCSRF(jar)
                return Visitor(language: language, caller: found, sessionSecret: cookie,
                               anonymousCSRF: anonymous ?? "", anonymousCSRFIsNew: anonymous == nil)
            } catch let error as ServiceError where error.kind == .unauthenticated {
                // ended: the page asks to sign in again
            }
        }
        return Self.anonymousVisitor(request, jar: jar)
    }

    /// The visitor as her request shows her without the database: her language (cookie, else
    /// `Accept-Language`) and anonymous CSRF secret, signed out.
    static func anonymousVisitor(_ request: Request, jar: [String: String]? = nil) -> Visitor {
        let jar = jar ?? WebCookies.read(request)
        let anonymous = anonymousCSRF(jar)
        return Visitor(language: language(request, jar: jar), caller: nil, sessionSecret: nil,
                       anonymousCSRF: anonymous ?? CSRF.freshSecret(), anonymousCSRFIsNew: anonymous == nil)
    }

    /// The language cookie's, else the best of `Accept-Language`.
    private static func language(_ request: Request, jar: [String: String]) -> WebLanguage {
        jar[WebCookies.language].flatMap(WebLanguage.init(rawValue:)) ?? WebLanguage.negotiate(request.headers[.acceptLanguage])
    }

    /// The anonymous CSRF secret the browser holds, if it is one.
    private static func anonymousCSRF(_ jar: [String: String]) -> String? {
        jar[WebCookies.anonymousCSRF].flatMap { $0.count == 64 ? $0 : nil }
    }

    /// Refuses a form whose CSRF token is not the visitor's.
    func checkCSRF(_ form: FormBody, _ visitor: Visitor) throws {
        guard CSRF.matches(form["csrf"], visitor.csrfToken) else { throw PageError.csrf }
    }

    /// The signed-in caller, or a redirect to the sign-in page.
    func requireCaller(_ visitor: Visitor) throws -> Caller {
        guard let caller = visitor.caller else { throw PageError.signInNeeded }
        return caller
    }

    /// A whole page: `template` rendered with `values`, wrapped in the layout.
    func render(_ template: String, title: String, values: [String: Any], visitor: Visitor, back: String,
                status: HTTPResponse.Status = .ok, extraHeaders: [HTTPField] = []) throws -> Response {
        let table = messages.table(visitor.language)
        var context = Self.compact(values)
        context["t"] = table
        context["csrf"] = visitor.csrfToken
        // The idempotency key of the page's forms (WebPages+FormKeys.swift); a form that
        // carries its own (the new request's, an inbox item's) uses that instead.
        context["formKey"] = UUID().uuidString.lowercased()
        guard let body = templates.render(context, withTemplate: template) else { throw WebError.template(template) }
        var layout: [String: Any] = [
            "t": table, "lang": visitor.language.rawValue, "title": title, "body": body, "csrf": visitor.csrfToken, "back": back,
            "languages": WebLanguage.allCases.map { language -> [String: Any] in
                ["code": language.rawValue, "name": messages.text("lang_\(language.rawValue)", language), "selected": language == visitor.language]
            },
        ]
        if let caller = visitor.caller {
            var user: [String: Any] = ["name": caller.user.name, "canFile": caller.user.roles.contains(.official),
                                       "canDecide": !caller.user.roles.isDisjoint(with: [.programManager, .fundApprover, .supervisor])]
            if let country = caller.user.country { user["country"] = country }
            layout["user"] = user
        }
        guard let html = templates.render(layout, withTemplate: "layout") else { throw WebError.template("layout") }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        if visitor.anonymousCSRFIsNew && visitor.sessionSecret == nil {
            headers.append(cookies.field(WebCookies.anonymousCSRF, visitor.anonymousCSRF, maxAge: 86_400))
        }
        for field in extraHeaders { headers.append(field) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `values` without empty texts, at every depth: Mustache renders a section for any value
    /// present, even "", so an absent key is how a template's `{{#problem}}` stays closed.
    static func compact(_ values: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, value) in values {
            switch value {
            case let text as String where text.isEmpty: continue
            case let dictionary as [String: Any]: result[key] = compact(dictionary)
            case let list as [[String: Any]]: result[key] = list.map(compact)
            default: result[key] = value
            }
        }
        return result
    }

    /// A 303 to `location` (after a form, so reloading does not send it again).
    func redirect(_ location: String, setting fields: [HTTPField] = []) -> Response {
        var headers: HTTPFields = [.location: location]
        for field in fields { headers.append(field) }
        return Response(status: .seeOther, headers: headers)
    }

    /// Runs a page's work and turns every failure into a page in the visitor's language: the
    /// sign-in page when the session ended, an error page otherwise (never a problem document).
    func page(_ request: Request, logger: Logger, _ body: (Visitor) async throws -> Response) async throws -> Response {
        let visitor: Visitor
        do {
            visitor = try await self.visitor(request)
        } catch {
            // The session could not be read (the database unreachable, most likely): the error
            // page in the visitor's language, built without the database, rather than the API's
            // English problem document.
            logger.error("page failed reading the session", metadata: ["error": "\(String(reflecting: error))", "http.path": "\(request.uri.path)"])
            let status: HTTPResponse.Status = ServiceError.classify(error)?.kind == .unavailable ? .serviceUnavailable : .internalServerError
            return try errorPage(status, heading: "error_title", message: status == .serviceUnavailable ? "error_unavailable" : "error_failure",
                                 visitor: Self.anonymousVisitor(request), request: request)
        }
        do {
            return try await body(visitor)
        } catch PageError.signInNeeded {
            return redirect("/sign-in")
        } catch PageError.csrf {
            return try errorPage(.forbidden, heading: "error_title", message: "error_csrf", visitor: visitor, request: request)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // A form above ``FormBody/limit`` (NIOTooManyBytesError): said, not a failure.
            return try errorPage(.contentTooLarge, heading: "error_title", message: "error_too_large", visitor: visitor, request: request)
        } catch {
            let classified = ServiceError.classify(error) ?? ServiceError(.failure, "\(error)", underlying: error)
            let (status, message): (HTTPResponse.Status, String) = switch classified.kind {
            case .notFound: (.notFound, "error_not_found")
            case .unauthenticated: (.unauthorized, "error_signin")
            case .forbidden: (.forbidden, "error_forbidden")
            case .conflict: (.conflict, "error_conflict")
            case .refused: (.unprocessableContent, "error_refused")
            case .invalidData, .invalidArgument: (.badRequest, "error_invalid")
            case .unavailable: (.serviceUnavailable, "error_unavailable")
            default: (.internalServerError, "error_failure")
            }
            if status.code >= 500 {
                logger.error("page failed", metadata: ["error": "\(String(reflecting: error))", "http.path": "\(request.uri.path)"])
            } else {
                logger.info("page refused", metadata: ["error": "\(classified.message)", "http.path": "\(request.uri.path)"])
            }
            return try errorPage(status, heading: status == .notFound ? "error_not_found_title" : "error_title", message: message,
                                 visitor: visitor, request: request)
        }
    }

    func errorPage(_ status: HTTPResponse.Status, heading: String, message: String, visitor: Visitor, request: Request) throws -> Response {
        let language = visitor.language
        return try render("error", title: messages.text(heading, language),
                          values: ["heading": messages.text(heading, language), "message": messages.text(message, language)],
                          visitor: visitor, back: "/exchanges", status: status)
    }

    /// The path to come back to after switching language: this site's own paths only.
    static func safeBack(_ path: String) -> String {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
              !path.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/exchanges" }
        return path
    }
}

/// The pages' own refusals, before the service is asked.
enum PageError: Error {
    case signInNeeded
    case csrf
}
