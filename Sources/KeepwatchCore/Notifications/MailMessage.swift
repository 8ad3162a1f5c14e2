/// A notification as a mail (RFC 5322 with MIME): a plain-text and an HTML part in `multipart/alternative`, both
/// quoted-printable UTF-8, a subject encoded as RFC 2047 when it is not ASCII, CR LF line ends.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var text: String
    public var html: String
    /// Unix seconds.
    public var date: Int64
    /// Unique per message (with the sender's domain), and the MIME boundary.
    public var token: String

    public init(from: String, to: [String], subject: String, text: String, html: String, date: Int64, token: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.token = token
    }

    public var bytes: [UInt8] {
        let boundary = "keepwatch-\(token)"
        let domain = from.split(separator: "@").last.map { $0.filter { $0 != ">" } } ?? "keepwatch"
        var lines = [
            "From: \(from)", "To: \(to.joined(separator: ", "))", "Subject: \(Self.header(subject))",
            "Date: \(MonitorDocuments.rfc822(date, zone: "+0000"))", "Message-ID: <\(token)@\(domain)>", "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated", "X-Mailer: Keepwatch",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
                      Self.quotedPrintable(body)]
        }
        lines += ["--\(boundary)--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// RFC 2047 `=?utf-8?b?…?=` when the text is not plain printable ASCII.
    static func header(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { $0 >= 32 && $0 < 127 }
        guard !plain else { return text }
        return "=?utf-8?b?" + Base64.encode(Array(text.utf8)) + "?="
    }

    /// Quoted-printable (RFC 2045): lines of at most 76 characters, CR LF line ends, `=` and non-ASCII bytes
    /// as `=XX`, trailing spaces encoded.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var output: [String] = []
        let normalized = text.replacing("\r\n", with: "\n")
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = ""
            var width = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last)
                let piece = literal ? String(UnicodeScalar(byte)) : "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
                if width + piece.count > 75 {
                    encoded += "=\r\n"
                    width = 0
                }
                encoded += piece
                width += piece.count
            }
            output.append(encoded)
        }
        return output.joined(separator: "\r\n")
    }
}

/// Standard base64 (RFC 4648), for mail headers and SMTP AUTH; Core has no Foundation.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var result = ""
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (chunk.count > 1 ? UInt32(chunk[1]) << 8 : 0) | (chunk.count > 2 ? UInt32(chunk[2]) : 0)
            result.append(alphabet[Int((value >> 18) & 63)])
            result.append(alphabet[Int((value >> 12) & 63)])
            result.append(chunk.count > 1 ? alphabet[Int((value >> 6) & 63)] : "=")
            result.append(chunk.count > 2 ? alphabet[Int(value & 63)] : "=")
            index += 3
        }
        return result
    }
}
