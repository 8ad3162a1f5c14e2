import Foundation
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`), at most 64 KiB.
struct WebForm: Sendable {
    let fields: [String: String]

    static let limit = 65_536

    subscript(_ name: String) -> String? { fields[name] }

    /// A field's text without surrounding white space, `nil` when missing or blank.
    func text(_ name: String) -> String? {
        let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return value.isEmpty ? nil : value
    }

    init(fields: [String: String]) { self.fields = fields }

    init(encoded: String) {
        var fields: [String: String] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
        self.fields = fields
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    enum Failure: Error { case tooLarge, notAForm }

    /// The form of a POST; an empty body is an empty form (a button without fields), any other body must be one.
    static func read(_ request: Request) async throws -> WebForm {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Failure.tooLarge
        }
        if buffer.readableBytes == 0 { return WebForm(fields: [:]) }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { throw Failure.notAForm }
        return WebForm(encoded: String(buffer: buffer))
    }
}
