/// A benchmark that could not produce its figure: printed as one line on standard error
/// with exit status 1, so a missing figure never looks like a successful run.
struct BenchFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
