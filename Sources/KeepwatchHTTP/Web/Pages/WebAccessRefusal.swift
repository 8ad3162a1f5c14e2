import Foundation
import Hummingbird
import KeepwatchCore

/// What the web face answers when the access rules refuse a request to one of its paths: a page in the frame that
/// says why and what to do (never the API's JSON), and for a form sent without a valid session, the sign-in page.
enum WebAccessRefusal {
    static func page(_ request: Request, _ context: KeepwatchRequestContext, version: String, heading: String, detail: String) -> Response {
        WebFrame(title: heading, section: "", json: "/api/v1/whoami", request: request, context: context, version: version)
            .problem(heading, detail, status: .forbidden)
    }

    /// A form posted after the session ended: sign in, then back to the page the form was on.
    static func signInAgain(_ request: Request) -> Response {
        let referred = request.headers[.referer].flatMap { URL(string: $0) }.map { url in
            url.path + (url.query.map { "?" + $0 } ?? "")
        }
        let back = referred ?? formPage(request.uri.path)
        let notice = "Your session has ended. Sign in again, then repeat what you were doing."
        return WebResponse.redirect("/login?next=" + WebResponse.escaped(WebResponse.localPath(back)) + "&" + WebMessage.notice.query(notice))
    }

    /// The page a form's action belongs to, from the action's path: `/jobs/x/run` → `/jobs/x`; an action on a
    /// backup or a source → its list (`/backups`, `/sources`).
    static func formPage(_ action: String) -> String {
        let segments = action.split(separator: "/")
        guard let first = segments.first else { return "/" }
        if first == "backups" || first == "sources" || segments.count < 3 { return "/" + first }
        return "/" + segments.dropLast().joined(separator: "/")
    }
}
