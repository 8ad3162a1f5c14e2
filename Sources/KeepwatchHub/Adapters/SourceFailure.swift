/// Why a refresh failed, as `/proxy/controllers/status` reports it: `authentication-error` when the remote refused
/// the credentials (cmon's `AccessDenied` or `AuthRequired`, whatever the HTTP status), `failed` otherwise, with the
/// transport's or the remote's own words as `status_message`.
public struct SourceFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case failed
        case authenticationError = "authentication-error"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func failed(_ message: String) -> SourceFailure { SourceFailure(.failed, message) }
    public static func authentication(_ message: String) -> SourceFailure { SourceFailure(.authenticationError, message) }

    public var description: String { message }
}
