/// An object of JSON text with members put in front, served without being parsed and written again: the members
/// given, then the object's own members byte for byte (one member's value may be swapped for other text).
public enum JSONSplice {
    /// `bytes[span]` must be an object that `JSONParser` accepted, and `replacing` a value span inside it. `written`
    /// is members already written as JSON text (`"a":1,"b":2`), put before `leading`.
    public static func object(_ bytes: [UInt8], span: Range<Int>, written: [UInt8] = [], leading: [(key: String, value: JSONValue)],
                              replacing: (span: Range<Int>, text: String)? = nil) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(span.count + written.count + leading.count * 48 + 16)
        output.append(UInt8(ascii: "{"))
        output.append(contentsOf: written)
        for (index, member) in leading.enumerated() {
            if index > 0 || !written.isEmpty { output.append(UInt8(ascii: ",")) }
            var text = ""
            JSONWriter.writeString(member.key, to: &text)
            text += ":"
            JSONWriter.write(member.value, to: &text)
            output.append(contentsOf: text.utf8)
        }
        var inner = span.lowerBound + 1
        JSONSpans.skipWhitespace(bytes, &inner)
        let isEmpty = inner < span.upperBound && bytes[inner] == UInt8(ascii: "}")
        if !isEmpty && !(leading.isEmpty && written.isEmpty) { output.append(UInt8(ascii: ",")) }
        if let replacing {
            output.append(contentsOf: bytes[inner..<replacing.span.lowerBound])
            output.append(contentsOf: replacing.text.utf8)
            output.append(contentsOf: bytes[replacing.span.upperBound..<span.upperBound])
        } else {
            output.append(contentsOf: bytes[inner..<span.upperBound])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
