import Testing

@testable import MeridianPostgres

@Suite("Finding the server programs")
struct ServerBinariesTests {
    @Test("an existing cluster's major version comes first, before PATH and newer installations")
    func clusterVersionFirst() {
        let candidates = ServerBinaries.candidateDirectories(environment: ["PATH": "/opt/pg17/bin:/usr/bin"], majorVersion: "15")
        #expect(candidates.first == "/usr/lib/postgresql/15/bin")
        #expect(candidates.dropFirst().first == "/opt/pg17/bin")
    }

    @Test("without a cluster, PATH comes first")
    func pathFirst() {
        let candidates = ServerBinaries.candidateDirectories(environment: ["PATH": "/opt/pg17/bin"])
        #expect(candidates.first == "/opt/pg17/bin")
    }

    @Test("an explicit MERIDIAN_PG_BINDIR that lacks the programs is an error, not a fallback")
    func explicitFolderMustBeComplete() {
        #expect(throws: DatabaseError.self) {
            try ServerBinaries.locate(environment: ["MERIDIAN_PG_BINDIR": "/nonexistent"], majorVersion: "15")
        }
    }
}
