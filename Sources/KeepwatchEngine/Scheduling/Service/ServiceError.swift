import KeepwatchCore

/// Why the job service refused a request; faces map it to an HTTP status and `{"error","field"}`.
public enum ServiceError: Error, Equatable, CustomStringConvertible {
    case invalid(DocumentError)
    case notFound(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .invalid(let error): return error.description
        case .notFound(let what): return what
        case .conflict(let what): return what
        }
    }
}
