import ArgumentParser

/// The options of the people's commands: the database to act on, or the server to act through.
///
/// With `--server URL` or MERIDIAN_SERVER the command calls that `meridian serve`'s API as the
/// token's user and touches no database; otherwise it opens the database (`--database-url`,
/// MERIDIAN_DATABASE_URL or the private cluster) as before.
struct ServiceOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .customLong("server"),
        help: ArgumentHelp(
            "Act through the Meridian server at this address (http(s)://HOST:PORT) instead of the database. Default: MERIDIAN_SERVER.",
            valueName: "url"
        )
    )
    var server: String?

    /// The server to call, when one is configured. A database named on the command line
    /// beside it is refused: the person meant one or the other, and a command never guesses.
    func serverAddress() throws -> ServerAddress? {
        guard let address = try ServerAddress.configured(flag: server) else { return nil }
        if database.databaseURL != nil || database.dataDirectory != nil || database.privateDatabase != nil {
            let origin = server == nil ? ServerAddress.environmentName : "--server"
            throw CLIFailure("\(origin) names a server and the command line a database (--database-url, --data-dir or --database); give one of them",
                             status: .usage)
        }
        return address
    }
}
