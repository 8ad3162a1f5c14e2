import Hummingbird
import KeepwatchCore

extension HeartbeatDocuments.Links {
    /// The node as the client reached it (`X-Forwarded-Proto` and the Host it asked for), so that `ping_url` and
    /// `update_url` work from where the client stands.
    static func of(_ request: Request, secure: Bool) -> Self {
        let scheme = request.headers[.xForwardedProto] ?? (secure ? "https" : "http")
        let root = "\(scheme)://\(request.head.authority ?? "localhost")"
        return Self(siteRoot: root, pingEndpoint: root + "/ping/")
    }
}
