import MeridianCodes

/// Checks an idempotency key before any SQL runs (exit 65 when it is refused).
enum KeyCheck {
    static func validate(_ key: String?) throws {
        if let key, let problem = InputText.keyProblem(key) { throw CLIFailure(problem, status: .dataError) }
    }
}
