import Foundation
import KeepwatchCore
import Yams

/// YAML documents as `JSONValue`s.
public enum YAMLValue {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// How many values a document may expand to: aliases repeat what they point at, so nine levels of ten
    /// aliases would otherwise become a billion values ("billion laughs").
    public static let maximumValues = 200_000

    public static func json(from text: String) throws -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw Failure(description: "not valid YAML: \(error)")
        }
        guard let node else { return .object([:]) }
        var budget = maximumValues
        return try convert(node, budget: &budget)
    }

    /// The 1-based line of every key and list item, by path (`port`, `users[0].passwordhash`); empty for invalid YAML.
    public static func lines(in text: String) -> [String: Int] {
        guard let node = try? Yams.compose(yaml: text) else { return [:] }
        var lines: [String: Int] = [:]
        collectLines(node, path: "", into: &lines)
        return lines
    }

    private static func collectLines(_ node: Node, path: String, into lines: inout [String: Int]) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let child = path.isEmpty ? (key.string ?? "") : "\(path).\(key.string ?? "")"
                if let line = key.mark?.line { lines[child] = line }
                collectLines(value, path: child, into: &lines)
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                let child = "\(path)[\(index)]"
                if let line = item.mark?.line { lines[child] = line }
                collectLines(item, path: child, into: &lines)
            }
        default:
            break
        }
    }

    static func convert(_ node: Node, budget: inout Int) throws -> JSONValue {
        budget -= 1
        if budget < 0 {
            throw Failure(description: "the YAML expands to more than \(maximumValues) values (aliases repeat what they point at); refused")
        }
        switch node {
        case .scalar(let scalar):
            // YAML 1.1's base-60 numbers (`00:1:00` = 60) are read as text, as YAML 1.2 does: hashes and times stay intact.
            if (scalar.style == .plain || scalar.style == .any) && !scalar.string.contains(":") {
                if let bool = Bool.construct(from: scalar) { return .bool(bool) }
                if let int = Int.construct(from: scalar) { return .number(Double(int)) }
                if let double = Double.construct(from: scalar) { return .number(double) }
                if NSNull.construct(from: scalar) != nil { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try convert(item, budget: &budget)) }
            return .array(items)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                if object[name] != nil { throw Failure(description: "the key '\(name)' is given twice in one mapping (line \((key.mark?.line).map(String.init) ?? "?"))") }
                object[name] = try convert(value, budget: &budget)
            }
            return .object(object)
        case .alias(let alias):
            return .string("*\(alias.anchor)")
        }
    }
}

/// A job document file or request body as a `JSONValue`: JSON when it starts with `{` or `[` (strict: a key given
/// twice is refused, errors name line and column), YAML otherwise.
public enum JobDocumentText {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String, name: String) throws -> JSONValue {
        let start = text.unicodeScalars.first { !$0.properties.isWhitespace }
        if start == "{" || start == "[" {
            do { return try JSONParser.parse(text) } catch {
                throw Failure(description: "\(name) is not valid JSON: \(error)")
            }
        }
        do { return try YAMLValue.json(from: text) } catch {
            throw Failure(description: "\(name): \(error)")
        }
    }
}
