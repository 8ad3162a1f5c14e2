import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchStore
import Logging

/// JSON in and out, and the error shape every face shares: `{"error": "...", "field": "..."}`.
enum JSONResponses {
    static let maximumBodyBytes = 1 << 20
    static let logger = Logger(label: "keepwatch.http")

    /// Compact JSON with sorted keys (JSONWriter: one pass over the tree, no Codable round trip — a list of 10,000
    /// jobs is written several times faster than by JSONEncoder).
    static func encode(_ value: JSONValue) -> ByteBuffer {
        var text = JSONWriter.text(value)
        text += "\n"
        return ByteBuffer(string: text)
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: encode(value)))
    }

    static func json<T: Encodable>(encoding value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var buffer = ByteBuffer(data: (try? encoder.encode(value)) ?? Data("null".utf8))
        buffer.writeString("\n")
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
    }

    static func error(_ message: String, field: String? = nil, status: HTTPResponse.Status) -> Response {
        var object: [String: JSONValue] = ["error": .string(message)]
        if let field, !field.isEmpty { object["field"] = .string(field) }
        return json(.object(object), status: status)
    }

    /// The response for an error thrown by the engine or the store.
    static func response(for error: any Error) -> Response {
        switch error {
        case let error as ServiceError:
            switch error {
            case .invalid(let document):
                return self.error(document.message, field: document.field, status: .init(code: document.kind.rawValue))
            case .notFound(let what): return self.error(what, status: .notFound)
            case .conflict(let what): return self.error(what, status: .conflict)
            case .noSpace(let what): return self.error(what, status: .init(code: 507, reasonPhrase: "Insufficient Storage"))
            case .storage(let what):
                logger.error("\(what)")
                return self.error("the store failed; nothing was changed (see the node log)", status: .internalServerError)
            }
        case let error as BodyError:
            return self.error(error.message, status: error.status)
        default:
            if StoreError.isOutOfSpace(error) {
                return self.error("no space left on device for the store; nothing was changed", status: .init(code: 507, reasonPhrase: "Insufficient Storage"))
            }
            logger.error("request failed: \(error)")
            return self.error("internal error (see the node log)", status: .internalServerError)
        }
    }

    struct BodyError: Error {
        let message: String
        let status: HTTPResponse.Status
    }

    /// The request body as a JSON value (or YAML, with a YAML content type); an empty, oversized or malformed body
    /// is a clear 400 naming line and column (413 when too large). A key given twice is refused.
    static func body(_ request: Request) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            throw BodyError(message: "the request body is larger than \(maximumBodyBytes) bytes", status: .contentTooLarge)
        }
        guard buffer.readableBytes > 0 else { throw BodyError(message: "the request body is empty; send a JSON document", status: .badRequest) }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.contains("yaml") {
            do { return try YAMLValue.json(from: String(buffer: buffer)) } catch {
                throw BodyError(message: "the request body is not valid YAML: \(error)", status: .badRequest)
            }
        }
        do {
            return try JSONParser.parse(bytes: Array(buffer: buffer))
        } catch {
            throw BodyError(message: "the request body is not valid JSON: \(error)", status: .badRequest)
        }
    }
}


