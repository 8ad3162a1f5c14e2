import KeepwatchCore
import Testing

@testable import KeepwatchHub

/// A remote's object is served as it arrived with the source's keys in front — unless it already has one of those
/// keys, when it is written again from its tree so that no key appears twice.
struct RemoteObjectTests {
    let source = SourceRef(xid: "d1", controllerID: "pool-1", url: "https://cc:9501", kind: .cmon)

    func reply(_ text: String) throws -> RemoteObject {
        let bytes = Array(text.utf8)
        let value = try #require(try JSONParser.parse(bytes: bytes).objectValue)
        return RemoteObject(value: value, bytes: bytes, span: 0..<bytes.count)
    }

    @Test func objectsKeepTheirBytesAndGetTheSourceKeysInFront() throws {
        let backups = try reply(#"{"backup_records": [ {"id": 7, "metadata": {"cid": 3}} , {"id": 8, "xid": "forged", "metadata": {}} ]}"#)
            .objects("backup_records")
        let first = source.stampedText(backups[0], extra: [("Key", "d1-3")])
        #expect(first == #"{"controller_id":"pool-1","controller_url":"https://cc:9501","xid":"d1","Key":"d1-3","id": 7, "metadata": {"cid": 3}}"#)
        let second = source.stampedText(backups[1])
        #expect(!second.contains("forged") && second.components(separatedBy: "\"xid\"").count == 2, "one xid, the source's: \(second)")
        #expect(try JSONParser.parse(second).objectValue?["xid"] == "d1")
    }

    @Test func aClusterIsServedWithAndWithoutItsHosts() throws {
        let clusters = try reply(#"{"clusters": [{"cluster_id": 1, "hosts": [{"hostname": "a"}]}, {"cluster_id": 2}]}"#).objects("clusters")
        let without = try #require(try JSONParser.parse(source.stampedText(clusters[0], replacing: ("hosts", .null))).objectValue)
        #expect(without["hosts"] == .null && without["cluster_id"] == 1)
        let hosts = clusters[0].objects("hosts")
        #expect(hosts.count == 1 && source.stampedText(hosts[0]).hasSuffix(#""xid":"d1","hostname": "a"}"#))
        let none = try #require(try JSONParser.parse(source.stampedText(clusters[1], replacing: ("hosts", .null))).objectValue)
        #expect(none["hosts"] == .null, "a cluster without hosts gets hosts: null, as before")
    }
}
