@testable import KeepwatchCore
import Testing

@Suite struct JobDocumentTests {
    let parser = JobDocumentParser()

    func parse(_ document: JSONValue) throws(DocumentError) -> Job {
        try parser.parse(document, jobID: "generated")
    }

    func error(_ document: JSONValue) -> DocumentError? {
        do {
            _ = try parse(document)
            return nil
        } catch {
            return error
        }
    }

    static let backup: JSONValue = ["action": "backup", "mode": "fs", "src_file": "/srv/data", "backup_name": "data"]

    @Test func actionDefaultsMergeAsTheSeedShows() throws {
        let job = try parse([
            "action_defaults": ["log_file": "/tmp/freezer_tmp_log", "container": "/backups"],
            "job_actions": [
                ["freezer_action": ["action": "backup", "mode": "fs", "src_file": "/home/user1/file", "backup_name": "user1_backup"]],
                ["freezer_action": ["action": "backup", "mode": "fs", "src_file": "/home/user3/file", "backup_name": "user2_backup",
                                    "log_file": "/home/user3/specific_log_file"]],
            ],
            "description": "scheduled one shot",
        ])
        #expect(job.jobID == "generated")
        #expect(job.actions[0].freezerAction.string("log_file") == "/tmp/freezer_tmp_log")
        #expect(job.actions[0].freezerAction.container == "/backups")
        #expect(job.actions[0].freezerAction.pathToBackup == "/home/user1/file")
        #expect(job.actions[1].freezerAction.string("log_file") == "/home/user3/specific_log_file")
        #expect(job.actions[1].freezerAction.container == "/backups")
    }

    @Test func dashesAndUnderscoresAreTheSameKey() throws {
        let job = try parse(["job_actions": [["freezer_action": ["action": "restore", "restore-abs-path": "/srv", "backup-name": "data"]]]])
        #expect(job.actions[0].freezerAction.string("restore_abs_path") == "/srv")
        #expect(job.actions[0].freezerAction.backupName == "data")
    }

    @Test func retriesMandatoryAndKeepwatchFields() throws {
        let job = try parse([
            "job_id": "nightly-db", "timeout": 3600, "overlap": "queue", "missed": "run_once",
            "job_actions": [["freezer_action": Self.backup, "mandatory": true, "max_retries": 3, "max_retry_interval": 5]],
            "job_schedule": ["schedule_cron": "0 3 * * *", "schedule_time_zone": "Europe/Riga", "status": "stop"],
        ])
        #expect(job.jobID == "nightly-db")
        #expect(job.timeout == 3600)
        #expect(job.overlap == .queue)
        #expect(job.missed == .runOnce)
        #expect(job.actions[0].mandatory)
        #expect(job.actions[0].maxRetries == 3)
        #expect(job.actions[0].maxRetriesInterval == 5)
        #expect(job.schedule.cron == "0 3 * * *")
        #expect(job.state.status == .stop)
        #expect(try job.firingSchedule().zone.identifier == "Europe/Riga")
    }

    @Test func encodedDocumentRoundTrips() throws {
        let job = try parse(["job_id": "a", "job_actions": [["freezer_action": Self.backup]],
                             "job_schedule": ["schedule_interval": "1 days", "schedule_start_date": "2015-06-02T16:20:00"]])
        let document = JobDocumentEncoder.document(job)
        guard case .array(let actions)? = document["job_actions"] else {
            Issue.record("job_actions is not an array")
            return
        }
        #expect(actions.first?["freezer_action"]?["log_file"] == nil, "no null keys the submitter did not send")
        #expect(document["version"] == 1)
        let again = try parse(document)
        #expect(again.actions == job.actions)
        #expect(again.schedule == job.schedule)
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        let document: JSONValue
        let field: String
        let message: String
        var testDescription: String { field.isEmpty ? message : field }
    }

    static func withAction(_ extra: [String: JSONValue] = [:], action: JSONValue = backup) -> JSONValue {
        var object: [String: JSONValue] = ["job_actions": .array([.object(["freezer_action": action])])]
        object.merge(extra) { $1 }
        return .object(object)
    }

    static func actionWith(_ values: [String: JSONValue], _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var item: [String: JSONValue] = ["freezer_action": .object(values)]
        item.merge(extra) { $1 }
        return .object(["job_actions": .array([.object(item)])])
    }

    static let rejections: [Rejection] = [
        Rejection(document: .array([]), field: "", message: "a job must be a JSON object, not an array"),
        Rejection(document: withAction(["colour": "blue"]), field: "colour", message: "is not a job key"),
        Rejection(document: withAction(["user_credentials": ["trust_id": "x"]]), field: "user_credentials",
                  message: "is set by the server and cannot be submitted"),
        Rejection(document: [:], field: "job_actions", message: "is missing: give a list of actions, each with a freezer_action"),
        Rejection(document: ["job_actions": []], field: "job_actions", message: "must hold at least one action"),
        Rejection(document: ["job_actions": "backup"], field: "job_actions", message: "must be an array, not a string"),
        Rejection(document: ["job_actions": [["mandatory": true]]], field: "job_actions[0].freezer_action", message: "is required"),
        Rejection(document: actionWith(["action": "teleport"]), field: "job_actions[0].freezer_action.action",
                  message: "'teleport' is not one of backup, restore, info, admin, exec, verify"),
        Rejection(document: actionWith(["action": "backup", "mode": "floppy"]), field: "job_actions[0].freezer_action.mode",
                  message: "'floppy' is not one of fs, mongo, mysql, postgres, sqlite"),
        Rejection(document: actionWith(["action": "backup", "backup_name": "../etc"]), field: "job_actions[0].freezer_action.backup_name",
                  message: "'../etc' must be a name of letters, digits, '.', '_' and '-' (it names a directory)"),
        Rejection(document: actionWith(["action": "exec"]), field: "job_actions[0].freezer_action.command",
                  message: "an exec action needs a command: a string for /bin/sh -c, or an array of arguments"),
        Rejection(document: actionWith(["action": "admin", "backup_name": "x"]), field: "job_actions[0].freezer_action",
                  message: "an admin action needs keep_last, remove_older_than or remove_before_date"),
        Rejection(document: actionWith(["action": "admin", "backup_name": "x", "keep_last": 0]), field: "job_actions[0].freezer_action.keep_last",
                  message: "0 is outside 1-1000000"),
        Rejection(document: actionWith(["action": "backup"], ["max_retries": -1]), field: "job_actions[0].max_retries", message: "-1 is outside 0-100"),
        Rejection(document: actionWith(["action": "backup"], ["mandatory": "yes"]), field: "job_actions[0].mandatory",
                  message: "must be true or false, not a string"),
        Rejection(document: withAction(["job_id": "a/b"]), field: "job_id", message: "'a/b' may hold only letters, digits, '_' and '-' (at most 128)"),
        Rejection(document: withAction(["overlap": "sometimes"]), field: "overlap", message: "'sometimes' is not one of skip, queue, replace"),
        Rejection(document: withAction(["job_schedule": ["schedule_fortnight": "1"]]), field: "job_schedule.schedule_fortnight",
                  message: "is not a job_schedule key"),
        Rejection(document: withAction(["job_schedule": ["status": "sleeping"]]), field: "job_schedule.status",
                  message: "'sleeping' is not one of \"\", scheduled, running, completed, stop, aborting, removed"),
        Rejection(document: withAction(["job_schedule": ["schedule_interval": "3 fortnights"]]), field: "job_schedule.schedule_interval",
                  message: "unit 'fortnights' in '3 fortnights' is not weeks, days, hours, minutes or seconds"),
        Rejection(document: withAction(["job_schedule": ["schedule_cron": "61 * * * *"]]), field: "job_schedule.schedule_cron",
                  message: "minute: 61 is outside 0-59"),
        Rejection(document: withAction(["job_schedule": ["schedule_hour": "25"]]), field: "job_schedule.schedule_hour", message: "25 is outside 0-23"),
    ]

    @Test(arguments: rejections)
    func rejected(_ rejection: Rejection) {
        let error = error(rejection.document)
        #expect(error?.field == rejection.field)
        #expect(error?.message == rejection.message)
        #expect(error?.kind == .malformed)
    }
}

@Suite struct JobLifecycleTests {
    @Test func newJobsAutostartUnlessSubmittedStopped() {
        #expect(JobLifecycle.created(JobState(), at: 10, hasNextFire: true).status == .scheduled)
        #expect(JobLifecycle.created(JobState(), at: 10, hasNextFire: false).status == .completed)
        var stopped = JobState()
        stopped.status = .stop
        #expect(JobLifecycle.created(stopped, at: 10, hasNextFire: true).status == .stop)
    }

    @Test func eventsOnAnIdleJob() {
        var state = JobLifecycle.created(JobState(), at: 10, hasNextFire: true)
        let stop = JobLifecycle.apply(.stop, to: state, hasNextFire: true)
        #expect(stop.state.status == .stop && stop.effect == .disarm && stop.reply == "success")
        state = stop.state
        let start = JobLifecycle.apply(.start, to: state, hasNextFire: true)
        #expect(start.state.status == .scheduled && start.effect == .arm)
        let remove = JobLifecycle.apply(.remove, to: start.state, hasNextFire: true)
        #expect(remove.state.status == .removed && remove.effect == .disarm)
    }

    @Test func eventsOnARunningJob() {
        let running = JobLifecycle.runStarted(JobLifecycle.created(JobState(), at: 10, hasNextFire: true), at: 20)
        #expect(running.status == .running && running.timeStarted == 20 && running.timeEnded == -1)
        let stop = JobLifecycle.apply(.stop, to: running, hasNextFire: true)
        #expect(stop.state.event == .stop && stop.state.status == .running)
        #expect(JobLifecycle.apply(.stop, to: stop.state, hasNextFire: true).reply == "stop already requested")
        let finished = JobLifecycle.runFinished(stop.state, result: .success, at: 30, hasNextFire: true)
        #expect(finished.status == .completed && finished.event == .none && finished.result == .success && finished.timeEnded == 30)

        let abort = JobLifecycle.apply(.abort, to: running, hasNextFire: true)
        #expect(abort.effect == .killRun && abort.state.status == .aborting)
        let aborted = JobLifecycle.runFinished(abort.state, result: .aborted, at: 31, hasNextFire: true)
        #expect(aborted.status == .completed && aborted.result == .aborted)

        let normal = JobLifecycle.runFinished(running, result: .fail, at: 32, hasNextFire: true)
        #expect(normal.status == .scheduled && normal.result == .fail)
        #expect(JobLifecycle.runFinished(running, result: .success, at: 32, hasNextFire: false).status == .completed)
    }

    @Test func aJobIsStoppedWhenAnOperatorTookItOffASchedule() {
        let scheduled = JobLifecycle.created(JobState(), at: 10, hasNextFire: true)
        let running = JobLifecycle.runStarted(scheduled, at: 20)
        #expect(!JobLifecycle.isStopped(scheduled, hasNextFire: true) && !JobLifecycle.isStopped(running, hasNextFire: true))
        let stopping = JobLifecycle.apply(.stop, to: running, hasNextFire: true).state
        #expect(JobLifecycle.isStopped(stopping, hasNextFire: true), "a stop is pending while the run ends")
        let aborted = JobLifecycle.runFinished(JobLifecycle.apply(.abort, to: running, hasNextFire: true).state, result: .aborted, at: 30, hasNextFire: true)
        #expect(JobLifecycle.isStopped(aborted, hasNextFire: true))
        #expect(JobLifecycle.isStopped(JobLifecycle.apply(.stop, to: scheduled, hasNextFire: true).state, hasNextFire: true))
        let spent = JobLifecycle.runFinished(running, result: .success, at: 32, hasNextFire: false)
        #expect(!JobLifecycle.isStopped(spent, hasNextFire: false), "a schedule with no fire time left is done, not stopped")
        let started = JobLifecycle.apply(.start, to: aborted, hasNextFire: true).state
        #expect(!JobLifecycle.isStopped(started, hasNextFire: true) && started.status == .scheduled)
    }
}

@Suite struct RetentionRuleTests {
    let now = Instant(secondsSince1970: 100 * 86_400)
    var created: [Instant] { (1...6).map { Instant(secondsSince1970: Int64(90 + $0) * 86_400) } }

    @Test func keepLast() {
        #expect(RetentionRule(keepLast: 2).expired(created: created, now: now) == [0, 1, 2, 3])
        #expect(RetentionRule(keepLast: 10).expired(created: created, now: now).isEmpty)
    }

    @Test func olderThanKeepsTheNewestWhenAlone() {
        #expect(RetentionRule(olderThanDays: 5).expired(created: created, now: now) == [0, 1, 2, 3])
        #expect(RetentionRule(olderThanDays: 0).expired(created: created, now: now) == [0, 1, 2, 3, 4])
        #expect(RetentionRule(before: Instant(secondsSince1970: 93 * 86_400)).expired(created: created, now: now) == [0, 1])
    }
}

@Suite struct MgobFormatTests {
    @Test(arguments: [(Int64(0), "0 B"), (9, "9 B"), (527_000, "527 kB"), (4_700, "4.7 kB"), (4_949, "4.9 kB"),
                      (1_234_567, "1.2 MB"), (999_999, "1000 kB"), (5_000_000_000, "5.0 GB")])
    func humanizedBytes(count: Int64, text: String) {
        #expect(GoFormat.bytes(count) == text)
    }

    @Test(arguments: [(Int64(2_339_055_539), "2.339055539s"), (1_222_549_426, "1.222549426s"), (123_500_000_000, "2m3.5s"),
                      (3_600_000_000_000, "1h0m0s"), (1_500_000, "1.5ms"), (250_000, "250µs"), (12, "12ns"), (0, "0s"), (5_000_000_000, "5s")])
    func goDurations(nanoseconds: Int64, text: String) {
        #expect(GoFormat.duration(nanoseconds: nanoseconds) == text)
    }

    @Test func rfc3339Nano() throws {
        #expect(GoFormat.rfc3339Nano(seconds: 1_504_648_140, nanoseconds: 622_589) == "2017-09-05T21:49:00.000622589Z")
        #expect(GoFormat.rfc3339Nano(seconds: 1_567_746_000) == "2019-09-06T05:00:00Z")
        let riga = try ZoneDatabase.rules(for: "Europe/Riga")
        #expect(GoFormat.rfc3339Nano(seconds: 1_494_675_120, in: riga) == "2017-05-13T14:32:00+03:00")
    }

    @Test func mgobPlanBecomesAJob() throws {
        let plan: JSONValue = ["scheduler": ["cron": "0 */6 * * *", "retention": 14, "timeout": 60],
                               "target": ["host": "mongo.local", "port": 27017, "database": "app", "params": "--ssl"],
                               "s3": ["bucket": "backups"]]
        let conversion = try MgobPlan.convert(id: "app-db", plan: plan, container: "/data/backups")
        #expect(conversion.job.jobID == "app-db")
        #expect(conversion.job.timeout == 3600)
        #expect(conversion.job.schedule.cron == "0 */6 * * *")
        #expect(conversion.job.actions.map { $0.freezerAction.kind } == [.backup, .admin])
        #expect(conversion.job.actions[1].freezerAction.int("keep_last") == 14)
        #expect(conversion.ignoredBlocks == ["s3"])
        let command = MongoDumpCommand(action: conversion.job.actions[0].freezerAction, archivePath: "/tmp/a.gz", configPath: "/tmp/c.yml")
        #expect(command.arguments == ["--archive=/tmp/a.gz", "--gzip", "--host", "mongo.local", "--port", "27017", "--db", "app", "--ssl"])
        #expect(command.configFileContents == nil)
    }

    @Test func mongoPasswordGoesIntoAConfigFile() {
        let action = FreezerAction(["mode": "mongo", "host": "db", "username": "backup", "password": "s\"cret"])
        let command = MongoDumpCommand(action: action, archivePath: "/a.gz", configPath: "/c.yml")
        #expect(!command.arguments.joined().contains("s\"cret"))
        #expect(command.arguments.contains("--config=/c.yml"))
        #expect(command.configFileContents == "password: \"s\\\"cret\"\n")
        let uri = MongoDumpCommand(action: FreezerAction(["uri": "mongodb://h/db", "database": "x"]), archivePath: "/a.gz", configPath: "/c.yml")
        #expect(uri.arguments == ["--archive=/a.gz", "--gzip", "--uri=mongodb://h/db", "--db", "x"])
    }

    @Test func badPlansAreNamed() {
        #expect(throws: DocumentError(field: "scheduler.cron", "is required (a cron expression such as \"0 3 * * *\")")) {
            try MgobPlan.convert(id: "p", plan: ["target": ["host": "h"]], container: "/b")
        }
        #expect(throws: DocumentError(field: "scheduler.cron", "minute: 61 is outside 0-59")) {
            try MgobPlan.convert(id: "p", plan: ["scheduler": ["cron": "61 * * * *"]], container: "/b")
        }
        #expect(throws: DocumentError(field: "scheduler.retention", "must be a whole number, 0 or more, not a string")) {
            try MgobPlan.convert(id: "p", plan: ["scheduler": ["cron": "* * * * *", "retention": "ten"]], container: "/b")
        }
    }
}
