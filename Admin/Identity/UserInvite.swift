import ArgumentParser
import Foundation
import MeridianIdentity
import MeridianService

/// `meridian user invite --user HANDLE`: a one-time sign-in link for the officials' pages.
struct UserInvite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Create a one-time sign-in link for a user and print it (admins only).",
        discussion: """
            The link opens a page with a button; pressing it signs the user in to the web pages \
            once (an 8-hour session). The database keeps only the link secret's SHA-256, its expiry \
            and whether it was used. The link is the last line of standard output, alone. The \
            address is --base-url, else MERIDIAN_PUBLIC_URL, else http://127.0.0.1:8080. An unknown \
            user is exit status 66; a disabled one 75; without the admin role 77.

            Example:
              meridian user invite --user amani --expires-in 72h --base-url https://meridian.example.org
            """
    )

    @Option(help: "The user the link signs in.")
    var user: String

    @Option(help: ArgumentHelp("How long the link can be used: minutes, hours or days, from 1m to 30d (such as 30m, 72h, 7d).", valueName: "duration"))
    var expiresIn = "72h"

    @Option(help: ArgumentHelp("The address people reach `meridian serve`'s pages at.", valueName: "url"))
    var baseURL: String?

    @OptionGroup var database: ServiceOptions

    @Flag(help: "Print JSON (with the link).")
    var json = false

    /// `30m`, `72h`, `7d` as a duration; `nil` for anything else.
    static func lifetime(_ text: String) -> Duration? {
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count <= 43_200 else { return nil }
        let seconds: Int
        switch unit {
        case "m": seconds = count * 60
        case "h": seconds = count * 3_600
        case "d": seconds = count * 86_400
        default: return nil
        }
        return seconds >= 60 && seconds <= 30 * 86_400 ? .seconds(seconds) : nil
    }

    /// The base address, without a trailing slash; only http and https.
    func base() throws -> String {
        var text = baseURL ?? ProcessInfo.processInfo.environment["MERIDIAN_PUBLIC_URL"] ?? "http://127.0.0.1:8080"
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
              url.query == nil, url.fragment == nil else {
            throw ValidationError("--base-url (or MERIDIAN_PUBLIC_URL) must be an http or https address such as https://meridian.example.org, not '\(text)'.")
        }
        return text
    }

    func validate() throws {
        guard Self.lifetime(expiresIn) != nil else {
            throw ValidationError("--expires-in must be a number of minutes, hours or days from 1m to 30d (such as 30m, 72h or 7d), not '\(expiresIn)'.")
        }
        _ = try base()
    }

    func run() async throws {
        let lifetime = Self.lifetime(expiresIn)!
        let invite = try await ServiceSession.actions(database) { actions in try await actions.createInvite(for: user, lifetime: lifetime) }
        let link = try base() + invite.path
        if json {
            struct Output: Encodable { var user: String; var link: String; var expiresAt: Date }
            print(try JSONOutput.string(Output(user: invite.user, link: link, expiresAt: invite.expiresAt)))
            return
        }
        print("one-time sign-in link for \(invite.user), usable once until \(EngineSession.time(invite.expiresAt)).")
        print("It is shown this once; the database keeps only its hash:")
        print(link)
    }
}
