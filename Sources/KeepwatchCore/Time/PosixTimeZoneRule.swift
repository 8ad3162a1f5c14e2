/// A POSIX `TZ` rule such as `EET-2EEST,M3.5.0/3,M10.5.0/4`, as found in the footer of TZif files.
/// It gives the offsets for every year after the file's last listed transition.
struct PosixTimeZoneRule: Equatable {
    struct TransitionDate: Equatable {
        enum Kind: Equatable {
            case julianNoLeap(Int)          // Jn: 1…365, February 29 never counted
            case zeroBasedDay(Int)          // n: 0…365, February 29 counted
            case monthWeekDay(month: Int, week: Int, weekday: Int)   // Mm.w.d
        }
        var kind: Kind
        var secondsAfterMidnight: Int64

        func localSeconds(inYear year: Int) -> Int64 {
            let day: Int
            switch kind {
            case .julianNoLeap(let n):
                let leapShift = CivilCalendar.isLeapYear(year) && n >= 60 ? 1 : 0
                day = CivilCalendar.dayNumber(year: year, month: 1, day: 1) + n - 1 + leapShift
            case .zeroBasedDay(let n):
                day = CivilCalendar.dayNumber(year: year, month: 1, day: 1) + n
            case .monthWeekDay(let month, let week, let weekday):
                let first = CivilCalendar.dayNumber(year: year, month: month, day: 1)
                var date = first + (weekday - CivilCalendar.weekday(dayNumber: first) + 7) % 7 + (week - 1) * 7
                let daysInMonth = CivilCalendar.daysInMonth(year: year, month: month)
                while date >= first + daysInMonth { date -= 7 }
                day = date
            }
            return Int64(day) * CivilCalendar.secondsPerDay + secondsAfterMidnight
        }
    }

    var standardOffset: Int64
    var daylight: (offset: Int64, start: TransitionDate, end: TransitionDate)?

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.standardOffset == rhs.standardOffset
            && lhs.daylight?.offset == rhs.daylight?.offset
            && lhs.daylight?.start == rhs.daylight?.start
            && lhs.daylight?.end == rhs.daylight?.end
    }

    /// Transitions of `year` as (instant, offset after), in time order.
    func transitions(inYear year: Int) -> [(Int64, Int64)] {
        guard let daylight else { return [] }
        let start = daylight.start.localSeconds(inYear: year) - standardOffset
        let end = daylight.end.localSeconds(inYear: year) - daylight.offset
        return [(start, daylight.offset), (end, standardOffset)].sorted { $0.0 < $1.0 }
    }

    init?(_ text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard scanner.skipName(), let std = scanner.offset() else { return nil }
        standardOffset = -std
        if scanner.atEnd { daylight = nil; return }
        guard scanner.skipName() else { return nil }
        var dstOffset = standardOffset + 3600
        if let given = scanner.offset() { dstOffset = -given }
        let start: TransitionDate
        let end: TransitionDate
        if scanner.atEnd {
            start = TransitionDate(kind: .monthWeekDay(month: 3, week: 2, weekday: 0), secondsAfterMidnight: 7200)
            end = TransitionDate(kind: .monthWeekDay(month: 11, week: 1, weekday: 0), secondsAfterMidnight: 7200)
        } else {
            guard scanner.eat(","), let s = scanner.transitionDate(), scanner.eat(","),
                  let e = scanner.transitionDate(), scanner.atEnd else { return nil }
            start = s
            end = e
        }
        daylight = (dstOffset, start, end)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { i >= bytes.count }
        var current: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func eat(_ c: Character) -> Bool {
            guard let ascii = c.asciiValue, current == ascii else { return false }
            i += 1
            return true
        }

        mutating func skipName() -> Bool {
            if eat("<") {
                while let c = current, c != UInt8(ascii: ">") { i += 1 }
                return eat(">")
            }
            let start = i
            while let c = current, (c >= 65 && c <= 90) || (c >= 97 && c <= 122) { i += 1 }
            return i - start >= 3
        }

        mutating func number() -> Int64? {
            let start = i
            var value: Int64 = 0
            while let c = current, c >= 48, c <= 57 {
                value = value * 10 + Int64(c - 48)
                i += 1
            }
            return i > start ? value : nil
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, sign as written.
        mutating func offset() -> Int64? {
            var sign: Int64 = 1
            if eat("-") { sign = -1 } else { _ = eat("+") }
            guard let hours = number() else { return nil }
            var seconds = hours * 3600
            if eat(":") {
                guard let minutes = number() else { return nil }
                seconds += minutes * 60
                if eat(":") {
                    guard let secs = number() else { return nil }
                    seconds += secs
                }
            }
            return sign * seconds
        }

        mutating func transitionDate() -> TransitionDate? {
            let kind: TransitionDate.Kind
            if eat("J") {
                guard let n = number(), (1...365).contains(n) else { return nil }
                kind = .julianNoLeap(Int(n))
            } else if eat("M") {
                guard let m = number(), eat("."), let w = number(), eat("."), let d = number(),
                      (1...12).contains(m), (1...5).contains(w), (0...6).contains(d) else { return nil }
                kind = .monthWeekDay(month: Int(m), week: Int(w), weekday: Int(d))
            } else {
                guard let n = number(), (0...365).contains(n) else { return nil }
                kind = .zeroBasedDay(Int(n))
            }
            var time: Int64 = 7200
            if eat("/") {
                guard let t = offset() else { return nil }
                time = t
            }
            return TransitionDate(kind: kind, secondsAfterMidnight: time)
        }
    }
}
