import KeepwatchCore
@testable import KeepwatchHub
import Testing

/// The overview's board: each target's state by the rule, offline sources, counts that ignore the state filter,
/// worst-first order with stable ties, filters, search and paging, checked against hand-counted values.
struct BoardPageTests {
    static let now: Int64 = 1_800_000_000

    static func report(_ name: String, _ outcome: TargetReport.Outcome, lastSuccess: Int64?, running: Bool = false,
                       tags: [String] = []) -> TargetReport {
        var report = TargetReport(id: name, name: name, type: "keepwatch")
        report.lastOutcome = outcome
        report.lastSuccess = lastSuccess
        report.period = 3600
        report.tags = tags
        if running { report.runs = [.init(id: "r-\(name)", outcome: .running, title: name, created: now, started: now, message: "")] }
        return report
    }

    static func source(_ name: String, xid: String, _ reports: [TargetReport], answering: Bool = true) throws -> SourceState {
        let definition = try SourceDefinition(json: ["kind": "keepwatch", "url": .string("http://\(name):8090"), "name": .string(name)], xid: xid)
        var state = SourceState(definition: definition)
        var snapshot = SourceSnapshot()
        TargetItems.snapshot(reports, source: state.ref, now: now, into: &snapshot)
        state.snapshot = snapshot
        state.status = answering ? .ok : .failed
        state.statusMessage = answering ? "" : "dial tcp: connect: connection refused"
        state.lastUpdated = now - 30
        return state
    }

    static func states() throws -> [SourceState] {
        [
            try source("alpha", xid: "aaaaaaaaaaaaaaaaaaaa", [
                report("ok-1", .success, lastSuccess: now - 60, tags: ["prod"]),
                report("broken", .failure, lastSuccess: now - 7200, tags: ["prod"]),
                report("stale", .success, lastSuccess: now - 5 * 3600),
                report("new", .unknown, lastSuccess: nil),
                report("busy", .success, lastSuccess: now - 60, running: true),
                report("ok-2", .success, lastSuccess: now - 120),
            ]),
            try source("beta", xid: "bbbbbbbbbbbbbbbbbbbb", [report("far", .success, lastSuccess: now - 60)], answering: false),
        ]
    }

    @Test func eachTargetGetsItsStateAndTheBoardIsWorstFirst() throws {
        let board = BoardPage.of(try Self.states(), query: BoardQuery())
        #expect(board.targets.map { "\($0.target.name):\($0.state.rawValue)" } == [
            "broken:error", "far:offline", "stale:partial", "new:unknown", "busy:running", "ok-1:success", "ok-2:success",
        ])
        #expect(board.counts == [.error: 1, .offline: 1, .partial: 1, .unknown: 1, .running: 1, .success: 2])
        #expect(board.total == 7 && board.pages == 1)
        #expect(board.targets.first { $0.target.name == "ok-1" }?.target.lastGood == Self.now - 60)
        #expect(board.targets.first { $0.target.name == "new" }?.target.lastGood == nil)
        #expect(board.sources.map(\.name) == ["beta", "alpha"], "a source that does not answer comes first")
        #expect(board.sources.last?.counts[.success] == 2 && board.sources.last?.worst == .error)
    }

    @Test func filtersNarrowTheTargetsAndCountsIgnoreOnlyTheStateFilter() throws {
        let states = try Self.states()
        var query = BoardQuery()
        query.state = "success"
        let successes = BoardPage.of(states, query: query)
        #expect(successes.targets.map(\.target.name) == ["ok-1", "ok-2"] && successes.counts[.error] == 1)
        query = BoardQuery()
        query.tag = "prod"
        #expect(BoardPage.of(states, query: query).targets.map(\.target.name) == ["broken", "ok-1"])
        query = BoardQuery()
        query.source = "beta"
        #expect(BoardPage.of(states, query: query).targets.map(\.target.name) == ["far"])
        query.source = "bbbbbbbbbbbbbbbbbbbb"
        #expect(BoardPage.of(states, query: query).total == 1, "a source is found by xid as well as by name")
        query = BoardQuery()
        query.search = "OK-"
        let found = BoardPage.of(states, query: query)
        #expect(found.targets.map(\.target.name) == ["ok-1", "ok-2"] && found.counts == [.success: 2], "search ignores case")
        query.search = "nothing like it"
        #expect(BoardPage.of(states, query: query).targets.isEmpty && BoardPage.of(states, query: query).pages == 1)
    }

    @Test func pagesAreStableAndOutOfRangePagesClamp() throws {
        let states = try Self.states()
        var query = BoardQuery()
        query.perPage = 3
        var names: [String] = []
        for page in 1...3 {
            query.page = page
            let board = BoardPage.of(states, query: query)
            #expect(board.pages == 3 && board.page == page)
            names += board.targets.map(\.target.name)
        }
        #expect(names == ["broken", "far", "stale", "new", "busy", "ok-1", "ok-2"], "the pages join into the whole board")
        query.page = 99
        #expect(BoardPage.of(states, query: query).page == 3)
        query.page = -4
        query.perPage = 0
        let clamped = BoardPage.of(states, query: query)
        #expect(clamped.page == 1 && clamped.targets.count == 1, "per page is at least one")
    }
}
