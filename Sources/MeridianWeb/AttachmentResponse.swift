import Foundation
import HTTPTypes
import Hummingbird
import MeridianExchange

/// The answer that downloads a conversation's attachment, for the pages and the API alike:
/// always a download (`Content-Disposition: attachment`), never a page the browser renders,
/// served with the stored (sanitised) type, `nosniff`, and the SHA-256 it was checked against.
public enum AttachmentResponse {
    public static func response(_ file: AttachmentFile) -> Response {
        let headers: HTTPFields = [
            .contentType: file.attachment.contentType,
            .contentDisposition: contentDisposition(file.attachment.fileName),
            .xContentTypeOptions: "nosniff",
            .cacheControl: "private, no-store",
            HTTPField.Name("Meridian-SHA256")!: file.attachment.sha256,
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    /// `attachment; filename="plan.pdf"; filename*=UTF-8''plan.pdf` (RFC 6266): an ASCII name
    /// for old clients (other characters as `_`), the exact name percent-encoded for the rest.
    public static func contentDisposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar.value != 0x7F ? Character(scalar) : "_"
        })
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$&+-.^_`|~")).intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x7F)))
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
