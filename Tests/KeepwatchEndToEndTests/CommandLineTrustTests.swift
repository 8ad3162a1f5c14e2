import Foundation
import Testing

/// The command line as an operator uses it: TLS nodes, running a job now, editing and deleting jobs, the newest
/// run's log, machine-readable lists, and messages that say what happened.
@Suite(.serialized) struct CommandLineTrustTests {
    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func versionIsPrinted() async throws {
        for arguments in [["--version"], ["version"]] {
            let result = try await KeepwatchBinary.run(arguments)
            #expect(result.status == 0 && result.stdout.hasPrefix("keepwatch 0.3"), "\(arguments): \(result.stdout) \(result.stderr)")
        }
    }

    @Test func theCLIReachesATLSNodesWithCacertOrInsecureAndExplainsFailures() async throws {
        let node = try NodeProcess()
        try node.writeConfig("tls: auto\n")
        try await node.start()
        #expect(node.scheme == "https")
        let certificate = node.dataPath + "/tls/server.crt"
        let environment = node.clientEnvironment
        let untrusted = try await KeepwatchBinary.run(["job", "list"], environment: environment)
        #expect(untrusted.status == 1 && untrusted.stderr.contains("--cacert"), "\(untrusted.stderr)")
        #expect(!untrusted.stderr.contains("BoringSSL") && !untrusted.stderr.contains(".build/"), "no library dump: \(untrusted.stderr)")
        let trusted = try await KeepwatchBinary.run(["job", "list", "--cacert", certificate], environment: environment)
        #expect(trusted.status == 0, "\(trusted.stderr)")
        let viaEnvironment = try await KeepwatchBinary.run(["job", "list"], environment: environment.merging(["KEEPWATCH_CACERT": certificate]) { $1 })
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        let insecure = try await KeepwatchBinary.run(["job", "list", "--insecure"], environment: environment)
        #expect(insecure.status == 0 && insecure.stderr.lowercased().contains("insecure"), "a warning on stderr: \(insecure.stderr)")
        let plain = try await KeepwatchBinary.run(["job", "list", "--url", "http://127.0.0.1:\(node.port)"], environment: environment)
        #expect(plain.status == 1 && plain.stderr.contains("https://"), "\(plain.stderr)")
        let noScheme = try await KeepwatchBinary.run(["job", "list", "--url", "127.0.0.1:\(node.port)"], environment: environment)
        #expect(noScheme.status == 1 && noScheme.stderr.contains("needs a scheme"), "\(noScheme.stderr)")
        await node.stop()
    }

    @Test func jobRunApplyDeleteLogLastAndJSONLists() async throws {
        let node = try NodeProcess()
        try await node.start()
        let environment = node.clientEnvironment
        let file = node.root.appendingPathComponent("job.json").path
        try Self.write(#"{"job_id": "hello", "job_actions": [{"freezer_action": {"action": "exec", "command": ["echo", "hello v1"]}}], "job_schedule": {"status": "stop", "schedule_interval": "1 days"}}"#, to: file)
        let created = try await KeepwatchBinary.run(["job", "apply", "-f", file], environment: environment)
        #expect(created.status == 0 && created.stdout.contains("created hello"), "\(created.stdout) \(created.stderr)")
        try Self.write(#"{"job_id": "hello", "job_actions": [{"freezer_action": {"action": "exec", "command": ["echo", "hello v2"]}}], "job_schedule": {"status": "stop", "schedule_interval": "1 days"}}"#, to: file)
        let replaced = try await KeepwatchBinary.run(["job", "apply", "-f", file], environment: environment)
        #expect(replaced.status == 0 && replaced.stdout.contains("replaced hello (version 2)"), "\(replaced.stdout) \(replaced.stderr)")

        let ran = try await KeepwatchBinary.run(["job", "run", "hello", "--follow"], environment: environment)
        #expect(ran.status == 0 && ran.stdout.contains("hello v2"), "\(ran.stdout) \(ran.stderr)")
        let last = try await KeepwatchBinary.run(["job", "log", "hello", "--last"], environment: environment)
        #expect(last.status == 0 && last.stdout.contains("hello v2"), "\(last.stdout) \(last.stderr)")
        let stillStopped = try await node.get("/api/v1/jobs/hello").object["job_schedule"] as? [String: Any]
        #expect(stillStopped?["status"] as? String == "stop", "a stopped job run on demand stays stopped: \(stillStopped ?? [:])")

        let before = try await node.get("/api/v1/jobs/hello").body
        let idle = try await KeepwatchBinary.run(["job", "abort", "hello"], environment: environment)
        #expect(idle.status == 1 && idle.stderr.contains("no run to abort; nothing changed"), "\(idle.stderr)")
        #expect(try await node.get("/api/v1/jobs/hello").body == before, "nothing changed")

        try Self.write(#"{"job_id": "broken", "job_actions": [{"freezer_action": {"action": "exec", "command": ["false"]}}], "job_schedule": {"status": "stop"}}"#, to: file)
        #expect(try await KeepwatchBinary.run(["job", "create", "-f", file], environment: environment).status == 0)
        let failed = try await KeepwatchBinary.run(["job", "run", "broken", "--follow"], environment: environment)
        #expect(failed.status == 1, "a failed run exits 1: \(failed.stdout) \(failed.stderr)")

        for list in [["job", "list"], ["job", "runs", "hello"], ["backup", "list"], ["admin", "audit", "--data", node.dataPath]] {
            let result = try await KeepwatchBinary.run(list + ["--json"], environment: environment)
            #expect(result.status == 0, "\(list): \(result.stderr)")
            #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "\(list) --json is JSON: \(result.stdout)")
        }
        let deleted = try await KeepwatchBinary.run(["job", "delete", "hello"], environment: environment)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try await node.get("/api/v1/jobs/hello").status == 404)
        #expect(!FileManager.default.fileExists(atPath: node.dataPath + "/runs/hello"), "its run logs go with it")
        await node.stop()
    }
}
