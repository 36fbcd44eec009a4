import Crypto
import Foundation

/// Makes token secrets and the hashes that stand for them in the database.
///
/// A secret is `mrd_` and 32 bytes from `SystemRandomNumberGenerator` (the kernel's CSPRNG)
/// in lower-case base32: 256 bits, so guessing is hopeless and no salt or slow hash is needed;
/// a plain SHA-256 is what the database keeps.
enum TokenSecret {
    static let scheme = "mrd_"
    /// Characters of the encoded secret shown in listings (40 of its 256 bits).
    static let prefixLength = 8
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    /// A fresh secret.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return scheme + base32(bytes)
    }

    /// Lower-case hex SHA-256 of the whole secret, as `user_tokens.token_hash` stores it.
    static func hash(_ secret: String) -> String {
        // Every authenticated request hashes its token: hex digits by table, not by
        // `String(format:)`, which cost more than the hash itself.
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(secret.utf8)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `mrd_` and the first characters after it, for listings.
    static func prefix(of secret: String) -> String {
        String(secret.prefix(scheme.count + prefixLength))
    }

    /// Whether `text` has a secret's shape; other text is refused before any lookup.
    static func isWellFormed(_ text: String) -> Bool {
        // Over the UTF-8 bytes: every request checks its token, and the alphabet is ASCII.
        let bytes = text.utf8
        return text.hasPrefix(scheme) && bytes.count == scheme.utf8.count + 52
            && bytes.dropFirst(scheme.utf8.count).allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains($0) }
    }

    /// RFC 4648 base32, lower case, without padding.
    static func base32(_ bytes: [UInt8]) -> String {
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }
}
