/// cmon-proxy's `ListRequest`: `page` (1-based; 0 is read as 1), `perPage` (0 for everything), `order`
/// (`"field"` or `"field desc"`) and `filters`. One request type for every list the node serves.
public struct ListRequest: Sendable, Equatable {
    public var page: Int
    public var perPage: Int
    public var order: String?
    public var filters: [ListFilter]

    public init(page: Int = 1, perPage: Int = 0, order: String? = nil, filters: [ListFilter] = []) {
        self.page = page
        self.perPage = perPage
        self.order = order
        self.filters = filters
    }

    /// Reads the JSON body (`{"page":2,"perPage":10,"order":"created desc","filters":[…]}`); every error names the key.
    public init(json: JSONValue) throws(DocumentError) {
        guard let object = json.objectValue else {
            throw DocumentError(field: "", "a list request must be a JSON object, not \(json.typeName)")
        }
        self.init()
        page = try Self.count(object["page"], field: "page") ?? 1
        perPage = try Self.count(object["perPage"], field: "perPage") ?? 0
        switch object["order"] {
        case nil, .null?: order = nil
        case .string(let text)?: order = text
        case let other?: throw DocumentError(field: "order", "must be a string such as \"created desc\", not \(other.typeName)")
        }
        switch object["filters"] {
        case nil, .null?: filters = []
        case .array(let items)?:
            filters = []
            for (index, item) in items.enumerated() { filters.append(try ListFilter(json: item, field: "filters[\(index)]")) }
        case let other?: throw DocumentError(field: "filters", "must be an array of {key, value | values | matchall}, not \(other.typeName)")
        }
    }

    static func count(_ value: JSONValue?, field: String) throws(DocumentError) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?:
            guard number.rounded() == number, let whole = Int(exactly: number), (0...1_000_000_000).contains(whole) else {
                throw DocumentError(field: field, "must be a whole number from 0 to 1000000000")
            }
            return whole
        case let other?: throw DocumentError(field: field, "must be a whole number, not \(other.typeName)")
        }
    }

    /// The sort field and direction `order` names.
    public var ordering: (field: String, descending: Bool)? {
        guard let order else { return nil }
        let words = order.split(separator: " ", omittingEmptySubsequences: true)
        guard let field = words.first else { return nil }
        return (String(field), words.count > 1 && words[1].lowercased() == "desc")
    }
}

/// One filter: the item's value for `key` must equal `value` or be one of `values`; for `tags`, `matchall` asks
/// for every tag listed.
public struct ListFilter: Sendable, Equatable {
    public var key: String
    public var value: String?
    public var values: [String]?
    public var matchAll: [String]?

    public init(key: String, value: String? = nil, values: [String]? = nil, matchAll: [String]? = nil) {
        self.key = key
        self.value = value
        self.values = values
        self.matchAll = matchAll
    }

    init(json: JSONValue, field: String) throws(DocumentError) {
        guard let object = json.objectValue else { throw DocumentError(field: field, "must be an object, not \(json.typeName)") }
        guard let key = object["key"]?.stringValue, !key.isEmpty else { throw DocumentError(field: "\(field).key", "is required") }
        self.init(key: key)
        value = try Self.text(object["value"], field: "\(field).value")
        values = try Self.texts(object["values"], field: "\(field).values")
        matchAll = try Self.texts(object["matchall"], field: "\(field).matchall")
    }

    /// Strings as given; numbers as decimal text (cmon ids are numbers, filters compare text).
    static func text(_ value: JSONValue?, field: String) throws(DocumentError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .number(let number)? where number.rounded() == number && Swift.abs(number) < 1e15: return String(Int64(number))
        case .bool(let flag)?: return flag ? "true" : "false"
        case let other?: throw DocumentError(field: field, "must be a string or a whole number, not \(other.typeName)")
        }
    }

    static func texts(_ value: JSONValue?, field: String) throws(DocumentError) -> [String]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?:
            var texts: [String] = []
            for (index, item) in items.enumerated() {
                guard let text = try text(item, field: "\(field)[\(index)]") else { continue }
                texts.append(text)
            }
            return texts
        case let other?: throw DocumentError(field: field, "must be an array, not \(other.typeName)")
        }
    }

    /// Whether an item whose value for this key is `itemValue` passes. An empty value passes only an empty filter
    /// (upstream let an empty value pass every filter).
    public func passes(_ itemValue: String) -> Bool {
        if value == nil && values == nil { return true }
        if let value, itemValue == value { return true }
        if let values, values.contains(itemValue) { return true }
        return false
    }

    /// For a list of values (tags): any of them matches `value`/`values`, and all of `matchall` are present.
    public func passes(all itemValues: [String]) -> Bool {
        if let matchAll {
            for wanted in matchAll where !itemValues.contains(wanted) { return false }
        }
        if value == nil && values == nil { return true }
        for itemValue in itemValues where passes(itemValue) { return true }
        return false
    }
}
