import KeepwatchCore
import Testing

/// Ethoscope's merge of its two backup daemons, device by device (v1 `_merge_backup_status`).
struct BackupServiceMergeTests {
    static func record(_ status: String?, name: String = "ETHOSCOPE_001") -> JSONValue {
        var record: [String: JSONValue] = ["name": .string(name), "status": "stopped", "count": 1]
        if let status { record["progress"] = ["status": .string(status), "message": "m"] }
        return .object(record)
    }

    @Test(arguments: [
        ("success", "success", "success"), ("success", "error", "partial"), ("error", "success", "partial"),
        ("error", "info", "error"), ("info", "warning", "unknown"), ("success", nil, "partial"), (nil, nil, "unknown"),
    ] as [(String?, String?, String)])
    func overallStatusIsDecidedInTheSeedsOrder(mysql: String?, rsync: String?, expected: String) {
        #expect(BackupServiceMerge.overallStatus([mysql, rsync]) == expected)
    }

    @Test func devicesAreMatchedByExactIdAndAMissingSideIsNotAvailable() {
        let mysql: JSONValue = ["AbC": Self.record("success"), "only-mysql": Self.record("error", name: "")]
        let rsync: JSONValue = ["devices": ["abc": Self.record("success"), "AbC": Self.record("success")],
                                "disk_usage_summary": ["results": ["total_files": 1]]]
        let unified = BackupServiceMerge.unifiedDevices(mysql: mysql, rsync: rsync)
        #expect(Set(unified.keys) == ["AbC", "abc", "only-mysql"], "ids are case-sensitive; disk_usage_summary is not a device")
        #expect(unified["AbC"]?["overall_status"] == "success")
        #expect(unified["abc"]?["overall_status"] == "partial")
        #expect(unified["only-mysql"]?["name"] == "DEVICE_only-mys", "an empty name falls through to the placeholder")
        #expect(unified["only-mysql"]?["rsync_backup"]?["available"] == false)
        #expect(unified["only-mysql"]?["rsync_backup"]?["status"] == "not_available")
        #expect(unified["only-mysql"]?["rsync_backup"]?["metadata"] == .object([:]))
        #expect(unified["only-mysql"]?["mysql_backup"]?["started"] == .null)
    }

    @Test func aBodyWithAnErrorKeyHoldsNoDevices() {
        let envelope: JSONValue = ["error": "MySQL backup service unavailable", "service": "mysql_backup"]
        #expect(BackupServiceMerge.devices(of: envelope).isEmpty)
        #expect(BackupServiceMerge.unifiedDevices(mysql: envelope, rsync: ["error": "Backup wrapper not initialized"]).isEmpty)
    }
}
