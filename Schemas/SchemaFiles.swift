import Foundation

/// Locates the files of `Schemas/` that ship inside the build as resources.
///
/// The SQL migrations and the workflow XSD live in `Schemas/` so that operators can read
/// them as plain files; this module makes the same files available to the code at run time.
public enum SchemaFiles {
    /// The folder holding the numbered SQL migrations (`0001_name.sql`, …).
    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "migrations", withExtension: nil)!
    }

    /// The XML Schema of the workflow language.
    public static var workflowXSD: URL {
        Bundle.module.url(forResource: "workflow", withExtension: "xsd")!
    }

    /// The published schemas of the standards Meridian exports (`standards/iati-2.03`,
    /// `standards/iso20022`), kept as files so includes resolve from disk with network off.
    public static var standardsDirectory: URL {
        Bundle.module.url(forResource: "standards", withExtension: nil)!
    }

    /// The OpenAPI 3.1 document of the HTTP API (`/api/v1`), served at `/api/v1/openapi.yaml`.
    public static var openAPIDocument: URL {
        Bundle.module.url(forResource: "openapi", withExtension: "yaml")!
    }
}
