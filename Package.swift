// swift-tools-version: 6.1

import PackageDescription

let package = Package(
    name: "meridian",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "meridian", targets: ["meridian"]),
        .executable(name: "meridian-bench", targets: ["meridian-bench"]),
        .library(name: "MeridianWorkflow", targets: ["MeridianWorkflow"]),
        .library(name: "MeridianQueue", targets: ["MeridianQueue"]),
        .library(name: "MeridianPostgres", targets: ["MeridianPostgres"]),
        .library(name: "MeridianEngine", targets: ["MeridianEngine"]),
        .library(name: "MeridianExchange", targets: ["MeridianExchange"]),
        .library(name: "MeridianXML", targets: ["MeridianXML"]),
        .library(name: "MeridianFunding", targets: ["MeridianFunding"]),
        .library(name: "MeridianIdentity", targets: ["MeridianIdentity"]),
        .library(name: "MeridianCodes", targets: ["MeridianCodes"]),
        .library(name: "MeridianService", targets: ["MeridianService"]),
        .library(name: "MeridianHTTP", targets: ["MeridianHTTP"]),
        .library(name: "MeridianWeb", targets: ["MeridianWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libxml2, through pkg-config, for hardened parsing and XSD validation.
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The files of Schemas/ (workflow.xsd, numbered SQL migrations) as bundled resources.
        .target(
            name: "MeridianSchemas",
            path: "Schemas",
            exclude: ["README.md", "workflow-language.md"],
            resources: [
                .copy("migrations"), .copy("workflow.xsd"), .copy("standards"), .copy("openapi.yaml"),
                .copy("experience-catalogue.schema.json"),
            ]
        ),
        // ISO 4217 and ISO 3166-1 tables and the rules of input text: pure, depends on nothing of ours.
        .target(name: "MeridianCodes"),
        .target(
            name: "MeridianWorkflow",
            dependencies: [
                "MeridianCodes",
                "CLibXML2",
                "MeridianXML",
                "MeridianSchemas",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Hardened libxml2 parsing of hostile input, XSD validation with network off, escaped writing.
        .target(
            name: "MeridianXML",
            dependencies: ["CLibXML2", "MeridianCodes"]
        ),
        // Trust funds, the double-entry ledger, grants, disbursements, ISO 20022 and IATI files.
        .target(
            name: "MeridianFunding",
            dependencies: [
                "MeridianCodes",
                "MeridianEngine",
                "MeridianPostgres",
                "MeridianWorkflow",
                "MeridianSchemas",
                "MeridianXML",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The workflow definitions that ship (Workflows/*.xml) as bundled resources.
        .target(
            name: "MeridianShippedWorkflows",
            path: "Workflows",
            resources: [.copy("knowledge-exchange.xml"), .copy("grant.xml")]
        ),
        .target(
            name: "MeridianPostgres",
            dependencies: [
                "MeridianCodes",
                "MeridianSchemas",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "MeridianQueue",
            dependencies: [
                "MeridianCodes",
                "MeridianPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Durable instances: events, approvals, timers, tasks, the hash-chained history.
        .target(
            name: "MeridianEngine",
            dependencies: [
                "MeridianCodes",
                "MeridianWorkflow",
                "MeridianQueue",
                "MeridianPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The exchange domain: the knowledge base, matching, requests, partners, plans, results.
        .target(
            name: "MeridianExchange",
            dependencies: [
                "MeridianCodes",
                "MeridianPostgres",
                "MeridianQueue",
                "MeridianEngine",
                "MeridianFunding",
                "MeridianWorkflow",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Seed/PROVENANCE.md"],
            resources: [
                .copy("Resources/seed-experiences.json"), .copy("Resources/countries.json"), .copy("Resources/concepts.json"),
            ]
        ),
        // Users, their roles and the API tokens that say who acts (issue 8).
        .target(
            name: "MeridianIdentity",
            dependencies: [
                "MeridianCodes",
                "MeridianPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The one place that assembles the engine with every domain's handlers and decides who
        // may do what; the CLI and the HTTP API call only it.
        .target(
            name: "MeridianService",
            dependencies: [
                "MeridianCodes",
                "MeridianPostgres",
                "MeridianWorkflow",
                "MeridianQueue",
                "MeridianEngine",
                "MeridianIdentity",
                "MeridianFunding",
                "MeridianExchange",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The officials' pages (issue 14): server-rendered HTML over the service, in four
        // languages, signed in by a session cookie; templates and message catalogues are resources.
        .target(
            name: "MeridianWeb",
            dependencies: [
                "MeridianService",
                "MeridianExchange",
                "MeridianIdentity",
                "MeridianWorkflow",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/messages"), .copy("Resources/static")]
        ),
        // `meridian serve`: the JSON API /api/v1 over the service (Hummingbird 2).
        .target(
            name: "MeridianHTTP",
            dependencies: [
                "MeridianService",
                "MeridianWeb",
                "MeridianPostgres",
                "MeridianWorkflow",
                "MeridianEngine",
                "MeridianExchange",
                "MeridianFunding",
                "MeridianIdentity",
                "MeridianSchemas",
                "MeridianQueue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Test-only: one private cluster per test run, a fresh database per test.
        .target(
            name: "MeridianTestSupport",
            dependencies: [
                "MeridianPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Test-only: the fixtures over the domain modules (an engine, an exchange, a fund on a
        // fresh database) that the library tests and the CLI's end-to-end tests share.
        .target(
            name: "MeridianDomainTestSupport",
            dependencies: [
                "MeridianCodes",
                "MeridianTestSupport",
                "MeridianPostgres",
                "MeridianQueue",
                "MeridianWorkflow",
                "MeridianEngine",
                "MeridianIdentity",
                "MeridianFunding",
                "MeridianExchange",
                "MeridianShippedWorkflows",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "meridian",
            dependencies: [
                "MeridianCodes",
                "MeridianPostgres",
                "MeridianWorkflow",
                "MeridianShippedWorkflows",
                "MeridianQueue",
                "MeridianEngine",
                "MeridianExchange",
                "MeridianFunding",
                "MeridianXML",
                "MeridianIdentity",
                "MeridianService",
                "MeridianHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The people's commands against `meridian serve` (MERIDIAN_SERVER).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Admin"
        ),
        // The measurements of docs/benchmarks.md (`meridian-bench queue|engine|match|workflow`);
        // `meridian bench …` runs it from the same build folder.
        .executableTarget(
            name: "meridian-bench",
            dependencies: [
                "MeridianCodes",
                "MeridianPostgres",
                "MeridianWorkflow",
                "MeridianShippedWorkflows",
                "MeridianQueue",
                "MeridianEngine",
                "MeridianExchange",
                "MeridianService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks"
        ),
        .testTarget(
            name: "MeridianPostgresTests",
            dependencies: ["MeridianPostgres", "MeridianTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "MeridianWorkflowTests",
            dependencies: [
                "MeridianCodes",
                "MeridianWorkflow",
                "MeridianShippedWorkflows",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Corpus")]
        ),
        .testTarget(
            name: "MeridianQueueTests",
            dependencies: ["MeridianQueue", "MeridianTestSupport", "MeridianDomainTestSupport"]
        ),
        .testTarget(
            name: "MeridianEngineTests",
            dependencies: [
                "MeridianCodes",
                "MeridianEngine",
                "MeridianPostgres",
                "MeridianWorkflow",
                "MeridianQueue",
                "MeridianTestSupport",
                "MeridianDomainTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MeridianExchangeTests",
            dependencies: [
                "MeridianCodes",
                "MeridianExchange",
                "MeridianEngine",
                "MeridianQueue",
                "MeridianWorkflow",
                "MeridianShippedWorkflows",
                "MeridianTestSupport",
                "MeridianDomainTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MeridianFundingTests",
            dependencies: [
                "MeridianCodes",
                "MeridianFunding",
                "MeridianExchange",
                "MeridianEngine",
                "MeridianWorkflow",
                "MeridianShippedWorkflows",
                "MeridianSchemas",
                "MeridianXML",
                "MeridianQueue",
                "MeridianIdentity",
                "MeridianTestSupport",
                "MeridianDomainTestSupport",
                "MeridianPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MeridianIdentityTests",
            dependencies: [
                "MeridianCodes",
                "MeridianIdentity",
                "MeridianPostgres",
                "MeridianTestSupport",
                "MeridianDomainTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MeridianCodesTests",
            dependencies: ["MeridianCodes"]
        ),
        .testTarget(
            name: "MeridianServiceTests",
            dependencies: [
                "MeridianService",
                "MeridianDomainTestSupport",
                "MeridianHTTP",
                "MeridianWeb",
                "MeridianExchange",
                "MeridianFunding",
                "MeridianIdentity",
                "MeridianEngine",
                "MeridianWorkflow",
                "MeridianShippedWorkflows",
                "MeridianQueue",
                "MeridianTestSupport",
                "MeridianPostgres",
                "MeridianCodes",
                "MeridianXML",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MeridianChaosTests",
            dependencies: [
                "MeridianCodes",
                "MeridianService",
                "MeridianExchange",
                "MeridianIdentity",
                "MeridianFunding",
                "MeridianEngine",
                "MeridianQueue",
                "MeridianWorkflow",
                "MeridianPostgres",
                "MeridianShippedWorkflows",
                "MeridianTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MeridianCLITests",
            dependencies: [
                "MeridianCodes",
                "MeridianTestSupport",
                "MeridianDomainTestSupport",
                "MeridianPostgres",
                "MeridianQueue",
                "MeridianWorkflow",
                "MeridianEngine",
                "MeridianIdentity",
                "MeridianFunding",
                "MeridianExchange",
                "MeridianShippedWorkflows",
                "MeridianXML",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
