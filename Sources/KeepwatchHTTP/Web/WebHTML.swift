import KeepwatchCore

/// Text made safe for HTML content and attribute values, for the rows the node writes without a template.
enum WebHTML {
    /// Attributes are always written in double quotes, so `'` needs no escape; text without a special character
    /// is returned as it is (most names), the rest goes through the one XML escaper of the monitor's files.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 }) else { return text }
        return MonitorDocuments.escaped(text)
    }

    /// `<time>` with the relative text, the exact time on hover and the machine-readable one; `fallback` without a time.
    static func time(_ seconds: Int64?, now: Int64, fallback: String) -> String {
        guard let shown = WebFormat.time(seconds, now: now) else { return "<span class=\"muted\">\(fallback)</span>" }
        let iso = shown["iso"] as? String ?? ""
        let exact = shown["exact"] as? String ?? iso
        return "<time datetime=\"\(iso)\" title=\"\(exact)\">\(shown["ago"] as? String ?? "")</time>"
    }
}
