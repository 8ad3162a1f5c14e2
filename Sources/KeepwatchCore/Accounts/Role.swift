/// What a signed-in user or an API token may do. Each role includes the ones below it:
/// `viewer` reads, `operator` also runs, stops and aborts jobs and checks, `admin` changes everything.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer
    case `operator`
    case admin

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .operator: return 1
        case .admin: return 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role may do what `needed` may do.
    public func includes(_ needed: Role) -> Bool { self >= needed }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
