import MeridianCodes

import ArgumentParser

/// Checks an idempotency key while the arguments are parsed, before any SQL runs (a usage
/// error, exit 64, like any malformed option value).
enum KeyCheck {
    static func validate(_ key: String?) throws {
        if let key, let problem = InputText.keyProblem(key) { throw ValidationError(problem) }
    }
}
