import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// Reading a `/proxy/*` request: GET means the defaults, POST a JSON object (an empty body counts as `{}`).
/// A body that is not JSON, or a key of the wrong type, is refused with cmon-proxy's `{type, message}` 400.
struct CmonRequest {
    let object: [String: JSONValue]

    struct Refused: Error {
        let response: Response
    }

    static func read(_ request: Request) async throws(Refused) -> CmonRequest {
        guard request.method == .post else { return CmonRequest(object: [:]) }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: JSONResponses.maximumBodyBytes)
        } catch {
            throw Refused(response: CmonReply.invalidRequest(" the request body is larger than \(JSONResponses.maximumBodyBytes) bytes"))
        }
        guard buffer.readableBytes > 0 else { return CmonRequest(object: [:]) }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: Array(buffer: buffer))
        } catch {
            throw Refused(response: CmonReply.invalidRequest(" the body is not valid JSON: \(error)"))
        }
        guard let object = value.objectValue else {
            throw Refused(response: CmonReply.invalidRequest(" the body must be a JSON object, not \(value.typeName)"))
        }
        return CmonRequest(object: object)
    }

    func list() throws(Refused) -> ListRequest {
        do {
            return try ListRequest(json: .object(object))
        } catch {
            throw Refused(response: CmonReply.invalidRequest(" \(error.field) \(error.message)"))
        }
    }

    func flag(_ key: String) throws(Refused) -> Bool {
        switch object[key] {
        case nil, .null?: return false
        case .bool(let flag)?: return flag
        case let other?: throw Refused(response: CmonReply.invalidRequest(" \(key) must be true or false, not \(other.typeName)"))
        }
    }

    /// Runs a route body, answering a refused request with its reply.
    static func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let refused as Refused {
            return refused.response
        } catch let failure as HubService.Failure {
            return failure.reply
        } catch {
            return JSONResponses.response(for: error)
        }
    }
}
