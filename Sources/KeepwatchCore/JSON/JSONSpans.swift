/// Where values sit in JSON text that `JSONParser` has already accepted, found by skipping over the bytes without
/// building values. The hub serves a remote's objects as they arrived with its own keys put in front (`JSONSplice`),
/// instead of writing each one again from its parsed tree.
///
/// Every function answers nil for text it does not expect (it is never a parser: parse first).
public enum JSONSpans {
    /// The elements of the array that is the member `key` of the object at `object`.
    public static func elements(ofMember key: String, in bytes: [UInt8], object: Range<Int>) -> [Range<Int>]? {
        guard let array = member(key, in: bytes, object: object) else { return nil }
        return elements(in: bytes, array: array)
    }

    /// The value of the member `key` of the object at `object` (a key written with escapes is not matched).
    public static func member(_ key: String, in bytes: [UInt8], object: Range<Int>) -> Range<Int>? {
        let wanted = Array(key.utf8)
        var index = object.lowerBound
        guard open(UInt8(ascii: "{"), bytes, &index, end: object.upperBound) else { return nil }
        while index < object.upperBound {
            skipWhitespace(bytes, &index)
            guard index < object.upperBound, bytes[index] == UInt8(ascii: "\"") else { return nil }
            guard let name = string(bytes, &index) else { return nil }
            skipWhitespace(bytes, &index)
            guard index < object.upperBound, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace(bytes, &index)
            let start = index
            guard skipValue(bytes, &index) else { return nil }
            if bytes[name].elementsEqual(wanted) { return start..<index }
            guard separator(bytes, &index, close: UInt8(ascii: "}")) else { return nil }
            if bytes[index - 1] == UInt8(ascii: "}") { return nil }
        }
        return nil
    }

    /// The elements of the array at `array`.
    public static func elements(in bytes: [UInt8], array: Range<Int>) -> [Range<Int>]? {
        var index = array.lowerBound
        guard open(UInt8(ascii: "["), bytes, &index, end: array.upperBound) else { return nil }
        var spans: [Range<Int>] = []
        skipWhitespace(bytes, &index)
        if index < array.upperBound && bytes[index] == UInt8(ascii: "]") { return spans }
        while index < array.upperBound {
            skipWhitespace(bytes, &index)
            let start = index
            guard skipValue(bytes, &index) else { return nil }
            spans.append(start..<index)
            guard separator(bytes, &index, close: UInt8(ascii: "]")) else { return nil }
            if bytes[index - 1] == UInt8(ascii: "]") { return spans }
        }
        return nil
    }

    /// The whole text's value, without the whitespace around it.
    public static func document(_ bytes: [UInt8]) -> Range<Int>? {
        var index = 0
        skipWhitespace(bytes, &index)
        let start = index
        guard skipValue(bytes, &index) else { return nil }
        return start..<index
    }

    private static func open(_ bracket: UInt8, _ bytes: [UInt8], _ index: inout Int, end: Int) -> Bool {
        skipWhitespace(bytes, &index)
        guard index < end, bytes[index] == bracket else { return false }
        index += 1
        return true
    }

    /// Past the `,` after a member or element, or past the closing bracket.
    private static func separator(_ bytes: [UInt8], _ index: inout Int, close: UInt8) -> Bool {
        skipWhitespace(bytes, &index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: ",") || bytes[index] == close else { return false }
        index += 1
        return true
    }

    static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    /// Past a string starting at `index` (its opening quote); the raw bytes between the quotes.
    static func string(_ bytes: [UInt8], _ index: inout Int) -> Range<Int>? {
        let start = index + 1
        index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return nil
    }

    /// Past one value of any kind.
    static func skipValue(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string(bytes, &index) != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard string(bytes, &index) != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default: break
                }
                index += 1
            }
            return false
        default:
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"),
                     UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    return index > start
                default: index += 1
                }
            }
            return index > start
        }
    }
}
