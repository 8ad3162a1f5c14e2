import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// The hub in Keepwatch's own API: `GET /api/v1/devices` (every source's devices merged by id) and
/// `/api/v1/sources` (the same sources `/proxy/controllers/*` manage).
struct HubNativeRoutes {
    let hub: HubService

    func register(on router: Router<KeepwatchRequestContext>) {
        let api = router.group("api/v1")
        api.get("overview") { request, _ in JSONResponses.json(OverviewDocument.json(BoardPage.of(hub.index.states(), query: BoardQuery(request)), ignored: BoardQuery.ignored(request))) }
        api.get("devices") { _, _ in JSONResponses.json(DeviceView.devices(states: hub.index.states())) }
        api.get("sources") { request, _ in
            let force = request.uri.queryParameters.get("force_update") == "true"
            return JSONResponses.json(["sources": .array(await hub.states(force: force).map(ControllerStatusView.json))])
        }
        api.get("sources/{xid}") { _, context in
            guard let state = hub.index.state(try context.parameters.require("xid")) else {
                return JSONResponses.error("no such source", status: .notFound)
            }
            return JSONResponses.json(ControllerStatusView.json(state))
        }
        api.post("sources") { request, context in
            await Self.answer {
                let body = try await JSONResponses.body(request)
                let definition = try hub.definition(from: body["controller"] ?? body)
                return JSONResponses.json(ControllerStatusView.json(try await hub.add(definition, by: context.requester)), status: .created)
            }
        }
        api.put("sources/{xid}") { request, context in
            await Self.answer {
                guard case .object(var object) = try await JSONResponses.body(request) else {
                    return JSONResponses.error("send the source's keys as a JSON object", status: .badRequest)
                }
                object["xid"] = .string(try context.parameters.require("xid"))
                return JSONResponses.json(ControllerStatusView.json(try await hub.update(.object(object), by: context.requester)))
            }
        }
        api.delete("sources/{xid}") { _, context in
            await Self.answer {
                _ = try await hub.remove(try context.parameters.require("xid"), by: context.requester)
                return Response(status: .noContent)
            }
        }
    }

    static func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let failure as HubService.Failure {
            switch failure {
            case .invalid(let error): return JSONResponses.error(error.message, field: error.field, status: .unprocessableContent)
            case .notFound(let what): return JSONResponses.error(what, status: .notFound)
            case .duplicate(let what), .refused(let what): return JSONResponses.error(what, status: .conflict)
            }
        } catch {
            return JSONResponses.response(for: error)
        }
    }
}
