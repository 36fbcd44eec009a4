import Logging

/// swift-log's `StreamLogHandler` on standard error, with its metadata formatted when a line is
/// written instead of every time a value is set.
///
/// `StreamLogHandler` formats all of a logger's metadata again on each change of it. A server
/// sets two values on every request's logger (Hummingbird's request id, then the caller's
/// handle) and, at its default level, writes no line for most requests: the formatting was 4 %
/// of the time of `GET /api/v1/exchanges/{id}` answered from the exchange view cache. Lines
/// come out exactly as `StreamLogHandler` writes them: the metadata is handed to it with each line.
public struct ServerLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    /// Writing to `output` (tests compare its lines with `StreamLogHandler`'s).
    public init(label: String, output: any TextOutputStream & Sendable) {
        stream = StreamLogHandler(label: label, stream: output)
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Hands `StreamLogHandler` the metadata merged as it merges its own: the logger's, then
    /// the provider's over it, then the line's over both.
    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            var merged = metadata
            if let provided = metadataProvider?.get(), !provided.isEmpty { merged.merge(provided) { _, provided in provided } }
            merged.merge(event.metadata ?? [:]) { _, explicit in explicit }
            event.metadata = merged
        }
        stream.log(event: event)
    }
}
