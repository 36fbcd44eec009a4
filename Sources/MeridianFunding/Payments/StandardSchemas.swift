import Foundation
import MeridianSchemas
import MeridianXML

/// The published XSDs of the standards Meridian writes, compiled once per process.
///
/// Every file Meridian exports is validated against them before it is written or marked
/// sent, so an invalid file never reaches a bank or a registry.
public enum StandardSchemas {
    /// ISO 20022 pain.001.001.03.
    public static func pain001() throws -> XSDSchema { try cache.pain001.get() }
    /// IATI activity standard 2.03.
    public static func iatiActivities() throws -> XSDSchema { try cache.iati.get() }

    private struct Cache: Sendable {
        let pain001: Result<XSDSchema, any Error>
        let iati: Result<XSDSchema, any Error>
    }

    private static let cache: Cache = {
        let folder = SchemaFiles.standardsDirectory
        func compile(_ path: String) -> Result<XSDSchema, any Error> {
            do { return .success(try XSDSchema(url: folder.appendingPathComponent(path))) } catch { return .failure(error) }
        }
        return Cache(pain001: compile("iso20022/pain.001.001.03.xsd"), iati: compile("iati-2.03/iati-activities-schema.xsd"))
    }()
}
