import KeepwatchCore
import Testing

/// Controller objects as cmon-proxy's `/proxy/controllers/add` takes them, with Keepwatch's keys and defaults.
struct SourceDefinitionTests {
    static let xid = "chebjd8gfi863qqhrolg"

    @Test func aURLWithoutASchemeMeansHTTPSAndTheNameDefaultsToItsHost() throws {
        let source = try SourceDefinition(json: ["url": "192.168.0.100:9501", "username": "someuser", "password": "password"], xid: Self.xid)
        #expect(source.url == "192.168.0.100:9501")
        #expect(source.baseURL == "https://192.168.0.100:9501")
        #expect(source.name == "192.168.0.100")
        #expect(source.kind == .cmon && source.timeout == 10 && source.refreshInterval == 60 && !source.tlsInsecure)
        #expect(try SourceDefinition(json: ["url": "http://mgob:8090/", "kind": "mgob"], xid: Self.xid).url == "http://mgob:8090")
    }

    @Test func ethoscopeDaemonsDefaultToPorts8090And8093AndAPathlessURLMeansStatus() throws {
        let node = try SourceDefinition(json: ["url": "http://node.lab", "kind": "ethoscope"], xid: Self.xid)
        #expect(node.mysqlStatusURL == "http://node.lab:8090/status" && node.rsyncStatusURL == "http://node.lab:8093/status")
        let given = try SourceDefinition(json: ["url": "http://node.lab", "kind": "ethoscope", "mysql_url": "http://127.0.0.1:9001",
                                                "rsync_url": "http://127.0.0.1:9002/custom"], xid: Self.xid)
        #expect(given.mysqlStatusURL == "http://127.0.0.1:9001/status" && given.rsyncStatusURL == "http://127.0.0.1:9002/custom")
    }

    @Test func secretsAreNeverShown() throws {
        let node = JSONValue.object(try SourceDefinition(json: ["url": "h:1", "kind": "keepwatch", "token": "kw_x"], xid: Self.xid).shown)
        let controller = JSONValue.object(try SourceDefinition(json: ["url": "h:1", "username": "u", "password": "s3cret"], xid: Self.xid).shown)
        #expect(node["has_token"] == true && controller["has_password"] == true)
        #expect(node["token"] == nil && controller["password"] == nil)
    }

    static let badControllers: [(JSONValue, String)] = [
        (["url": "h:1", "kind": "nagios"], "controller.kind"),
        (["url": "a b"], "controller.url"),
        (["url": "ftp://x:1"], "controller.url"),
        (["url": "https://admin:pw@cc1:9501"], "controller.url"),
        (["url": "http://127.0.0.1:99999"], "controller.url"),
        (["url": "h:0"], "controller.url"),
        (["url": "h:1?x=1"], "controller.url"),
        (["url": "h:1", "kind": "ethoscope", "mysql_url": "http://h:70000/status"], "controller.mysql_url"),
        (["url": "h:1", "token": "kw_x"], "controller.token"),
        (["url": "h:1", "kind": "keepwatch", "password": "x"], "controller.password"),
        (["name": "x"], "controller.url"),
        (["url": "h:1", "timeout": 0], "controller.timeout"),
        (["url": "h:1", "refresh_interval": .number(1e9)], "controller.refresh_interval"),
        (["url": "h:1", "tls_insecure": "yes"], "controller.tls_insecure"),
        (["url": "h:1", "passwrd": "x"], "controller.passwrd"),
        (["url": "h:1", "xid": "not-an-xid"], "controller.xid"),
    ]

    @Test(arguments: badControllers)
    func badControllersNameTheField(document: JSONValue, field: String) {
        do {
            _ = try SourceDefinition(json: document, xid: Self.xid)
            Issue.record("accepted \(document)")
        } catch {
            #expect(error.field == field, "\(error)")
        }
    }
}
