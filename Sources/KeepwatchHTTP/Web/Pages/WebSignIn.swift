import Hummingbird
import KeepwatchCore
import KeepwatchEngine

/// `GET /login`, `POST /login` (a form: user name, password, where to go next) and `POST /logout`, on the same
/// sessions and `sid` cookie as `/proxy/auth/*`. Failed sign-ins are throttled by the same rule.
extension WebPages {
    func registerSignIn(on router: Router<KeepwatchRequestContext>) {
        router.get("login") { request, context in
            let next = WebResponse.localPath(request.uri.queryParameters.get("next").map { String($0) })
            if context.principal != nil { return WebResponse.redirect(next) }
            return loginPage(request, next: next)
        }
        router.post("login") { request, context in try await signIn(request, context) }
        // Signing out is a form (POST): a link or a typed address must not end a session; it shows the sign-in page.
        router.get("logout") { _, _ in WebResponse.redirect("/login") }
        router.post("logout") { request, context in
            if ProxyAuthRoutes.isCrossSite(request) { return WebResponse.html("sign-out from another site refused", status: .forbidden, request: request) }
            if let sid = request.cookies[AuthMiddleware.sessionCookie]?.value, !sid.isEmpty {
                _ = try await accounts.logout(sessionID: sid, source: context.clientAddress)
            }
            var response = WebResponse.redirect("/login?" + WebMessage.notice.query("You are signed out."))
            response.setCookie(AuthMiddleware.cookie("", secure: secureCookies, expired: true))
            return response
        }
    }

    func loginPage(_ request: Request, next: String, username: String = "", problem: String? = nil,
                   status: HTTPResponse.Status = .ok) -> Response {
        var fields: [String: Any] = ["next": next, "username": username, "assetVersion": WebAssets.version]
        fields.put("problem", problem)
        fields.put("notice", WebMessage.notice.read(request))
        return WebResponse.html(WebTemplates.render("login", fields), status: status, request: request)
    }

    func signIn(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        if ProxyAuthRoutes.isCrossSite(request) {
            return loginPage(request, next: "/", problem: "A sign-in sent from another site is refused.", status: .forbidden)
        }
        let form: WebForm
        do {
            form = try await WebForm.read(request)
        } catch {
            return loginPage(request, next: "/", problem: "Send the sign-in form (user name and password).", status: .badRequest)
        }
        let next = WebResponse.localPath(form["next"])
        let username = form.text("username") ?? ""
        switch try await accounts.login(username: username, password: form["password"] ?? "", source: context.clientAddress) {
        case .throttled(let wait):
            var response = loginPage(request, next: next, username: username,
                                     problem: "Too many failed sign-ins from \(context.clientAddress): try again in \(wait) s.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        case .denied:
            return loginPage(request, next: next, username: username,
                             problem: "Sign-in failed: the user name or the password is wrong, or the account is suspended.", status: .unauthorized)
        case .signedIn(_, let sessionID):
            var response = WebResponse.redirect(next)
            response.setCookie(AuthMiddleware.cookie(sessionID, secure: secureCookies))
            return response
        }
    }
}
