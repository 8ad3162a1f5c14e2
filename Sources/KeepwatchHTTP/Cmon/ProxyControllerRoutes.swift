import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// cmon-proxy's `/proxy/controllers/{status,test,add,update,remove}`: sources managed over HTTP (admins only,
/// except `status`), saved in the store with passwords and tokens sealed, never returned.
struct ProxyControllerRoutes {
    let hub: HubService

    func register(on router: Router<KeepwatchRequestContext>) {
        let controllers = router.group("proxy/controllers")
        let status: @Sendable (Request, KeepwatchRequestContext) async -> Response = { request, _ in
            await CmonRequest.answer {
                let body = try await CmonRequest.read(request)
                let states = await hub.states(force: try body.flag("force_update"))
                return JSONResponses.json(["controllers": .array(states.map(ControllerStatusView.json))])
            }
        }
        controllers.get("status", use: status)
        controllers.post("status", use: status)
        controllers.post("test") { request, _ in
            await CmonRequest.answer {
                let definition = try hub.definition(from: try await Self.controller(request))
                return JSONResponses.json(["controller": ControllerStatusView.json(await hub.test(definition))])
            }
        }
        controllers.post("add") { request, context in
            await CmonRequest.answer {
                let definition = try hub.definition(from: try await Self.controller(request))
                let state = try await hub.add(definition, by: context.requester)
                return JSONResponses.json(["controller": ControllerStatusView.json(state)])
            }
        }
        controllers.post("update") { request, context in
            await CmonRequest.answer {
                JSONResponses.json(["controller": ControllerStatusView.json(try await hub.update(try await Self.controller(request), by: context.requester))])
            }
        }
        controllers.post("remove") { request, context in
            await CmonRequest.answer {
                let body = try await CmonRequest.read(request)
                guard let xid = body.object["controllerXid"]?.stringValue ?? body.object["xid"]?.stringValue, !xid.isEmpty else {
                    return CmonReply.invalidRequest(" send {\"controllerXid\": \"<xid>\"} (or {\"xid\": …})")
                }
                _ = try await hub.remove(xid, by: context.requester)
                return JSONResponses.json(["type": "Ok", "message": "The controller is removed."])
            }
        }
    }

    /// The `controller` object of the body.
    static func controller(_ request: Request) async throws -> JSONValue {
        let body = try await CmonRequest.read(request)
        guard let controller = body.object["controller"], controller.objectValue != nil else {
            throw CmonRequest.Refused(response: CmonReply.invalidRequest(" send {\"controller\": {\"url\": …}}"))
        }
        return controller
    }
}

extension HubService.Failure {
    var status: HTTPResponse.Status {
        switch self {
        case .invalid: return .badRequest
        case .notFound: return .notFound
        case .duplicate: return .tooEarly
        case .refused: return .conflict
        }
    }

    var type: String {
        switch self {
        case .invalid, .refused: return "InvalidRequest"
        case .notFound: return "ObjectNotFound"
        case .duplicate: return "TryAgain"
        }
    }

    /// cmon-proxy's `{type, message}` (plus the `field` for a bad key).
    var reply: Response {
        var object: [String: JSONValue] = ["type": .string(type), "message": .string(description)]
        if case .invalid(let error) = self { object["field"] = .string(error.field) }
        return JSONResponses.json(.object(object), status: status)
    }
}
