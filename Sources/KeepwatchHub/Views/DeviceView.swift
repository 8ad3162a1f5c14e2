import KeepwatchCore

/// Every source's devices merged by exact id across any number of backup services, with Ethoscope's rule for
/// `overall_status`; for `GET /api/v1/devices` and the page.
public enum DeviceView {
    public static func devices(states: [SourceState]) -> JSONValue {
        struct Merged {
            var name = ""
            var sources: [String] = []
            var services: [String: [String: JSONValue]] = [:]
        }
        var merged: [String: Merged] = [:]
        var expected: [String: Set<String>] = [:]
        for state in states {
            // Ethoscope's two daemons are expected for every device, answering or not (one down makes it partial).
            let services: Set<String> = state.definition.kind == .ethoscope ? ["mysql_backup", "rsync_backup"] : []
            for report in state.snapshot.devices {
                var device = merged[report.deviceID] ?? Merged()
                if device.name.isEmpty { device.name = report.name }
                if !device.sources.contains(state.xid) { device.sources.append(state.xid) }
                device.services[report.service] = report.record
                merged[report.deviceID] = device
                expected[report.deviceID, default: []].formUnion(services.isEmpty ? [report.service] : services)
            }
        }
        let devices: [JSONValue] = merged.keys.sorted().map { id in
            let device = merged[id] ?? Merged()
            let names = (expected[id] ?? []).sorted()
            let progress = names.map { BackupServiceMerge.progressStatus(device.services[$0]) }
            var services: [String: JSONValue] = [:]
            for name in names { services[name] = BackupServiceMerge.side(device.services[name], withMetadata: false) }
            let processing = device.services.values.contains { $0["processing"] == .bool(true) }
            return .object([
                "id": .string(id), "name": .string(device.name.isEmpty ? "DEVICE_\(id.prefix(8))" : device.name),
                "sources": .array(device.sources.map(JSONValue.string)), "services": .object(services),
                "overall_status": .string(BackupServiceMerge.overallStatus(progress)), "processing": .bool(processing),
            ])
        }
        return .object(["devices": .array(devices), "total": .number(Double(devices.count))])
    }
}
