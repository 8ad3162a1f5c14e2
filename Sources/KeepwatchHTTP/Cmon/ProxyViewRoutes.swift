import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// cmon-proxy's views over every source: `/proxy/clusters/{status,list,hosts,missingSchedules}`,
/// `/proxy/alarms/{status,list}`, `/proxy/jobs/{status,list}`, `/proxy/backups/{status,list,schedules}`, GET or POST.
/// They read the hub's index; `force_update: true` refreshes every source first (each waits at most its timeout).
struct ProxyViewRoutes {
    let hub: HubService

    func register(on router: Router<KeepwatchRequestContext>) {
        let lists: [(String, HubLists.Kind)] = [
            ("clusters/list", .clusters), ("clusters/missingSchedules", .missingSchedules), ("clusters/hosts", .hosts),
            ("alarms/list", .alarms), ("jobs/list", .jobs), ("backups/list", .backups), ("backups/schedules", .schedules),
        ]
        for (path, kind) in lists {
            let handler: @Sendable (Request, KeepwatchRequestContext) async -> Response = { request, _ in
                await CmonRequest.answer { try await list(kind, request) }
            }
            router.get("proxy/\(path)", use: handler)
            router.post("proxy/\(path)", use: handler)
        }
        let overviews: [(String, @Sendable ([ListFilter], [SourceState]) -> JSONValue)] = [
            ("clusters/status", HubOverviews.clusters), ("alarms/status", HubOverviews.alarms),
            ("jobs/status", HubOverviews.jobs), ("backups/status", HubOverviews.backups),
        ]
        for (path, overview) in overviews {
            let handler: @Sendable (Request, KeepwatchRequestContext) async -> Response = { request, _ in
                await CmonRequest.answer {
                    let body = try await CmonRequest.read(request)
                    let filters = try body.list().filters
                    let states = await hub.states(force: try body.flag("force_update"))
                    return JSONResponses.json(overview(filters, states))
                }
            }
            router.get("proxy/\(path)", use: handler)
            router.post("proxy/\(path)", use: handler)
        }
    }

    func list(_ kind: HubLists.Kind, _ request: Request) async throws -> Response {
        let body = try await CmonRequest.read(request)
        let query = try body.list()
        let withHosts = try body.flag("with_hosts")
        let states = await hub.states(force: try body.flag("force_update"))
        let text = HubLists.reply(kind, request: query, withHosts: withHosts, states: states)
        var buffer = ByteBuffer(string: text)
        buffer.writeString("\n")
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
