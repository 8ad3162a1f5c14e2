import KeepwatchCore
import Testing

/// Objects found in JSON text by skipping, and served with members put in front: the result must parse to the
/// original object plus those members, whatever the text holds (brackets and quotes in strings, escapes, spacing).
struct JSONSpliceTests {
    static let reply = #"""
     { "request_status" : "Ok",
       "clusters": [ {"cluster_id": 1, "name": "a \"}]\" b", "hosts": [{"hostname": "h1"}, {"hostname": "h\\2"}]},
                     {} ,
                     {"cluster_id":2,"hosts":[],"tags":["x","[y]"],"n":-1.5e3,"t":true,"z":null} ],
       "total": 3 }
    """#

    @Test func elementsAreFoundAcrossNestedStringsAndSpacing() throws {
        let bytes = Array(Self.reply.utf8)
        let parsed = try #require(try JSONParser.parse(bytes: bytes).objectValue)
        let spans = try #require(JSONSpans.elements(ofMember: "clusters", in: bytes, object: 0..<bytes.count))
        let clusters = try #require(parsed["clusters"]?.arrayValue)
        #expect(spans.count == 3)
        for (span, cluster) in zip(spans, clusters) {
            #expect(try JSONParser.parse(bytes: Array(bytes[span])) == cluster, "each span is exactly its element")
        }
        let hosts = try #require(JSONSpans.elements(ofMember: "hosts", in: bytes, object: spans[0]))
        #expect(hosts.map { String(decoding: bytes[$0], as: UTF8.self) } == [#"{"hostname": "h1"}"#, #"{"hostname": "h\\2"}"#])
        #expect(JSONSpans.elements(ofMember: "hosts", in: bytes, object: spans[1]) == nil, "an empty object has no member")
        #expect(JSONSpans.elements(ofMember: "hosts", in: bytes, object: spans[2]) == [], "an empty array has no element")
        #expect(JSONSpans.member("total", in: bytes, object: 0..<bytes.count).map { String(decoding: bytes[$0], as: UTF8.self) } == "3")
        #expect(JSONSpans.member("missing", in: bytes, object: 0..<bytes.count) == nil)
        #expect(JSONSpans.member("name", in: bytes, object: 0..<bytes.count) == nil, "only the object's own members, not nested ones")
    }

    @Test func aSplicedObjectIsTheOriginalWithTheMembersInFront() throws {
        let bytes = Array(Self.reply.utf8)
        let spans = try #require(JSONSpans.elements(ofMember: "clusters", in: bytes, object: 0..<bytes.count))
        let leading: [(key: String, value: JSONValue)] = [("xid", "c0ffee"), ("Key", "c0ffee-1")]
        for span in spans {
            var expected = try #require(try JSONParser.parse(bytes: Array(bytes[span])).objectValue)
            expected["xid"] = "c0ffee"
            expected["Key"] = "c0ffee-1"
            let text = JSONSplice.object(bytes, span: span, leading: leading)
            #expect(try JSONParser.parse(text) == .object(expected), "\(text)")
        }
        let hosts = try #require(JSONSpans.member("hosts", in: bytes, object: spans[0]))
        let withoutHosts = JSONSplice.object(bytes, span: spans[0], leading: leading, replacing: (hosts, "null"))
        let parsed = try #require(try JSONParser.parse(withoutHosts).objectValue)
        #expect(parsed["hosts"] == .null && parsed["name"] == .string(#"a "}]" b"#) && parsed["xid"] == "c0ffee")
        #expect(JSONSplice.object(bytes, span: spans[1], leading: []) == "{}")
    }

    @Test func textThatIsNotWhatWasExpectedGivesNoSpans() {
        for text in ["[1, 2]", #"{"a": [1, 2"#, #"{"a" 1}"#, "", #"{"a": "unterminated}"#] {
            let bytes = Array(text.utf8)
            #expect(JSONSpans.elements(ofMember: "a", in: bytes, object: 0..<bytes.count) == nil, "\(text)")
        }
    }
}
