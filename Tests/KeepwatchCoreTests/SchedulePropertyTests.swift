@testable import KeepwatchCore
import PropertyBased
import Testing

@Suite struct SchedulePropertyTests {
    static let zones = ["UTC", "Europe/Riga", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]
    static let years2000to2040 = Int64(946_684_800)...Int64(2_208_988_800)

    /// A fire time satisfies every field on the zone's wall clock, or (fixed times only) it is the
    /// instant of a forward jump that skipped the matching wall-clock time.
    static func isValidFire(_ fire: Instant, _ spec: CronSpec, _ zone: ZoneRules) -> Bool {
        let local = LocalDateTime(localSeconds: fire.secondsSince1970 + zone.offset(at: fire.secondsSince1970))
        if spec.matches(local) { return true }
        return spec.firesOncePerWallClockTime && zone.transitions.contains(fire.secondsSince1970)
    }

    @Test func cronFiresAreStrictlyIncreasingMatchingAndNoneIsSkipped() async {
        await propertyCheck(count: 400, input: Gen.uint64(), Gen.int64(in: Self.years2000to2040), Gen.element(of: Self.zones)) { seed, start, zoneName in
            var generator = CronExpressionGenerator(random: SeededGenerator(seed: seed))
            let expression = generator.expression()
            guard let zoneName,
                  let schedule = try? Schedule.cron(expression, timeZone: zoneName, createdAt: Instant(secondsSince1970: 0)),
                  case .cron(let spec) = schedule.rule else { return }
            let after = Instant(secondsSince1970: start)
            let fires = schedule.upcoming(after: after, count: 25)
            #expect(fires.first.map { $0 > after } ?? true, "\(expression): first fire not after the start")
            for (earlier, later) in zip(fires, fires.dropFirst()) {
                #expect(earlier < later, "\(expression) in \(zoneName): \(earlier) then \(later)")
                let between = Instant(secondsSince1970: (earlier.secondsSince1970 + later.secondsSince1970) / 2)
                if between > earlier {
                    #expect(schedule.next(after: between) == later, "\(expression) in \(zoneName): next after \(between)")
                }
            }
            for fire in fires {
                #expect(Self.isValidFire(fire, spec, schedule.zone), "\(expression) in \(zoneName) fires at \(fire)")
            }
        }
    }

    @Test func intervalFiresStepExactlyFromTheAnchor() async {
        await propertyCheck(count: 300, input: Gen.int64(in: 1...(30 * 86_400)), Gen.int64(in: Self.years2000to2040), Gen.int64(in: Self.years2000to2040), Gen.bool) { seconds, anchor, start, firesAtAnchor in
            let rule = IntervalRule(seconds: seconds, anchor: Instant(secondsSince1970: anchor), firesAtAnchor: firesAtAnchor)
            let schedule = Schedule(rule: .interval(rule), source: "interval")
            let fires = schedule.upcoming(after: Instant(secondsSince1970: start), count: 5)
            #expect(fires.count == 5)
            for fire in fires {
                #expect((fire.secondsSince1970 - anchor) % seconds == 0)
                #expect(fire.secondsSince1970 > start)
                #expect(fire.secondsSince1970 >= anchor + (firesAtAnchor ? 0 : seconds))
            }
            for (earlier, later) in zip(fires, fires.dropFirst()) {
                #expect(later.secondsSince1970 - earlier.secondsSince1970 == seconds)
            }
        }
    }

    @Test func wallClockConversionRoundTrips() async {
        await propertyCheck(count: 500, input: Gen.int64(in: -10_000_000_000...10_000_000_000)) { seconds in
            let local = LocalDateTime(localSeconds: seconds)
            #expect(local.localSeconds == seconds)
            #expect((1...12).contains(local.month))
            #expect(local.day >= 1 && local.day <= CivilCalendar.daysInMonth(year: local.year, month: local.month))
        }
    }

    @Test func formattedInstantsParseBack() async {
        await propertyCheck(count: 300, input: Gen.int64(in: Self.years2000to2040), Gen.element(of: Self.zones)) { seconds, zoneName in
            guard let zoneName, let zone = try? ZoneDatabase.rules(for: zoneName) else { return }
            let text = ISO8601.format(Instant(secondsSince1970: seconds), in: zone)
            #expect((try? ISO8601.parse(text)) == .instant(Instant(secondsSince1970: seconds)), "\(text)")
        }
    }
}
