import Hummingbird

/// Headers on every reply: no MIME sniffing, no framing by other sites, a strict content policy for the
/// web pages, and HSTS when the node serves HTTPS.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = KeepwatchRequestContext
    let tls: Bool

    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            response = JSONResponses.error("no route \(request.method.rawValue) \(request.uri.path)", status: error.status)
        } catch let error as HTTPResponseError {
            response = JSONResponses.error("\(error)", status: error.status)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "SAMEORIGIN"
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.referrerPolicy] = "same-origin"
        if tls { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
