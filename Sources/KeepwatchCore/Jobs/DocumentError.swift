/// Why a submitted document was refused: the field (a path such as
/// `job_actions[1].freezer_action.action`), what is wrong, and the HTTP status a face should answer with
/// (400 for a malformed or schema-invalid document, 422 for a well-formed one this node cannot carry out).
public struct DocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Int, Sendable {
        case malformed = 400
        case unprocessable = 422
    }

    public let field: String
    public let message: String
    public let kind: Kind

    public init(field: String, _ message: String, kind: Kind = .malformed) {
        self.field = field
        self.message = message
        self.kind = kind
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
