import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub
import KeepwatchStore
import Logging

// Usage: HubBenchmarks SOURCES   (e.g. 100, 1000, 10000)
//        HubBenchmarks SOURCES web (the web overview and its JSON twin over those sources)
//        HubBenchmarks jobs        (GET /api/v1/jobs with 100 and 10,000 jobs)
// Each simulated controller holds 10 clusters of 5 hosts and 100 backups, so 1,000 sources are 10,000 clusters,
// 50,000 hosts and 100,000 backups. Prints one markdown row: full refresh wall time (median of 5), index memory,
// and the p50/p99 of `backups/list` with a filter, a sort and a page (500 requests).

if CommandLine.arguments.dropFirst().first == "jobs" {
    try await JobsListBenchmark.run(counts: [100, 10_000])
    exit(0)
}
let fake = FakeControllers(clusters: 10, hostsPerCluster: 5, backups: 100)
if CommandLine.arguments.dropFirst().first == "cost" {
    RefreshCost.measure(fake)
    try ListCost.measure()
    exit(0)
}
let sources = Int(CommandLine.arguments.dropFirst().first ?? "1000") ?? 1000

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let portBox = AsyncStream<Int>.makeStream()
let server = Task { try await fake.serve { port in portBox.continuation.yield(port) } }
func firstPort(of stream: AsyncStream<Int>) async -> Int? {
    for await port in stream { return port }
    return nil
}
guard let port = await firstPort(of: portBox.stream) else {
    FileHandle.standardError.write(Data("HubBenchmarks: the fake controllers did not start\n".utf8))
    exit(1)
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
if CommandLine.arguments.dropFirst(2).first == "http" {
    try await HTTPFloor.run(port: port, sources: sources, cpu: cpuSeconds)
    exit(0)
}
let bench = try await BenchData.open("hub-bench")
let (store, logger) = (bench.store, bench.logger)
for index in 0..<sources {
    let definition = try SourceDefinition(json: ["url": .string("http://127.0.0.1:\(port)/c\(index)"), "name": .string("c\(index)"),
                                                 "username": "bench", "password": "bench", "timeout": 60, "refresh_interval": 86_400],
                                          xid: XID.make(seconds: 1_700_000_000, machine: 1, process: 1, counter: UInt32(index)))
    try await store.insertSource(definition)
}
let jobs = JobService(store: store, data: bench.data, logger: logger, auditor: { _ in })
let before = residentBytes()
let hub = HubService(store: store, jobs: jobs, settings: HubSettings(concurrency: Int(ProcessInfo.processInfo.environment["HUB_CONCURRENCY"] ?? "") ?? 64), version: "bench", logger: logger)
let first = try await seconds {
    try await hub.start()
    try await hub.beginRefreshing(localURL: "http://127.0.0.1:1")
    while hub.index.states().contains(where: { $0.lastUpdated == nil }) { try await Task.sleep(nanoseconds: 20_000_000) }
}
let failed = hub.index.states().filter { $0.status != .ok && $0.definition.kind != .local }
if !failed.isEmpty { print("failed sources: \(failed.count): \(failed.first?.statusMessage ?? "")") }
let memory = residentBytes() - before
if CommandLine.arguments.dropFirst(2).first == "web" {
    try await WebOverviewBenchmark.run(hub: hub, jobs: jobs, bench: bench)
    exit(0)
}
let listOnly = CommandLine.arguments.dropFirst(2).first == "list"
var refreshes: [Double] = []
let cpuBefore = cpuSeconds()
for _ in 0..<(listOnly ? 0 : 5) { refreshes.append(try await seconds { _ = await hub.states(force: true) }) }
let refreshCPU = (cpuSeconds() - cpuBefore) / 5
refreshes.sort()
if refreshes.isEmpty { refreshes = [0, 0, 0] }
print("full refresh: median \(String(format: "%.2f", refreshes[2])) s wall, CPU \(String(format: "%.2f", refreshCPU)) s per refresh (both cores, fake controllers included)")
if CommandLine.arguments.dropFirst(2).first == "refresh" { exit(0) }
let states = hub.index.states()
let backupCount = states.reduce(0) { $0 + $1.snapshot.backups.count }
let hostCount = states.reduce(0) { $0 + $1.snapshot.hosts.count }
let clusterCount = states.reduce(0) { $0 + $1.snapshot.clusters.count }
let request = ListRequest(page: 3, perPage: 50, order: "created desc",
                          filters: [ListFilter(key: "status", value: "Completed"), ListFilter(key: "tags", matchAll: ["even"])])
var listTimes: [Double] = []
var replyBytes = 0
for _ in 0..<500 {
    listTimes.append(await seconds { replyBytes = HubLists.reply(.backups, request: request, states: hub.index.states()).utf8.count })
}
listTimes.sort()
if CommandLine.arguments.count > 2 {
    var phases = [Double](repeating: 0, count: 4)
    for _ in 0..<50 {
        var t = DispatchTime.now().uptimeNanoseconds
        func lap(_ i: Int) { let n = DispatchTime.now().uptimeNanoseconds; phases[i] += Double(n - t) / 1e6 / 50; t = n }
        let all = hub.index.states(); lap(0)
        let flat = all.flatMap(\.snapshot.backups); lap(1)
        let page = ListQuery.apply(request, to: flat, schema: HubSchemasProbe.backups); lap(2)
        _ = page.items.map(\.text).joined(separator: ","); lap(3)
    }
    print("phases ms: states \(phases[0]) flatMap \(phases[1]) apply \(phases[2]) join \(phases[3])")
}
func ms(_ value: Double) -> String { String(format: "%.1f", value * 1000) }
print("| sources | clusters | hosts | backups | first refresh s | full refresh s (median of 5) | index MB | MB per 100k records | backups/list p50 ms | p99 ms | reply KB |")
print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
let records = clusterCount + hostCount + backupCount
print("| \(sources) | \(clusterCount) | \(hostCount) | \(backupCount) | \(String(format: "%.2f", first)) | \(String(format: "%.2f", refreshes[2])) | \(memory >> 20) | \(String(format: "%.0f", Double(memory >> 20) / Double(max(records, 1)) * 100_000)) | \(ms(listTimes[250])) | \(ms(listTimes[494])) | \(replyBytes >> 10) |")
await hub.stop()
try await bench.close()
server.cancel()
exit(0)
