import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine

/// cmon-proxy's `/proxy/auth/*`: login, logout, check, register (only while no user exists), update and
/// setpassword (which, unlike cmon-proxy's, are saved).
struct ProxyAuthRoutes {
    let accounts: AccountService
    let secureCookies: Bool

    func register(on router: Router<KeepwatchRequestContext>) {
        let auth = router.group("proxy/auth")
        auth.post("login") { request, context in try await answer { try await login(request, context) } }
        auth.get("check") { _, context in check(context) }
        auth.post("check") { _, context in check(context) }
        auth.get("logout") { request, context in try await logout(request, context) }
        auth.post("logout") { request, context in try await logout(request, context) }
        auth.post("register") { request, context in try await answer { try await registerFirstUser(request, context) } }
        auth.post("update") { request, context in try await answer { try await update(request, context) } }
        auth.post("setpassword") { request, context in try await answer { try await setPassword(request, context) } }
    }

    /// Turns a refused body into its reply.
    func answer(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let failure as ResponseFailure {
            return failure.response
        }
    }

    func login(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        // A browser marks a request from another site (Origin, Sec-Fetch-Site); such a sign-in is refused, so a
        // cross-site form cannot sign a visitor in. The body must be a JSON object: form fields are refused.
        // cmon-proxy's own `curl -d '{…}'` sends JSON with curl's default content type, and works.
        if Self.isCrossSite(request) {
            return CmonReply.forbidden("sign-in from another site refused")
        }
        let body = try await Self.object(request)
        let username = body["username"]?.stringValue ?? ""
        let password = body["password"]?.stringValue ?? ""
        switch try await accounts.login(username: username, password: password, source: context.clientAddress) {
        case .throttled(let wait):
            var response = CmonReply.reply(CmonReply.header(status: "TryAgain", error: "too many failed logins from \(context.clientAddress); try again in \(wait) s"),
                                           status: .tooManyRequests)
            response.headers[.retryAfter] = "\(wait)"
            return response
        case .denied(let reason):
            return CmonReply.failure("AccessDenied", reason)
        case .signedIn(let user, let sessionID):
            var response = CmonReply.signedIn(user)
            response.setCookie(sessionCookie(sessionID))
            return response
        }
    }

    func check(_ context: KeepwatchRequestContext) -> Response {
        guard let user = context.user else { return CmonReply.failure("AuthRequired", "not authenticated") }
        return CmonReply.signedIn(user)
    }

    func logout(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        if let sid = request.cookies[AuthMiddleware.sessionCookie]?.value, !sid.isEmpty {
            try await accounts.logout(sessionID: sid, source: context.clientAddress)
        }
        var response = CmonReply.reply(CmonReply.header(status: "Ok", processed: false))
        response.setCookie(sessionCookie("", expired: true))
        return response
    }

    func registerFirstUser(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        guard try await accounts.store.userCount() == 0 else { return CmonReply.failure("AccessDenied", "Admin user already exists") }
        let body = try await Self.object(request)
        guard let user = body["user"]?.objectValue else { return CmonReply.failure("InvalidRequest", "Invalid request") }
        guard let password = user["password"]?.stringValue, !password.isEmpty else {
            return CmonReply.failure("InvalidRequest", "Invalid password")
        }
        do {
            let created = try await accounts.register(user["username"]?.stringValue ?? "", password: password,
                                                      profile: Self.profile(user), source: context.clientAddress)
            return CmonReply.ok(user: created)
        } catch let error as AccountError {
            if case .exists = error { return CmonReply.failure("AccessDenied", "Admin user already exists") }
            return CmonReply.failure("InvalidRequest", "Invalid \(error)")
        }
    }

    func update(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let body = try await Self.object(request)
        guard let user = body["user"]?.objectValue else { return CmonReply.invalidRequest(" send {\"user\": {...}}") }
        guard let current = context.user else { return CmonReply.unauthorized() }
        guard user["username"]?.stringValue == current.username else { return CmonReply.failure("AccessDenied", "wrong username") }
        do {
            let updated = try await accounts.updateProfile(current.username, Self.profile(user))
            return CmonReply.ok(user: updated)
        } catch let error as AccountError {
            return CmonReply.failure("InvalidRequest", "wrong user: \(error)")
        }
    }

    func setPassword(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let body = try await Self.object(request)
        guard let current = context.user else { return CmonReply.unauthorized() }
        let old = body["old_password"]?.stringValue ?? ""
        let new = body["new_password"]?.stringValue ?? ""
        do {
            try AccountService.checkPassword(new)
        } catch {
            return CmonReply.failure("InvalidRequest", "invalid new password: \(error)")
        }
        let session = request.cookies[AuthMiddleware.sessionCookie]?.value
        switch try await accounts.changePassword(current.username, old: old, new: new, source: context.clientAddress, keepingSession: session) {
        case .changed: return CmonReply.ok(user: current)
        case .wrongOldPassword: return CmonReply.failure("AccessDenied", "wrong old password")
        case .throttled(let wait):
            var response = CmonReply.reply(CmonReply.header(status: "TryAgain", error: "too many wrong passwords; try again in \(wait) s"),
                                           status: .tooManyRequests)
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
    }

    func sessionCookie(_ value: String, expired: Bool = false) -> Cookie {
        AuthMiddleware.cookie(value, secure: secureCookies, expired: expired)
    }

    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite]?.lowercased(), site == "cross-site" || site == "same-site" { return true }
        guard let origin = request.headers[.origin] else { return false }
        let host = request.head.authority ?? ""
        guard let schemeEnd = origin.range(of: "://") else { return true }
        return String(origin[schemeEnd.upperBound...]).lowercased() != host.lowercased()
    }

    static func profile(_ user: [String: JSONValue]) -> AccountService.Profile {
        AccountService.Profile(email: user["email"]?.stringValue, firstName: user["firstname"]?.stringValue,
                               lastName: user["lastname"]?.stringValue)
    }

    /// The JSON object in the body; else throws cmon-proxy's `{"type":"InvalidRequest",...}` reply (413 when too large).
    static func object(_ request: Request) async throws(ResponseFailure) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try await JSONResponses.body(request)
        } catch let error as JSONResponses.BodyError {
            if error.status == .contentTooLarge { throw ResponseFailure(JSONResponses.error(error.message, status: .contentTooLarge)) }
            throw ResponseFailure(CmonReply.invalidRequest(" " + error.message))
        } catch {
            throw ResponseFailure(CmonReply.invalidRequest(" \(error)"))
        }
        guard let object = value.objectValue else { throw ResponseFailure(CmonReply.invalidRequest(" the body must be a JSON object")) }
        return object
    }

    struct ResponseFailure: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }
}
