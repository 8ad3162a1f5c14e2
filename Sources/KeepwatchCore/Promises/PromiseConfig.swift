/// A promise's `<name>.cfg`, as SlapOS's monitor reads it: a `[service]` section with `title`, `frequency` (cron,
/// default every minute), `public-path-list` and `private-path-list` (paths separated by spaces or on indented
/// lines). Keepwatch also reads `timeout` (seconds, default 20) and SlapOS's anomaly rule, `failure-amount` of the
/// last `result-count` runs (default 1 of 1).
public struct PromiseConfig: Sendable, Equatable {
    public var title: String?
    public var frequency = "* * * * *"
    public var publicPaths: [String] = []
    public var privatePaths: [String] = []
    public var timeout: Int = 20
    public var failureAmount = 1
    public var resultCount = 1

    public init() {}

    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    static let known: Set<String> = ["title", "frequency", "public-path-list", "private-path-list", "timeout", "failure-amount", "result-count"]

    public init(text: String, file: String) throws(Invalid) {
        var section = ""
        var values: [String: String] = [:]
        var current: String?
        // "\r\n" is one Character in Swift: split the scalars, so that files with Windows line ends read the same.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        for (number, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            let trimmed = line.trimmed
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if let first = line.first, first == " " || first == "\t", let key = current {
                values[key, default: ""] += "\n" + trimmed
                continue
            }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast()).trimmed
                current = nil
                continue
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw Invalid(description: "\(file), line \(number + 1): expected key = value")
            }
            guard !section.isEmpty else { throw Invalid(description: "\(file), line \(number + 1): keys go under a [service] line") }
            guard section == "service" else { current = nil; continue }
            let key = trimmed[..<separator].trimmed.lowercased()
            guard values[key] == nil else { throw Invalid(description: "\(file), line \(number + 1): \(key) is given twice") }
            values[key] = trimmed[trimmed.index(after: separator)...].trimmed
            current = key
        }
        for key in values.keys.sorted() where !Self.known.contains(key) {
            throw Invalid(description: "\(file): [service] has no key \(key) (known: \(Self.known.sorted().joined(separator: ", ")))")
        }
        if let title = values["title"], !title.isEmpty { self.title = Self.unquoted(title) }
        if let frequency = values["frequency"], !frequency.isEmpty { self.frequency = Self.unquoted(frequency) }
        publicPaths = Self.paths(values["public-path-list"])
        privatePaths = Self.paths(values["private-path-list"])
        func number(_ key: String, _ range: ClosedRange<Int>) throws(Invalid) -> Int? {
            guard let text = values[key] else { return nil }
            guard let value = Int(Self.unquoted(text)), range.contains(value) else {
                throw Invalid(description: "\(file): \(key) must be a whole number \(range.lowerBound)-\(range.upperBound)")
            }
            return value
        }
        timeout = try number("timeout", 1...3600) ?? 20
        resultCount = try number("result-count", 1...1000) ?? 1
        failureAmount = try number("failure-amount", 1...1000) ?? 1
        guard failureAmount <= resultCount else { throw Invalid(description: "\(file): failure-amount cannot exceed result-count") }
    }

    /// service.cfg is written with `dumps(value)`: a value may come JSON-quoted.
    static func unquoted(_ text: String) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return text }
        return String(text.dropFirst().dropLast())
    }

    static func paths(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { unquoted(String($0)) }.filter { !$0.isEmpty }
    }
}

extension StringProtocol {
    var trimmed: String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
