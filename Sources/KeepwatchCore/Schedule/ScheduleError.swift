/// Why a schedule could not be read: the field it concerns and a sentence that names the value.
/// Its description reads like `minute: 61 is outside 0-59`.
public struct ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
