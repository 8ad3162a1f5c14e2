import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// Ethoscope's node face: `GET /backup/status` for the ethoscope source (`?source=NAME|XID` when there are several),
/// in the seed's shape.
struct EthoscopeRoutes {
    let hub: HubService

    func register(on router: Router<KeepwatchRequestContext>) {
        router.get("backup/status") { request, _ in
            let sources = hub.index.states().filter { $0.definition.kind == .ethoscope }
            let wanted: String? = request.uri.queryParameters.get("source").map { String($0) }
            let chosen = wanted.map { name in sources.filter { $0.xid == name || $0.definition.name == name || $0.definition.url == name } } ?? sources
            guard let source = chosen.first else {
                let known = sources.map(\.definition.name).joined(separator: ", ")
                let message = wanted.map { "no ethoscope source named \($0)" + (known.isEmpty ? "" : "; there are: \(known)") }
                    ?? "no ethoscope source yet; add one with keepwatch admin addcontroller --kind ethoscope URL"
                return JSONResponses.error(message, field: "source", status: .notFound)
            }
            guard chosen.count == 1 else {
                return JSONResponses.error("there are several ethoscope sources; pass ?source=NAME or XID (one of: \(sources.map(\.definition.name).joined(separator: ", ")))",
                                           field: "source", status: .badRequest)
            }
            return JSONResponses.json(EthoscopeStatusView.json(source))
        }
    }
}
