import ArgumentParser
import Foundation
import MeridianCodes

/// Turns every failure into the one line `meridian` prints: `meridian: error: …`, on one
/// line whatever the source (argument-parser's usage errors come as three or four lines),
/// with control characters escaped so nothing a person typed can repaint the terminal.
enum ErrorLine {
    /// `message` as one printable line.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let joined = lines.joined(separator: "; ")
        let bare = joined.hasPrefix("Error: ") ? String(joined.dropFirst("Error: ".count)) : joined
        return InputText.printable(bare)
    }

    /// The line for an error of argument-parser's (a usage error): its message without the
    /// usage text, and where to read the command's help.
    static func usage(_ error: any Error, arguments: [String]) -> String {
        let message = oneLine(Meridian.message(for: error))
        let path = commandPath(arguments)
        return "\(message) (see `meridian \(path.isEmpty ? "" : path + " ")--help`)"
    }

    /// The subcommand names at the start of `arguments` (`fund contribute`), as far as they
    /// name known commands.
    static func commandPath(_ arguments: [String]) -> String {
        var command: any ParsableCommand.Type = Meridian.self
        var names: [String] = []
        for argument in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            names.append(argument)
            command = next
        }
        return names.joined(separator: " ")
    }

    /// The first argument that holds a terminal control character (arguments cannot hold a
    /// NUL byte), as a refusal; `nil` when every argument is plain text.
    static func controlCharacterProblem(_ arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if let scalar = argument.unicodeScalars.first(where: { InputText.isControl($0) }) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                // The argument itself is not shown: it may be a URL with a password.
                return "argument \(index + 1) contains the control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex); remove it and run the command again"
            }
        }
        return nil
    }
}
