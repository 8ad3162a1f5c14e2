import Foundation
import Hummingbird
import NIOCore

/// Replies of the web face: pages (gzip when the client takes it, never cached), redirects after a form.
enum WebResponse {
    static func html(_ text: String, status: HTTPResponse.Status = .ok, request: Request) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .vary: "Accept-Encoding"]
        let body = encoded(Array(text.utf8), request: request, headers: &headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The body gzip-compressed when `Accept-Encoding` allows and it is worth it; `headers` say so.
    static func encoded(_ bytes: [UInt8], request: Request, headers: inout HTTPFields) -> [UInt8] {
        guard bytes.count > 1024, Gzip.accepted(request.headers[.acceptEncoding]), let compressed = Gzip.compress(bytes) else { return bytes }
        headers[.contentEncoding] = "gzip"
        return compressed
    }

    /// 303 See Other: after a form, the browser loads `location` with GET.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// A local path to go back to after signing in: only absolute paths on this node (never `//host` or a scheme).
    static func localPath(_ candidate: String?) -> String {
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"), !candidate.contains("\\"),
              !candidate.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/" }
        return candidate
    }

    /// Text for a URL's query: only unreserved ASCII characters stay as they are.
    static func escaped(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
