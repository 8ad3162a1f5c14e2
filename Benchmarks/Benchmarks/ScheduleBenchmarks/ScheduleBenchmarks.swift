import Benchmark
import KeepwatchCore

/// Cases named by the schedules issue: each expression in UTC and in a zone with daylight saving.
let nextCases: [(expression: String, zone: String)] = [
    ("*/15 9-17 * * 1-5", "UTC"), ("*/15 9-17 * * 1-5", "Europe/Riga"),
    ("0 3 * * *", "UTC"), ("0 3 * * *", "Europe/Riga"),
    ("0 4 * * 5L", "UTC"), ("0 4 * * 5L", "Europe/Riga"),
    ("30 2 * * *", "UTC"), ("30 2 * * *", "Europe/Riga"),
]

/// 2026-01-01T00:00:00Z, where every chain of `next` calls starts.
let chainStart = Instant(secondsSince1970: 1_767_225_600)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .instructions],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    for (expression, zone) in nextCases {
        // Each iteration asks for the fire after the previous one, walking forward through the calendar.
        Benchmark("next \(expression) \(zone)") { benchmark, schedule in
            var cursor = chainStart
            for _ in benchmark.scaledIterations {
                cursor = schedule.next(after: cursor) ?? chainStart
            }
            blackHole(cursor)
        } setup: {
            try Schedule.cron(expression, timeZone: zone, createdAt: chainStart)
        }
    }

    for expression in Set(nextCases.map(\.expression)).sorted() {
        Benchmark("parse \(expression)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try CronExpressionParser.parse(expression))
            }
        }
    }
}
