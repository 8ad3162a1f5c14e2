@testable import KeepwatchHub
import Testing

/// How long a source waits before its next refresh.
struct RefreshBackoffTests {
    @Test func aSourceThatAnswersWaitsItsInterval() {
        #expect(RefreshBackoff.delay(interval: 60, failures: 0, random: 0.3) == 60)
    }

    @Test func failuresDoubleTheWaitWithJitterOverItsSecondHalf() {
        #expect(RefreshBackoff.delay(interval: 60, failures: 1, random: 0) == 30)
        #expect(RefreshBackoff.delay(interval: 60, failures: 1, random: 1) == 60)
        #expect(RefreshBackoff.delay(interval: 60, failures: 2, random: 1) == 120)
        #expect(RefreshBackoff.delay(interval: 60, failures: 3, random: 1) == 240)
    }

    @Test func theWaitStopsGrowingAtTenMinutesOrTheInterval() {
        #expect(RefreshBackoff.delay(interval: 60, failures: 40, random: 1) == 600)
        #expect(RefreshBackoff.delay(interval: 3600, failures: 40, random: 1) == 3600)
        #expect(RefreshBackoff.delay(interval: 60, failures: 40, random: 7) == 600, "a random value outside 0...1 is clamped")
    }
}
