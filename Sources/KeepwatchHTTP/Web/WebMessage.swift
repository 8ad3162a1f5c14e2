import Crypto
import Foundation
import Hummingbird

/// A notice or a problem carried in the URL after an action (`?notice=…&sig=…`), signed with a key the process
/// makes when it starts: a page shows only words the node wrote, never words a link from elsewhere put in its URL.
enum WebMessage: String {
    case notice, problem

    private static let key = SymmetricKey(size: .bits256)

    /// The query part that carries `text`, without `?` or `&` in front.
    func query(_ text: String) -> String {
        "\(rawValue)=\(WebResponse.escaped(text))&sig=\(Self.signature(self, text))"
    }

    /// The text the URL carries, when the node signed it; at most 300 characters.
    func read(_ request: Request) -> String? {
        let query = request.uri.queryParameters
        guard let text = query.get(rawValue), !text.isEmpty, let given = query.get("sig"),
              given == Self.signature(self, text) else { return nil }
        return String(text.prefix(300))
    }

    private static func signature(_ kind: WebMessage, _ text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data((kind.rawValue + "\n" + text).utf8), using: key)
        return code.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
