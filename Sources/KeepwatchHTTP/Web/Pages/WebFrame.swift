import Hummingbird
import KeepwatchCore

/// What every page's frame shows: title, navigation with the current page marked, who is signed in with which
/// role, a notice carried in the URL after an action (`?notice=`), the JSON twin's link and the version.
struct WebFrame {
    let title: String
    let section: String
    let json: String
    let request: Request
    let context: KeepwatchRequestContext
    let version: String

    static let sections: [(label: String, href: String, role: Role)] = [
        ("Overview", "/", .viewer), ("Jobs", "/jobs", .viewer), ("Backups", "/backups", .viewer), ("Checks", "/checks", .viewer),
        ("Sources", "/sources", .viewer), ("Notifications", "/notifications", .viewer), ("Users", "/users", .admin),
    ]

    var role: Role { context.principal?.role ?? .viewer }
    var canOperate: Bool { context.principal.map { $0.role.includes(.operator) } ?? false }
    var canAdmin: Bool { context.principal.map { $0.role.includes(.admin) } ?? false }

    /// The page's context: the frame's keys merged under `page`'s.
    func render(_ template: String, _ page: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var fields: [String: Any] = [
            "title": title, "user": context.principal?.name ?? "", "role": role.rawValue, "canOperate": canOperate, "canAdmin": canAdmin,
            "json": json, "version": version, "assetVersion": WebAssets.version,
            "nav": Self.sections.filter { role.includes($0.role) }.map { entry -> [String: Any] in
                ["label": entry.label, "href": entry.href, "active": entry.label == section]
            },
        ]
        fields.put("notice", WebMessage.notice.read(request))
        fields.put("problem", WebMessage.problem.read(request))
        fields.merge(page) { _, new in new }
        return WebResponse.html(WebTemplates.render(template, fields), status: status, request: request)
    }

    /// A page that says what went wrong, in the frame, with the status the API would give.
    func problem(_ heading: String, _ detail: String, status: HTTPResponse.Status) -> Response {
        render("problem", ["heading": heading, "detail": detail], status: status)
    }
}

/// Building a template's dictionary without optionals: a missing or empty value is left out, so its section is off.
extension Dictionary where Key == String, Value == Any {
    mutating func put(_ key: String, _ value: String?) {
        if let value, !value.isEmpty { self[key] = value }
    }

    mutating func put(_ key: String, _ value: [String: Any]?) {
        if let value { self[key] = value }
    }
}
