import Synchronization

/// First line of `<tool> --version`, asked once per process, for manifests.
public enum ToolVersions {
    private static let cache = Mutex<[String: String]>([:])

    public static func version(of tool: String) async -> String {
        if let known = cache.withLock({ $0[tool] }) { return known }
        var line = "unknown"
        if let output = try? await ProcessRunner.output(tool, ["--version"]) {
            line = output.split(separator: "\n").first.map(String.init) ?? "unknown"
        }
        cache.withLock { $0[tool] = line }
        return line
    }
}
