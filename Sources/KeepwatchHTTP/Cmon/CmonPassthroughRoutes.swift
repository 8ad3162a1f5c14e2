import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// cmon-proxy's passthrough, for operators: `/v2/<module>` to the one cmon source the body's `xid` (or
/// `controller_id`) names, `/v2multi/<module>` to several (`{"xids": […]}` or `?xids=a,b`; none means every cmon
/// source). The hub's own session with the controller is used; a JSON reply gets `"xid"`.
struct CmonPassthroughRoutes {
    let hub: HubService

    func register(on router: Router<KeepwatchRequestContext>) {
        let single: @Sendable (Request, KeepwatchRequestContext) async -> Response = { request, _ in
            await CmonRequest.answer { try await forwardOne(request) }
        }
        let multi: @Sendable (Request, KeepwatchRequestContext) async -> Response = { request, _ in
            await CmonRequest.answer { try await forwardMany(request) }
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("v2/**", method: method, use: single)
            router.on("v2multi/**", method: method, use: multi)
        }
    }

    /// The body as cmon takes it: the POSTed object, or for GET the query's first values.
    static func body(_ request: Request) async throws -> [String: JSONValue] {
        if request.method == .get {
            var object: [String: JSONValue] = [:]
            for (key, value) in request.uri.queryParameters where object[String(key)] == nil { object[String(key)] = .string(String(value)) }
            return object
        }
        return try await CmonRequest.read(request).object
    }

    func forwardOne(_ request: Request) async throws -> Response {
        let body = try await Self.body(request)
        let xid = body["xid"]?.stringValue.flatMap { $0.count > 4 ? $0 : nil }
        let controllerID = body["controller_id"].map { value -> String in
            if case .number = value { return value.int64Value.map(String.init) ?? "" }
            return value.stringValue ?? ""
        }
        guard xid != nil || !(controllerID ?? "").isEmpty else {
            return CmonReply.reply(CmonReply.header(status: "InvalidRequest", error: "missing xid or controller_id from request"))
        }
        let states = hub.index.states().filter { $0.definition.kind == .cmon }
        guard let target = states.first(where: { $0.xid == xid }) ?? states.first(where: { !$0.snapshot.controllerID.isEmpty && $0.snapshot.controllerID == controllerID }) else {
            return CmonReply.reply(CmonReply.header(status: "ObjectNotFound", error: "No cmon found by xid."))
        }
        var forwarded = body
        if case .number? = body["controller_id"], let id = controllerID { forwarded["controller_id"] = .string(id) }
        let path = String(request.uri.path.dropFirst(0))
        let reply: SourceHTTPClient.Reply
        do {
            reply = try await hub.forward(path: path, body: JSONWriter.text(.object(forwarded)), to: target.xid)
        } catch {
            return JSONResponses.json(["error": .string(error.message)], status: .badGateway)
        }
        if case .object(var object)? = try? JSONParser.parse(bytes: Array(buffer: reply.body)) {
            object["xid"] = .string(target.xid)
            return JSONResponses.json(.object(object))
        }
        var headers = HTTPFields()
        headers[.contentType] = reply.headers["Content-Type"].first ?? "application/octet-stream"
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: reply.body))
    }

    func forwardMany(_ request: Request) async throws -> Response {
        var body = try await Self.body(request)
        var xids = body["xids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if xids.isEmpty, let query = request.uri.queryParameters.get("xids") {
            xids = query.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        }
        body["xids"] = nil
        let cmon = hub.index.states().filter { $0.definition.kind == .cmon }
        let chosen = xids.isEmpty ? cmon.map(\.xid) : xids
        let path = "/v2" + request.uri.path.dropFirst("/v2multi".count)
        let text = JSONWriter.text(.object(body))
        let replies = await withTaskGroup(of: (String, JSONValue).self) { group in
            for xid in chosen {
                group.addTask {
                    guard cmon.contains(where: { $0.xid == xid }) else {
                        return (xid, ["xid": .string(xid), "request_status": "ObjectNotFound", "error_string": "No cmon found by xid."])
                    }
                    do {
                        let reply = try await hub.forward(path: path, body: text, to: xid)
                        if case .object(var object)? = try? JSONParser.parse(bytes: Array(buffer: reply.body)) {
                            object["xid"] = .string(xid)
                            return (xid, .object(object))
                        }
                        return (xid, ["xid": .string(xid), "data": .string(String(buffer: reply.body))])
                    } catch {
                        return (xid, ["xid": .string(xid), "request_status": "UnknownError", "error_string": .string("\(error)")])
                    }
                }
            }
            var collected: [String: JSONValue] = [:]
            for await (xid, reply) in group { collected[xid] = reply }
            return collected
        }
        return JSONResponses.json(.object(replies))
    }
}
