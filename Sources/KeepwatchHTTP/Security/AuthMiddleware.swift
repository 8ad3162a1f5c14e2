import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine

/// Puts the account model under every route: resolves `Authorization: Bearer kw_…` or the `sid` cookie,
/// answers 401 (cmon-proxy's body) without valid credentials and 403 when the role is too weak, and refuses
/// cross-site writes made with a session cookie. The web face's paths get pages and the sign-in form instead.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = KeepwatchRequestContext
    let accounts: AccountService
    let policy: AccessPolicy
    /// Shown at the foot of a refusal page.
    let version: String

    static let sessionCookie = "sid"

    /// The session cookie: HttpOnly, SameSite=Lax (another site's form never carries it), Secure under TLS.
    static func cookie(_ value: String, secure: Bool, expired: Bool = false) -> Cookie {
        Cookie(name: sessionCookie, value: value, maxAge: expired ? 0 : nil, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if AccessPolicy.isAnonymous(request.uri.path) { return try await next(request, context) }
        var context = context
        let requirement = policy.requirement(method: request.method, path: request.uri.path)
        var refusal: String?
        if let bearer = Self.bearer(request) {
            switch try await accounts.check(bearer: bearer) {
            case .valid(let principal): context.principal = principal
            case .refused(let reason): refusal = reason
            }
        } else if let sid = request.cookies[Self.sessionCookie]?.value, !sid.isEmpty,
                  let (user, principal) = try await accounts.signedInUser(sessionID: sid, source: context.clientAddress) {
            context.principal = principal
            context.user = user
        }
        guard case .role(let needed) = requirement else { return try await next(request, context) }
        let page = WebPages.isPage(request.uri.path)
        guard let principal = context.principal else {
            if page && Self.isSafe(request.method) { return Self.toLogin(request) }
            if page && refusal == nil { return WebAccessRefusal.signInAgain(request) }
            return CmonReply.unauthorized(reason: refusal)
        }
        guard principal.role.includes(needed) else {
            let reason = "\(principal.name) has the \(principal.role.rawValue) role; this needs \(needed.rawValue)"
            if page {
                return WebAccessRefusal.page(request, context, version: version, heading: "Not allowed",
                                       detail: reason + ". An admin can change your role with keepwatch admin setrole.")
            }
            return CmonReply.forbidden(reason)
        }
        if principal.isSession && !Self.isSafe(request.method), let why = Self.crossSiteRefusal(request) {
            if page { return WebAccessRefusal.page(request, context, version: version, heading: "Refused", detail: why) }
            return CmonReply.forbidden(why)
        }
        return try await next(request, context)
    }

    /// Why a write made with a session cookie may come from another site, or nil when it may not. A browser marks
    /// another site's request (`Origin`, `Sec-Fetch-Site`), and cannot send JSON or `X-Requested-With` across sites
    /// without a CORS preflight, which Keepwatch never grants.
    static func crossSiteRefusal(_ request: Request) -> String? {
        if ProxyAuthRoutes.isCrossSite(request) {
            return "cross-site request refused: this was sent from another site's page, not one of this node's"
        }
        if isSameOriginWrite(request) || isProxyCall(request) || isPageForm(request) { return nil }
        if WebPages.isPage(request.uri.path) {
            return "cross-site request refused: a form must come from one of this node's pages, whose browser names it in Origin"
        }
        return "cross-site request refused: send Content-Type: application/json or an X-Requested-With header"
    }

    /// cmon-proxy's clients (its README's `curl -d '{…}' -b cookies.jar`) post JSON with curl's form content type;
    /// `/proxy/*` takes that unless a browser marks the request as coming from another site (the `sid` cookie is
    /// SameSite=Lax as well, so another site's form never carries it). Every `/proxy/*` write reads a JSON object.
    static func isProxyCall(_ request: Request) -> Bool {
        request.uri.path.hasPrefix("/proxy/")
    }

    /// A form posted by one of this node's pages: a browser names the page's origin (`Origin`, or
    /// `Sec-Fetch-Site: same-origin`) on every form it posts; another site's form names its own and is refused.
    static func isPageForm(_ request: Request) -> Bool {
        WebPages.isPage(request.uri.path)
            && (request.headers[.origin] != nil || request.headers[.secFetchSite]?.lowercased() == "same-origin")
    }

    /// A page asked for without a session: sign in first, then come back.
    static func toLogin(_ request: Request) -> Response {
        var next = request.uri.path
        if let query = request.uri.query, !query.isEmpty { next += "?" + query }
        return WebResponse.redirect("/login?next=" + WebResponse.escaped(next))
    }

    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }

    /// A browser cannot send these across sites without a CORS preflight, which Keepwatch never grants.
    static func isSameOriginWrite(_ request: Request) -> Bool {
        if request.headers[.xRequestedWith] != nil { return true }
        guard let type = request.headers[.contentType]?.lowercased() else { return false }
        return type.hasPrefix("application/json")
    }
}
