import Foundation
import Hummingbird
import KeepwatchCore

/// cmon-proxy's reply header (`request_created`, `request_processed`, `request_status`, `error_string`)
/// and its status-to-HTTP map. Empty `request_status` and `error_string` are left out, as Go's omitempty does.
enum CmonReply {
    /// The body every route answers when credentials are missing or no longer valid (cmon-proxy's middleware reply).
    static let authenticationRequired: JSONValue = [
        "request_created": "", "request_processed": "", "request_status": "AuthRequired",
        "error_string": "authentication is required",
    ]

    static func header(status: String, error: String? = nil, processed: Bool = true) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "request_created": "",
            "request_processed": .string(processed ? ISO8601.formatUTC(Instant(secondsSince1970: Int64(Date().timeIntervalSince1970))) : ""),
            "request_status": .string(status),
        ]
        if let error, !error.isEmpty { object["error_string"] = .string(error) }
        return object
    }

    static func httpStatus(_ requestStatus: String) -> HTTPResponse.Status {
        switch requestStatus {
        case "InvalidRequest": return .badRequest
        case "ObjectNotFound", "ClusterNotFound": return .notFound
        case "TryAgain": return .tooEarly
        case "UnknownError": return .internalServerError
        case "AccessDenied", "AuthRequired": return .unauthorized
        default: return .ok
        }
    }

    static func reply(_ object: [String: JSONValue], status: HTTPResponse.Status? = nil) -> Response {
        let requestStatus = object["request_status"]?.stringValue ?? "Ok"
        return JSONResponses.json(.object(object), status: status ?? httpStatus(requestStatus))
    }

    static func failure(_ requestStatus: String, _ message: String) -> Response {
        reply(header(status: requestStatus, error: message))
    }

    /// cmon-proxy's other error shape, for bodies it cannot read: `{"type": "...", "message": "..."}`.
    static func invalidRequest(_ message: String) -> Response {
        JSONResponses.json(["type": "InvalidRequest", "message": .string("Invalid request:" + message)], status: .badRequest)
    }

    static func unauthorized(reason: String? = nil) -> Response {
        var response = JSONResponses.json(authenticationRequired, status: .unauthorized)
        if let reason {
            response.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\", error_description=\"\(reason)\""
        }
        return response
    }

    static func forbidden(_ message: String) -> Response {
        var object = header(status: "AccessDenied", error: message, processed: false)
        object["request_processed"] = ""
        return JSONResponses.json(.object(object), status: .forbidden)
    }

    /// `{header, "user"}`: what register, update and setpassword answer.
    static func ok(user: UserAccount) -> Response {
        var reply = header(status: "Ok")
        reply["user"] = self.user(user)
        return self.reply(reply)
    }

    /// `{header, "user", "elevated"}`: what login and check answer. Admins count as elevated.
    static func signedIn(_ user: UserAccount) -> Response {
        var reply = header(status: "Ok")
        reply["user"] = self.user(user)
        reply["elevated"] = .bool(user.role == .admin)
        return self.reply(reply)
    }

    /// A user as cmon-proxy's `Copy(false)` shows it (no hash, no suspended flag), plus Keepwatch's `role`.
    static func user(_ user: UserAccount) -> JSONValue {
        var object: [String: JSONValue] = [
            "username": .string(user.username), "role": .string(user.role.rawValue),
            "groups": [.string(user.role.rawValue + "s")],
        ]
        if user.role == .admin { object["admin"] = true }
        if let email = user.email, !email.isEmpty { object["email"] = .string(email) }
        if let first = user.firstName, !first.isEmpty { object["firstname"] = .string(first) }
        if let last = user.lastName, !last.isEmpty { object["lastname"] = .string(last) }
        return .object(object)
    }
}
