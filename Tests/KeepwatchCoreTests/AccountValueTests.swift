import KeepwatchCore
import Testing

/// Password hash text, user names and periods.
@Suite struct AccountValueTests {
    @Test func hashTextRoundTripsAndFlagsWeakHashes() throws {
        let cmon = try #require(PasswordHashText("0a1b2c3d4e5f6071:4096:" + String(repeating: "ab", count: 32)))
        #expect(cmon.salt.count == 8 && cmon.iterations == 4096 && cmon.key.count == 32)
        #expect(cmon.needsUpgrade)
        #expect(cmon.text == "0a1b2c3d4e5f6071:4096:" + String(repeating: "ab", count: 32))
        let strong = PasswordHashText(salt: Array(repeating: 1, count: 16), iterations: 600_000, key: Array(repeating: 2, count: 32))
        #expect(!strong.needsUpgrade)
        #expect(PasswordHashText(strong.text) == strong)
        #expect(PasswordHashText("AB:10:CD")?.salt == [0xab])
        for bad in ["", "a:1:b", "00:-1:00", "00:1", "gg:1:00", "00:999999999999:00"] { #expect(PasswordHashText(bad) == nil, "\(bad)") }
    }

    @Test func usernames() {
        for good in ["admin", "a.b-c_d@example.com", "X1"] { #expect(throws: Never.self) { try UserAccount.checkUsername(good) } }
        for bad in ["", "a b", "ä", "a/b", String(repeating: "a", count: 65)] {
            #expect(throws: AccountError.self, "\(bad)") { try UserAccount.checkUsername(bad) }
        }
        #expect(throws: AccountError.self) { try UserAccount.checkEmail("no-at-sign") }
        #expect(throws: Never.self) { try UserAccount.checkEmail(nil) }
    }

    @Test func periods() throws {
        #expect(try IntervalRule.parsePeriod("30d", field: "f") == 2_592_000)
        #expect(try IntervalRule.parsePeriod("1h30m", field: "f") == 5_400)
        #expect(try IntervalRule.parseEvery("@every 90s") == 90)
        #expect(throws: ScheduleError.self) { try IntervalRule.parsePeriod("soon", field: "f") }
        #expect(throws: ScheduleError.self) { try IntervalRule.parsePeriod("0s", field: "f") }
        #expect(throws: ScheduleError.self) { try IntervalRule.parsePeriod("12", field: "f") }
    }
}
