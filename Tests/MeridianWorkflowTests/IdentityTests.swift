import Foundation
import MeridianWorkflow
import Testing

@Suite("Definition identity")
struct IdentityTests {
    static let tidy = """
        <?xml version="1.0" encoding="UTF-8"?>
        <workflow xmlns="urn:meridian:workflow:1" id="t" version="1" initial="open">
          <roles><role id="clerk"/><role id="boss"/></roles>
          <state id="open">
            <timer after="P1D" event="nudge"/>
            <on event="finish" target="done" role="clerk"/>
            <on event="nudge"><task name="send-reminder" max-attempts="3"/></on>
          </state>
          <final id="done"/>
        </workflow>
        """

    /// The same content: other whitespace, attribute order, prefix, comments, role and state
    /// order, a default written out.
    static let messy = """
        <w:workflow   initial="open" version="1"
            id="t" xmlns:w="urn:meridian:workflow:1"><!-- a comment -->
        <w:roles><w:role id="boss"/>   <w:role id="clerk"/></w:roles>
        <w:final id="done"></w:final>
        <w:state id="open"><w:timer event="nudge" after="P1D"/>
        <w:on role="clerk" target="done" event="finish"></w:on>
        <w:on event="nudge"><w:task name="send-reminder"/></w:on></w:state>
        </w:workflow>
        """

    func identity(_ xml: String) throws -> DefinitionIdentity {
        let result = Fixtures.load(xml)
        return try #require(result.validDefinition, "\(result.diagnostics)").identity
    }

    @Test func theSameContentWrittenDifferentlyHasTheSameHash() throws {
        let first = try identity(Self.tidy)
        let second = try identity(Self.messy)
        #expect(first == second)
        #expect(first.id == "t" && first.version == 1)
        #expect(first.sha256.count == 64)
    }

    @Test func aChangedTransitionChangesTheHash() throws {
        let base = try identity(Self.tidy)
        let otherRole = try identity(Self.tidy.replacingOccurrences(of: "role=\"clerk\"/>", with: "role=\"boss\"/>"))
        let otherTimer = try identity(Self.tidy.replacingOccurrences(of: "P1D", with: "P2D"))
        let otherAttempts = try identity(Self.tidy.replacingOccurrences(of: "max-attempts=\"3\"", with: "max-attempts=\"4\""))
        #expect(Set([base.sha256, otherRole.sha256, otherTimer.sha256, otherAttempts.sha256]).count == 4)
    }

    @Test func theVersionIsPartOfTheIdentity() throws {
        let one = try identity(Self.tidy)
        let two = try identity(Self.tidy.replacingOccurrences(of: "version=\"1\"", with: "version=\"2\""))
        #expect(one != two)
        #expect(one.sha256 != two.sha256)
    }

    @Test func valuesAreEscapedSoFieldsCannotRunTogether() {
        #expect(CanonicalForm.escape("a\" b=\"c") == "\"a\\\" b=\\\"c\"")
    }
}
