import KeepwatchCore
import KeepwatchStore

/// Why the job service refused a request; faces map it to an HTTP status and `{"error","field"}`.
public enum ServiceError: Error, Equatable, CustomStringConvertible {
    case invalid(DocumentError)
    case notFound(String)
    case conflict(String)
    /// The store could not take the change (the disk is full); nothing was applied.
    case noSpace(String)
    /// The store failed otherwise; nothing was applied.
    case storage(String)

    public var description: String {
        switch self {
        case .invalid(let error): return error.description
        case .notFound(let what), .conflict(let what), .noSpace(let what), .storage(let what): return what
        }
    }

    /// A store failure as the service reports it.
    static func from(storeError error: any Error) -> ServiceError {
        if let error = error as? ServiceError { return error }
        if StoreError.isOutOfSpace(error) { return .noSpace("no space left on device for the store; nothing was changed") }
        if case StoreError.duplicate(let what)? = error as? StoreError { return .conflict("\(what) already exists") }
        if case StoreError.notFound(let what)? = error as? StoreError { return .notFound("\(what) not found") }
        return .storage("the store failed, nothing was changed: \(error)")
    }
}
