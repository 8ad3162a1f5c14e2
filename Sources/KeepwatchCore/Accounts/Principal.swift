/// Who is behind a request: a signed-in user (session) or an API token.
public struct Principal: Sendable, Hashable {
    public enum Credential: Sendable, Hashable {
        case session(idHash: String)
        case token(id: String)
    }

    public var name: String
    public var role: Role
    public var credential: Credential

    public init(name: String, role: Role, credential: Credential) {
        self.name = name
        self.role = role
        self.credential = credential
    }

    public var isSession: Bool {
        if case .session = credential { return true }
        return false
    }
}
