/// Random cron expressions in the syntax both Keepwatch and cronsim accept, biased towards the hours
/// where clocks change and towards fixed times (which take cron's daylight-saving rule).
struct CronExpressionGenerator {
    var random: SeededGenerator

    private mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    private mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

    private mutating func numeric(_ range: ClosedRange<Int>, favourite: [Int] = []) -> String {
        let value = { (g: inout CronExpressionGenerator) -> Int in
            !favourite.isEmpty && g.chance(60) ? g.pick(favourite) : g.int(range)
        }
        switch int(0...9) {
        case 0: return "*"
        case 1: return "*/\(int(2...max(2, range.upperBound / 2)))"
        case 2:
            let a = value(&self)
            let b = int(a...range.upperBound)
            return "\(a)-\(b)"
        case 3:
            // cronsim reads a one-value range with a step ("5-5/3") as "5/3"; Keepwatch keeps it at 5.
            let a = min(value(&self), range.upperBound - 1)
            let b = int((a + 1)...range.upperBound)
            return "\(a)-\(b)/\(int(2...5))"
        case 4:
            let values = Set((0..<int(2...4)).map { _ in value(&self) }).sorted()
            return values.map(String.init).joined(separator: ",")
        case 5: return "\(value(&self))/\(int(2...20))"
        default: return "\(value(&self))"
        }
    }

    mutating func expression() -> String {
        var fields: [String] = []
        if chance(15) { fields.append(chance(50) ? "0" : numeric(0...59, favourite: [0, 30])) }
        fields.append(chance(55) ? "\(pick([0, 0, 15, 30, 45, 5, 59]))" : numeric(0...59, favourite: [0, 15, 30, 45]))
        fields.append(chance(55) ? "\(pick([0, 1, 2, 3, 4, 23]))" : numeric(0...23, favourite: [0, 1, 2, 3, 4]))
        fields.append(dayOfMonth())
        fields.append(month())
        fields.append(dayOfWeek())
        let text = fields.joined(separator: " ")
        return chance(20) ? text.lowercased() : text
    }

    private mutating func dayOfMonth() -> String {
        switch int(0...9) {
        case 0...4: return "*"
        case 5: return "L"
        case 6: return "LW"
        default: return numeric(1...31, favourite: [1, 15, 28, 29, 30, 31])
        }
    }

    private mutating func month() -> String {
        let names = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        switch int(0...9) {
        case 0...4: return "*"
        case 5: return pick(names)
        case 6: return "\(pick(["MAR", "APR", "SEP"]))-\(pick(["OCT", "NOV", "DEC"]))"
        default: return numeric(1...12, favourite: [3, 4, 9, 10, 11])
        }
    }

    private mutating func dayOfWeek() -> String {
        let names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        switch int(0...11) {
        case 0...4: return "*"
        case 5: return "\(int(0...6))L"
        case 6: return "\(pick(names))#\(int(1...5))"
        case 7: return "\(int(0...7))#\(int(1...5))"
        case 8: return "MON-FRI"
        case 9: return pick(names)
        default: return numeric(0...7, favourite: [0, 5, 6, 7])
        }
    }
}
