import Hummingbird
import KeepwatchCore
import KeepwatchMonitor
import NIOCore

/// Healthchecks's per-check badges, open like ping URLs (the badge key is its own secret, not the check's UUID):
/// `GET /b/2/<badge key>.svg` (two states: up or down), `/b/3/…` (up, late, down), as `.svg`, `.json` or `.shields`.
struct BadgeRoutes {
    let heartbeats: HeartbeatService

    func register(on router: Router<KeepwatchRequestContext>) {
        router.get("b/{states}/{file}") { _, context in
            let states = context.parameters.get("states") == "2" ? 2 : context.parameters.get("states") == "3" ? 3 : 0
            let file = context.parameters.get("file") ?? ""
            guard states != 0, let dot = file.lastIndex(of: "."),
                  let view = await heartbeats.view(badgeKey: String(file[..<dot])) else { return Self.notFound() }
            let state = HeartbeatBadge.state(view.status, states: states)
            let label = view.check.name.isEmpty ? view.check.uuid : view.check.name
            var response: Response
            switch file[file.index(after: dot)...] {
            case "svg":
                response = Response(status: .ok, headers: [.contentType: "image/svg+xml"],
                                    body: .init(byteBuffer: ByteBuffer(string: HeartbeatBadge.svg(label: label, state: state))))
            case "json": response = JSONResponses.json(HeartbeatBadge.json(state: state))
            case "shields": response = JSONResponses.json(HeartbeatBadge.shields(label: label, state: state))
            default: return Self.notFound()
            }
            response.headers[.cacheControl] = "max-age=0, no-cache, no-store, must-revalidate, private"
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
    }

    static func notFound() -> Response { JSONResponses.error("not found", status: .notFound) }
}
