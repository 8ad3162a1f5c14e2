import Foundation
import Crypto
import Hummingbird
import NIOCore

/// `/assets/keepwatch.css`, `/assets/keepwatch.js` and the icon `/assets/keepwatch.svg`: compiled into the binary, served with an ETag (a hash of the
/// content), `304 Not Modified` on a match, and cached for a year under their versioned URLs (`?v=<etag>`).
enum WebAssets {
    struct Asset: Sendable {
        let type: String
        let bytes: [UInt8]
        let gzipped: [UInt8]?
        let etag: String

        init(type: String, text: String) {
            self.type = type
            bytes = Array(text.utf8)
            gzipped = Gzip.compress(bytes, level: 9)
            etag = SHA256.hash(data: bytes).prefix(8).map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
        }
    }

    static let stylesheet = Asset(type: "text/css; charset=utf-8", text: WebStylesheet.text)
    static let script = Asset(type: "text/javascript; charset=utf-8", text: WebScript.text)
    /// The tab's icon: a shield with a check mark, in the success colour.
    static let icon = Asset(type: "image/svg+xml", text: """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#2b9a3e" d="M16 2 4 7v8c0 7.4 5.1 13.4 12 15 6.9-1.6 12-7.6 12-15V7z"/><path fill="none" stroke="#fff" stroke-width="3" d="m10 16 4 4 8-8"/></svg>
        """)

    /// Changes whenever either asset changes, for the `?v=` of the links.
    static let version = String((stylesheet.etag + script.etag).prefix(12))

    static func register(on router: Router<KeepwatchRequestContext>) {
        for (path, asset) in [("assets/keepwatch.css", stylesheet), ("assets/keepwatch.js", script), ("assets/keepwatch.svg", icon)] {
            for method: HTTPRequest.Method in [.get, .head] {
                router.on(RouterPath(path), method: method) { request, _ in response(asset, request) }
            }
        }
    }

    static func response(_ asset: Asset, _ request: Request) -> Response {
        let tag = "\"\(asset.etag)\""
        var headers: HTTPFields = [.eTag: tag, .cacheControl: "public, max-age=31536000", .vary: "Accept-Encoding"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.type
        var body = asset.bytes
        if let gzipped = asset.gzipped, Gzip.accepted(request.headers[.acceptEncoding]) {
            body = gzipped
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
