import KeepwatchCore
import NIOHTTP1

/// A ClusterControl controller over RPC v2: `POST <url>/v2/<module>` with a JSON body, the `cmon-sid` cookie
/// captured from replies, one sign-in when there is no session and one more (then a retry) when cmon answers
/// HTTP 401 or 403. An `AccessDenied` or `AuthRequired` reply is an authentication error whatever its HTTP status.
actor CmonSession {
    private let http: SourceHTTPClient
    private var cookie: String?
    /// The controller's id, as its sign-in reply gave it.
    private(set) var controllerID: String?

    init(http: SourceHTTPClient) {
        self.http = http
    }

    /// `info ping` needs no session: it says which controller this is and its version.
    func info(_ source: SourceDefinition, settings: HubSettings) async throws(SourceFailure) -> [String: JSONValue] {
        try await post("info", ["operation": "ping"], source: source, settings: settings, signedIn: false).value
    }

    /// A call that needs a session; the reply must say `request_status: Ok`.
    func call(_ module: String, _ body: [String: JSONValue], source: SourceDefinition,
              settings: HubSettings) async throws(SourceFailure) -> RemoteObject {
        if cookie == nil { try await signIn(source, settings: settings) }
        let first = try await exchange(module, body, source: source, settings: settings)
        if first.status == 401 || first.status == 403 {
            cookie = nil
            try await signIn(source, settings: settings)
            return try Self.accepted(try await exchange(module, body, source: source, settings: settings), source: source, module: module)
        }
        return try Self.accepted(first, source: source, module: module)
    }

    /// Sends the call as it is and returns the reply whatever it says (for `/v2` passthrough).
    func forward(path: String, body: String, source: SourceDefinition, settings: HubSettings) async throws(SourceFailure) -> SourceHTTPClient.Reply {
        if cookie == nil { try await signIn(source, settings: settings) }
        let url = source.baseURL + path
        var reply = try await http.send(.POST, url, body: body, headers: headers(), source: source, settings: settings)
        remember(reply)
        if reply.status == 401 || reply.status == 403 {
            cookie = nil
            try await signIn(source, settings: settings)
            reply = try await http.send(.POST, url, body: body, headers: headers(), source: source, settings: settings)
            remember(reply)
        }
        return reply
    }

    func signIn(_ source: SourceDefinition, settings: HubSettings) async throws(SourceFailure) {
        guard let user = source.username, let password = source.password else {
            throw .authentication("AuthRequired: no username and password are set for this controller")
        }
        let body: [String: JSONValue] = ["operation": "authenticateWithPassword", "user_name": .string(user), "password": .string(password)]
        let reply = try await post("auth", body, source: source, settings: settings, signedIn: false)
        if let id = reply["controller_id"], !JSONFields.text(id).isEmpty { controllerID = JSONFields.text(id) }
        if cookie == nil { throw .authentication("AuthRequired: the controller signed in without giving a cmon-sid cookie") }
    }

    private func post(_ module: String, _ body: [String: JSONValue], source: SourceDefinition, settings: HubSettings,
                      signedIn: Bool) async throws(SourceFailure) -> RemoteObject {
        try Self.accepted(try await exchange(module, body, source: source, settings: settings), source: source, module: module)
    }

    private func exchange(_ module: String, _ body: [String: JSONValue], source: SourceDefinition,
                          settings: HubSettings) async throws(SourceFailure) -> SourceHTTPClient.Reply {
        let reply = try await http.send(.POST, source.baseURL + "/v2/" + module, body: JSONWriter.text(.object(body)),
                                        headers: headers(), source: source, settings: settings)
        remember(reply)
        return reply
    }

    private func headers() -> [(String, String)] {
        cookie.map { [("Cookie", "cmon-sid=\($0)")] } ?? []
    }

    private func remember(_ reply: SourceHTTPClient.Reply) {
        for line in reply.headers["Set-Cookie"] {
            guard let pair = line.split(separator: ";", maxSplits: 1).first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 && parts[0].trimmingSpaces == "cmon-sid" { cookie = String(parts[1]) }
        }
    }

    /// The reply's object (with its bytes) when cmon says `Ok`; otherwise the failure it means.
    static func accepted(_ reply: SourceHTTPClient.Reply, source: SourceDefinition, module: String) throws(SourceFailure) -> RemoteObject {
        let url = source.baseURL + "/v2/" + module
        let bytes = Array(buffer: reply.body)
        let parsed: JSONValue
        do {
            parsed = try SourceHTTPClient.Reply.json(bytes, status: reply.status, from: url)
        } catch {
            if reply.status == 401 || reply.status == 403 { throw .authentication("AuthRequired: HTTP \(reply.status) from \(url)") }
            throw error
        }
        guard let object = parsed.objectValue else { throw .failed("\(url): the reply is not a JSON object") }
        let status = object["request_status"]?.stringValue ?? (reply.status == 200 ? "Ok" : "")
        let words = object["error_string"]?.stringValue ?? ""
        if status == "AccessDenied" || status == "AuthRequired" {
            throw .authentication(words.isEmpty ? status : "\(status): \(words)")
        }
        guard reply.status < 400, status == "Ok" else {
            let said = words.isEmpty ? (status.isEmpty ? "HTTP \(reply.status)" : status) : "\(status): \(words)"
            throw .failed("\(url): \(said)")
        }
        return RemoteObject(value: object, bytes: bytes, span: 0..<bytes.count)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
