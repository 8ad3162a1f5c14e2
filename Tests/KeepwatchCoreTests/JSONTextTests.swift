import KeepwatchCore
import Testing

/// The strict reader and the compact writer agree: what is written reads back as the same value.
struct JSONTextTests {
    @Test func writtenTextReadsBackTheSame() throws {
        let value: JSONValue = ["b": [1, .number(2.5), -3, "x\"y\\z\n\u{1}é😀"], "a": ["nested": nil, "flag": true], "n": .number(1e300)]
        let text = JSONWriter.text(value)
        #expect(text.hasPrefix("{\"a\":"), "keys in order: \(text)")
        #expect(try JSONParser.parse(text) == value)
    }

    @Test func theReaderRefusesWhatFoundationWouldHide() {
        do {
            _ = try JSONParser.parse(#"{"a": 1, "a": 2}"#)
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.description == "line 1, column 10: the key \"a\" is given twice in one object")
        }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("{\"a\": 1,\n}") }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(#""\ud800""#) }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("1e400") }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) }
    }
}
