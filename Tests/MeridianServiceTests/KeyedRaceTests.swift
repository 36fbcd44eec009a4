import Foundation
import MeridianCodes
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianService
import PostgresNIO
import Testing

/// Every action that takes an idempotency key, sent by several callers at once with one key
/// (a client retrying before its first try answered, or a load balancer replaying a request):
/// exactly one effect, and every caller gets the first outcome — none a unique-key error or a
/// refusal from the state the first try left.
@Suite struct KeyedRaceTests {
    static let callers = 4

    /// `body` run by ``callers`` tasks at once; every answer, errors included.
    static func together<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async -> [Result<T, any Error>] {
        await withTaskGroup(of: Result<T, any Error>.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    do { return .success(try await body()) } catch { return .failure(error) }
                }
            }
            var answers: [Result<T, any Error>] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
    }

    /// Checks that every caller succeeded, one acted and the others were replayed, all with the same `outcome`.
    static func expectFirstOutcome<T>(_ action: String, _ answers: [Result<T, any Error>], replayed: (T) -> Bool, outcome: (T) -> String) {
        var values: [T] = []
        for answer in answers {
            switch answer {
            case .success(let value): values.append(value)
            case .failure(let error): Issue.record("\(action): a caller got \(ServiceError.classify(error).map { "\($0.kind): \($0.message)" } ?? "\(error)")")
            }
        }
        #expect(values.filter { !replayed($0) }.count == 1, "\(action): \(values.filter { !replayed($0) }.count) callers acted, not one")
        #expect(Set(values.map(outcome)).count <= 1, "\(action): the callers got different outcomes: \(values.map(outcome))")
    }

    /// How often `event` was taken on `instance` (its history rows).
    static func taken(_ f: ServiceFixture, _ instance: UUID, _ event: String) async throws -> Int {
        let rows = try await f.client.query("""
            SELECT count(*)::int8 FROM engine_history WHERE instance_id = \(instance) AND event = \(event)
            """, logger: f.logger).collect()
        return Int(try rows[0].decode(Int64.self))
    }

    static func count(_ f: ServiceFixture, _ sql: PostgresQuery) async throws -> Int {
        Int(try await f.client.query(sql, logger: f.logger).collect()[0].decode(Int64.self))
    }

    /// A 10,000 USD plan: one approver commits it.
    static var smallPlan: VisitPlan {
        var plan = ServiceFixture.plan
        plan.budget[0].amountMinor = 1_000_000
        return plan
    }

    @Test("each keyed action of an exchange's life, sent four times at once with one key: one effect, the first outcome for all")
    func everyKeyedActionOfAnExchange() async throws {
        try await ServiceFixture.with { f in
            let cod = try await f.caller(.requestingOfficial), rwa = try await f.caller(.partnerOfficial), pm = try await f.caller(.programManager)
            let fay = try await f.caller(.fundApprover), finn = try await f.caller(.financeOfficer)
            let service = f.service
            let id = try await service.fileRequest(ServiceFixture.ddrRequest, key: "race-file", by: cod).exchangeID

            let screened = await Self.together { try await service.startScreening(id, key: "race-screen", by: pm) }
            Self.expectFirstOutcome("exchange screen", screened, replayed: \.replayed, outcome: { "\($0.event) \($0.from)→\($0.to)" })
            #expect(try await Self.taken(f, id, "start-screening") == 1)

            let accepted = await Self.together { try await service.decide(.approve, exchange: id, comment: "in mandate", key: "race-accept", by: pm) }
            Self.expectFirstOutcome("approve (accept the request)", accepted, replayed: \.replayed, outcome: { "\($0.event) \($0.from)→\($0.to)" })
            #expect(try await Self.taken(f, id, "accept") == 1)
            try await ServiceFixture.runTasks(service, client: f.client, logger: f.logger)

            let matches = await Self.together { try await service.decide(.approve, exchange: id, comment: "good matches", key: "race-matches", by: pm) }
            Self.expectFirstOutcome("approve (the matches)", matches, replayed: \.replayed, outcome: { "\($0.event) \($0.from)→\($0.to)" })
            #expect(try await Self.taken(f, id, "approve-matches") == 1)

            let selected = await Self.together { try await service.selectPartner("RWA", exchange: id, key: "race-partner", by: cod) }
            Self.expectFirstOutcome("exchange select-partner", selected, replayed: \.replayed, outcome: { "\($0.country) \($0.state)" })
            #expect(try await Self.count(f, "SELECT count(*)::int8 FROM exchange_partner_choices WHERE exchange_id = \(id)") == 1)
            try await ServiceFixture.runTasks(service, client: f.client, logger: f.logger)

            let confirmed = await Self.together { try await service.confirmPartnership(id, key: "race-confirm", by: rwa) }
            Self.expectFirstOutcome("exchange confirm", confirmed, replayed: \.replayed, outcome: { "\($0.state)" })
            #expect(try await Self.taken(f, id, "confirm") == 1)

            _ = try await service.importPlan(Self.smallPlan, exchange: id, by: cod)
            let submitted = await Self.together { try await service.submitPlan(id, key: "race-plan", by: cod) }
            Self.expectFirstOutcome("exchange plan submit", submitted, replayed: \.replayed, outcome: { "v\($0.version) \($0.state)" })
            #expect(try await Self.count(f, "SELECT count(*)::int8 FROM funding_grants WHERE instance_id = \(id)") == 1)
            let grant = try await GrantQueries(client: f.client, logger: f.logger).find(id.uuidString).id.uuidString

            let voted = await Self.together { try await service.voteOnGrant(grant, approve: true, comment: "fits", key: "race-vote", by: fay) }
            Self.expectFirstOutcome("grant approve", voted, replayed: \.replayed, outcome: { "\($0.status) \($0.from)→\($0.to)" })
            #expect(try await Self.taken(f, id, "approve-grant") == 1)
            #expect(try await Self.count(f, "SELECT count(*)::int8 FROM funding_transactions WHERE kind = 'commitment' AND grant_id = \(UUID(uuidString: grant)!)") == 1)

            let account = try BankAccount.iban("GB82 WEST 1234 5698 7654 32")
            let disbursed = await Self.together {
                try await service.disburse(grant: grant, instalment: 1, beneficiary: "RDRC", account: account, reference: nil, key: "race-disburse", by: finn)
            }
            Self.expectFirstOutcome("disburse", disbursed, replayed: \.replayed, outcome: { $0.instruction.id.uuidString })
            #expect(try await Self.count(f, "SELECT count(*)::int8 FROM funding_payment_instructions WHERE grant_id = \(UUID(uuidString: grant)!)") == 1)

            // The bank pays it; the exchange goes on to implementation, then its report.
            let exported = try #require(try await service.exportPayments(execution: nil, by: finn))
            let payment = exported.batch.payments[0]
            let report = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
                  <GrpHdr><MsgId>BANK-RACE</MsgId><CreDtTm>2026-11-29T10:00:00</CreDtTm></GrpHdr>
                  <OrgnlGrpInfAndSts><OrgnlMsgId>\(exported.batch.messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
                  <OrgnlPmtInfAndSts><OrgnlPmtInfId>\(exported.batch.messageID)-1</OrgnlPmtInfId>
                    <TxInfAndSts><OrgnlEndToEndId>\(payment.endToEndID)</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
                  </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
                """
            _ = try await service.reconcile(try Pain002Reader.read(Array(report.utf8)), by: finn)
            #expect(try await service.engine.instance(id).state == "implementation")

            let results = ResultsReport(
                indicators: [.init(name: "Former fighters with a livelihood", actual: 31)],
                outcomes: [.init(kind: .newKnowledge, description: "The commission learned how Rwanda runs community reintegration committees")],
                lessons: ["Reintegration committees need a budget line of their own."],
                feedback: .init(requestingCountry: "Practices we could adapt at once.", partnerCountry: "Good questions sharpened our own review."))
            let reported = await Self.together { try await service.submitReport(results, exchange: id, key: "race-report", by: cod) }
            Self.expectFirstOutcome("exchange report submit", reported, replayed: \.replayed, outcome: { "v\($0.version) \($0.state)" })
            #expect(try await Self.count(f, "SELECT count(*)::int8 FROM exchange_reports WHERE exchange_id = \(id)") == 1)

            let reviewed = await Self.together { try await service.reviewReport(.accept, comment: nil, exchange: id, key: "race-review", by: pm) }
            Self.expectFirstOutcome("exchange report review", reviewed, replayed: \.replayed, outcome: { "v\($0.version) \($0.state)" })
            #expect(try await Self.count(f, "SELECT count(*)::int8 FROM exchange_reviews WHERE exchange_id = \(id)") == 1)
            #expect(try await service.engine.instance(id).state == "closed")
        }
    }

    @Test("the desk's decisions and declining a partnership, four at once with one key")
    func deskAndDecline() async throws {
        try await ServiceFixture.with { f in
            let cod = try await f.caller(.requestingOfficial), rwa = try await f.caller(.partnerOfficial), pm = try await f.caller(.programManager)
            let service = f.service
            // request-info sends the request back to its official; filed again, it is screened anew.
            let id = try await service.fileRequest(ServiceFixture.ddrRequest, key: "desk-file", by: cod).exchangeID
            _ = try await service.startScreening(id, key: nil, by: pm)
            let asked = await Self.together { try await service.decide(.requestInfo, exchange: id, comment: "say more", key: "race-info", by: pm) }
            Self.expectFirstOutcome("request-info", asked, replayed: \.replayed, outcome: { "\($0.event) \($0.from)→\($0.to)" })
            #expect(try await Self.taken(f, id, "request-info") == 1)

            // Declining: back to partner selection once.
            let other = try await service.fileRequest(ServiceFixture.ddrRequest, key: "decline-file", by: cod).exchangeID
            _ = try await service.startScreening(other, key: nil, by: pm)
            _ = try await service.decide(.approve, exchange: other, comment: nil, key: nil, by: pm)
            try await ServiceFixture.runTasks(service, client: f.client, logger: f.logger)
            _ = try await service.decide(.approve, exchange: other, comment: nil, key: nil, by: pm)
            _ = try await service.selectPartner("RWA", exchange: other, key: nil, by: cod)
            try await ServiceFixture.runTasks(service, client: f.client, logger: f.logger)
            let declined = await Self.together { try await service.declinePartnership(other, reason: "no capacity this year", key: "race-decline", by: rwa) }
            Self.expectFirstOutcome("exchange decline", declined, replayed: \.replayed, outcome: { "\($0.country) \($0.state)" })
            #expect(try await Self.taken(f, other, "decline-invitation") == 1)
            // Declining took the country's view of the exchange away; her retry still gets her answer, not "no exchange has the id".
            let retried = try await service.declinePartnership(other, reason: "no capacity this year", key: "race-decline", by: rwa)
            #expect(retried.replayed && retried.state == "partner-selection" && retried.country == "RWA", "\(retried)")
            // Nobody else's key is replayed to her: a key she did not use finds the exchange hidden.
            await #expect { _ = try await service.declinePartnership(other, reason: "again", key: "race-other", by: rwa) } throws: {
                ServiceError.classify($0)?.kind == .notFound
            }

            // The desk's reject on the fixture's grant (funding review): one vote.
            let fay = try await f.caller(.fundApprover)
            let rejected = await Self.together { try await service.decide(.reject, exchange: f.exchange, comment: "too costly", key: "race-reject", by: fay) }
            Self.expectFirstOutcome("reject (the grant)", rejected, replayed: \.replayed, outcome: { "\($0.event) \($0.from)→\($0.to)" })
            #expect(try await Self.taken(f, f.exchange, "reject-grant") == 1)
        }
    }

    @Test("instance fire with one key, four at once: one step, the first outcome for all")
    func instanceFire() async throws {
        try await ServiceFixture.with { f in
            let pm = try await f.caller(.programManager)
            let service = f.service
            let instance = try await service.startInstance(workflow: "grant", version: nil, context: [:], by: pm).id
            let fired = await Self.together { try await service.fire("withdraw", instance: instance, data: [:], key: "race-withdraw", by: pm) }
            Self.expectFirstOutcome("instance fire", fired, replayed: \.replayed, outcome: { "\($0.status) \($0.from)→\($0.to) v\($0.version)" })
            #expect(try await Self.taken(f, instance, "withdraw") == 1)
        }
    }
}
