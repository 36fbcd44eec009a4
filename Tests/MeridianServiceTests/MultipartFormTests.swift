import Foundation
import Testing
@testable import MeridianWeb

/// The pages' own `multipart/form-data` reader: what browsers send, and what they do not.
@Suite struct MultipartFormTests {
    static func body(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    @Test func readsFieldsAndFilesAsBrowsersSendThem() throws {
        let body = Self.body("""
            --XyZ
            Content-Disposition: form-data; name="csrf"

            abc
            --XyZ
            Content-Disposition: form-data; name="text"

            two
            lines
            --XyZ
            Content-Disposition: form-data; name="attachment"; filename="a;b %22c%22.pdf"
            Content-Type: application/pdf

            %PDF--XyZ inside is no boundary
            --XyZ
            Content-Disposition: form-data; name="attachment"; filename=""
            Content-Type: application/octet-stream


            --XyZ--

            """)
        let form = try MultipartForm(bytes: body, boundary: "XyZ")
        #expect(form["csrf"] == "abc")
        #expect(form["text"] == "two\r\nlines")
        #expect(form["missing"] == "")
        let files = form.files("attachment")
        #expect(files.count == 1)
        #expect(files.first?.fileName == #"a;b "c".pdf"#)
        #expect(files.first?.contentType == "application/pdf")
        #expect(files.first.map { String(decoding: $0.bytes, as: UTF8.self) } == "%PDF--XyZ inside is no boundary")
    }

    @Test func refusesWhatDoesNotParse() {
        #expect(MultipartForm.boundary("multipart/form-data; boundary=\"q u\"") == "q u")
        #expect(MultipartForm.boundary("application/x-www-form-urlencoded") == nil)
        #expect(MultipartForm.boundary("multipart/form-data") == nil)
        for text in ["no boundary at all", "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nnever ends", "--XyZ\nno blank line",
                     "--XyZ\nContent-Type: text/plain\n\nnameless\n--XyZ--"] {
            #expect(throws: MultipartForm.Failure.self) { _ = try MultipartForm(bytes: Self.body(text), boundary: "XyZ") }
        }
    }

    @Test func refusesMorePartsThanAFormHas() throws {
        func form(parts: Int) throws -> MultipartForm {
            let fields = (0..<parts).map { "--XyZ\nContent-Disposition: form-data; name=\"f\($0)\"\n\nv" }
            return try MultipartForm(bytes: Self.body(fields.joined(separator: "\n") + "\n--XyZ--\n"), boundary: "XyZ")
        }
        #expect(try form(parts: MultipartForm.maximumParts).parts.count == MultipartForm.maximumParts)
        #expect(throws: MultipartForm.Failure.self) { _ = try form(parts: MultipartForm.maximumParts + 1) }
    }
}
