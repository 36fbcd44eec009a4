import Foundation
import MeridianWorkflow
import Testing

/// Hostile and malformed files: each is rejected with its rule, nothing is read from disk or
/// network, nothing crashes or hangs.
@Suite("Hostile corpus")
struct CorpusTests {
    struct Entry: CustomTestStringConvertible, Sendable {
        var file: String
        var rule: RuleID
        var testDescription: String { file }
    }

    static let corpus: URL = Bundle.module.url(forResource: "Corpus", withExtension: nil)!

    static let entries: [Entry] = {
        let manifest = (try? String(contentsOf: corpus.appendingPathComponent("manifest.txt"), encoding: .utf8)) ?? ""
        return manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { return nil }
            return Entry(file: String(fields[0]), rule: RuleID(String(fields[1])))
        }
    }()

    @Test func theCorpusHasAtLeastThirtyFilesAllListed() throws {
        #expect(Self.entries.count >= 30)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".xml") }
        #expect(Set(files) == Set(Self.entries.map(\.file)))
    }

    @Test(arguments: entries)
    func isRejectedWithItsRule(_ entry: Entry) {
        let result = Fixtures.loader.load(contentsOf: Self.corpus.appendingPathComponent(entry.file), label: entry.file)
        #expect(!result.isValid)
        #expect(result.diagnostics.contains { $0.rule == entry.rule && $0.severity == .error },
                "expected \(entry.rule), got \(result.diagnostics.map(\.description))")
        // /etc/passwd and /etc/hostname are what several files try to pull in.
        let output = result.diagnostics.map(\.description).joined(separator: "\n") + String(describing: result.definition)
        #expect(!output.contains("root:"))
        if let hostname = try? String(contentsOfFile: "/etc/hostname", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), hostname.count > 3 {
            #expect(!output.contains(hostname))
        }
    }

    @Test func anExternalEntityNamingALocalFileIsNeverRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meridian-xxe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "SECRET-\(UUID().uuidString)"
        let target = folder.appendingPathComponent("secret.txt")
        try Data(secret.utf8).write(to: target)
        let variants = [
            "<!DOCTYPE workflow [<!ENTITY x SYSTEM \"\(target.absoluteString)\">]>",
            "<!DOCTYPE workflow [<!ENTITY x SYSTEM \"\(target.path)\">]>",
            "<!DOCTYPE workflow SYSTEM \"\(target.path)\">",
            "<!DOCTYPE workflow [<!ENTITY % p SYSTEM \"\(target.path)\"> %p;]>",
        ]
        for doctype in variants {
            let xml = Fixtures.valid
                .replacingOccurrences(of: "<workflow ", with: doctype + "\n<workflow ")
                .replacingOccurrences(of: "<role id=\"clerk\"/>", with: "<role id=\"clerk\" description=\"&x;\"/>")
            let result = Fixtures.load(xml)
            #expect(result.diagnostics.map(\.rule) == [.doctypeForbidden])
            #expect(result.definition == nil)
            #expect(!result.diagnostics.map(\.description).joined().contains(secret))
        }
    }

    @Test func aTenMegabyteFileIsRefusedBeforeParsing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("meridian-big-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        var text = Array(Fixtures.valid.replacingOccurrences(of: "</workflow>", with: "").utf8)
        let comment = Array("<!-- padding padding padding padding padding padding padding padding -->\n".utf8)
        while text.count < 10 * 1024 * 1024 { text += comment }
        text += Array("</workflow>\n".utf8)
        try Data(text).write(to: file)
        let result = Fixtures.loader.load(contentsOf: file)
        #expect(result.diagnostics.map(\.rule) == [.fileTooLarge])
        #expect(result.definition == nil)
    }

    @Test func tenThousandLevelsOfNestingAreRefused() {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let xml = Fixtures.valid.replacingOccurrences(of: "<roles>", with: "<description>\(deep)</description>\n  <roles>")
        let result = Fixtures.load(xml)
        #expect(result.diagnostics.map(\.rule) == [.tooDeep])
    }

    @Test func randomBytesNeverCrashTheLoader() {
        var generator = SplitMix(seed: 42)
        let base = Array(Fixtures.valid.utf8)
        for _ in 0..<300 {
            var bytes = base
            for _ in 0..<Int(generator.next() % 8 + 1) {
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            let result = Fixtures.loader.load(bytes: bytes, file: "fuzz.xml")
            // Any outcome is fine except a crash; an invalid result must say why.
            #expect(result.isValid || !result.diagnostics.isEmpty)
        }
    }
}

/// A tiny deterministic generator, so the fuzz test is reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
