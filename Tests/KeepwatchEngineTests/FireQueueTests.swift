@testable import KeepwatchEngine
import Testing

@Suite struct FireQueueTests {
    @Test func popsDueEntriesInTimeOrderAndDropsReplacedOnes() {
        var queue = FireQueue()
        queue.schedule("b", at: 20)
        queue.schedule("a", at: 10)
        queue.schedule("c", at: 30)
        queue.schedule("b", at: 5)
        #expect(queue.count == 3)
        #expect(queue.nextFireTime(of: "b") == 5)
        #expect(queue.peek() == 5)
        #expect(queue.popDue(now: 10).map(\.jobID) == ["b", "a"])
        #expect(queue.nextFireTime(of: "a") == nil)
        queue.remove("c")
        #expect(queue.peek() == nil)
        #expect(queue.popDue(now: 100).isEmpty)
        #expect(queue.count == 0)
    }
}
