import Foundation
@testable import KeepwatchCore
import Testing

/// Compares Keepwatch's OnCalendar fire times with the `oncalendar` library's (what Healthchecks runs) on written
/// and generated expressions, valid and not, in zones with clock changes, starting near those changes.
@Suite struct OnCalendarDifferentialTests {
    typealias Case = PythonOracle.Case
    typealias Reference = PythonOracle.Reference

    static let written = [
        "daily", "weekly", "hourly", "minutely", "monthly", "yearly", "annually", "quarterly", "semiannually", "DAILY",
        "Mon..Fri 09:00", "Mon-Fri *-*-* 09:30:00", "Sat,Sun 12:00", "mon,wed,", "Monday 8:00", "Fri *-*-13 00:00",
        "*-*-* *:0/15", "*:0/15", "*:*:0/10", "12:00", "12:00:30", "*-*-01 03:00", "*-02~1", "*-*~3 23:59", "*-*~7/2",
        "2030-01-01", "30-06-15 06:00", "*-1,7-1 00:00", "*-*-1..5 4:30", "*-*-10..20/3 00:00", "*-*-* 1,13:15",
        "Mon..Wed,Fri 01:30", "*-*-* 02:30", "daily Europe/Riga", "*-*-* 09:00 America/New_York", "Mon 10:00 UTC",
        "2199-12-31 23:59:59", "1970-01-01", "*-*-29..31 00:00", "*-2-29", "*-*-* *:*:*", "Sun *-*-1..7 03:00",
        "*-*-* 23:00\n*-*-* 11:00", "daily\nweekly", "*-*-* 0..5:00",
        // Refused:
        "", "Mon..", "Fri..Mon 00:00", "*-*-32", "24:00", "*-*-* 12:60", "*-13-01", "* 12:00", "Mon/2 00:00", "*-*~29",
        "*-*-*-* 00:00", "12:00:00:00", "*:*/0", "+5:00", "Mon Tue 00:00", "1969-01-01", "2200-01-01", "*-*-01..", "daily\n\nweekly",
        "Europe/Riga", "*-*-* 12:00 Nowhere/Town", "1:2:3.5",
    ]
    static let zones = ["UTC", "Europe/Riga", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]

    @Test func matchesTheOnCalendarLibrary() throws {
        var random = SystemRandomNumberGenerator()
        var cases: [Case] = []
        for expression in Self.written + (0..<1_500).map({ _ in Self.generated(using: &random) }) {
            for _ in 0..<2 {
                let zone = Self.zones.randomElement(using: &random) ?? "UTC"
                cases.append(Case(expr: expression, zone: zone, after: Self.start(in: zone, using: &random), count: 8))
            }
        }
        let references: [Reference] = try Self.runOracle(cases)
        try #require(references.count == cases.count)
        var differences: [String] = []
        var valid = 0
        for (testCase, reference) in zip(cases, references) {
            let ours = Self.fires(testCase)
            if ours != reference.fires {
                differences.append("\(testCase.expr.debugDescription) in \(testCase.zone) after \(testCase.after): "
                                   + "keepwatch \(ours.map { "\($0)" } ?? "refuses"), oncalendar \(reference.fires.map { "\($0)" } ?? "refuses: \(reference.error ?? "")")")
            }
            if reference.fires != nil { valid += 1 }
        }
        print("oncalendar differential: \(cases.count) cases, \(valid) valid, \(differences.count) different")
        #expect(valid > cases.count / 3, "the generator makes too few valid expressions to tell")
        let first = differences.prefix(5).joined(separator: "\n")
        #expect(differences.isEmpty, "\(differences.count) differ, first: \(first)")
    }

    @Test func healthchecksTakesWhatFiresAndRefusesTheRest() {
        #expect(HeartbeatSpec.fires("Mon..Fri 09:00 Europe/Riga"))
        #expect(HeartbeatSpec.fires("daily"))
        #expect(!HeartbeatSpec.fires("1999-01-01"), "past dates never fire after 2000-01-01")
        #expect(!HeartbeatSpec.fires("Mon 00:00 Nowhere/Town"))
        #expect(HeartbeatSpec.fires("0 3 * * *") && !HeartbeatSpec.looksLikeCron("*-*-* 03:00"))
    }

    static func fires(_ testCase: Case) -> [Int64]? {
        guard let zone = try? ZoneDatabase.rules(for: testCase.zone), let schedule = try? OnCalendarSchedule.parse(testCase.expr) else {
            return nil
        }
        var result: [Int64] = []
        var after = testCase.after
        while result.count < testCase.count, let next = schedule.next(after: after, in: zone) {
            result.append(next)
            after = next
        }
        return result
    }

    static func generated(using random: inout some RandomNumberGenerator) -> String {
        func pick(_ options: [String]) -> String { options.randomElement(using: &random) ?? "" }
        func field(_ values: [String], stars: Bool = true) -> String {
            var options = values + [pick(values) + ".." + pick(values), pick(values) + "," + pick(values), pick(values) + "/" + pick(["1", "2", "3", "5", "0"])]
            if stars { options += ["*", "*", "*/" + pick(["2", "15"])] }
            return pick(options)
        }
        let weekday = field(["Mon", "Tue", "wed", "Thursday", "Fri", "Sat", "Sun"], stars: false)
        let year = field(["2026", "2027", "30", "2199", "99"])
        let month = field(["1", "02", "3", "6", "11", "12", "13"])
        let day = pick([field(["1", "5", "15", "28", "29", "30", "31", "0"]), "~" + pick(["1", "2", "7", "28", "29"])])
        let hour = field(["0", "1", "2", "3", "12", "23", "24"])
        let minute = field(["0", "15", "30", "45", "59", "60"])
        let second = field(["0", "30", "59"])
        var parts: [String] = []
        if Int.random(in: 0..<3, using: &random) == 0 { parts.append(weekday) }
        switch Int.random(in: 0..<4, using: &random) {
        case 0: parts.append("\(year)-\(month)-\(day)")
        case 1: parts.append(day.hasPrefix("~") ? "\(month)\(day)" : "\(month)-\(day)")
        case 2: parts.append("*-*-\(day)")
        default: break
        }
        switch Int.random(in: 0..<3, using: &random) {
        case 0: parts.append("\(hour):\(minute)")
        case 1: parts.append("\(hour):\(minute):\(second)")
        default: break
        }
        if parts.isEmpty { parts.append("\(hour):\(minute)") }
        return parts.joined(separator: " ").replacingOccurrences(of: "-~", with: "~")
    }

    /// A start near one of the zone's clock changes half the time, else anywhere in 2025–2040.
    static func start(in zone: String, using random: inout some RandomNumberGenerator) -> Int64 {
        guard let rules = try? ZoneDatabase.rules(for: zone) else { return 1_800_000_000 }
        var changes: [Int64] = []
        var instant: Int64 = 1_735_689_600
        while let end = rules.segment(containing: instant).end, end < 2_208_988_800 {
            changes.append(end)
            instant = end
        }
        if !changes.isEmpty, Bool.random(using: &random), let change = changes.randomElement(using: &random) {
            return change - Int64.random(in: 0...(2 * 86_400), using: &random)
        }
        return Int64.random(in: 1_735_689_600...2_208_988_800, using: &random)
    }

    static func runOracle<Input: Encodable, Output: Decodable>(_ input: Input) throws -> Output {
        try PythonOracle.run("oncalendar_oracle.py", input, install: "pip install oncalendar==1.1")
    }
}
