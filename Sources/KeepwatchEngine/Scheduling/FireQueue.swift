import KeepwatchCore

/// A min-heap of (fire time, job) entries: the scheduler's agenda. Rescheduling a job pushes a new entry
/// with a higher generation; stale entries are dropped when they reach the top, so updates cost O(log n).
struct FireQueue {
    struct Entry {
        var fireAt: Int64
        var jobID: String
        var generation: UInt64
    }

    private var heap: [Entry] = []
    /// Each scheduled job's live entry: its generation and fire time (so look-ups never scan the heap).
    private var live: [String: (generation: UInt64, fireAt: Int64)] = [:]
    private var nextGeneration: UInt64 = 0

    var count: Int { live.count }

    /// Schedules `jobID` at `fireAt`, replacing any earlier entry for it.
    mutating func schedule(_ jobID: String, at fireAt: Int64) {
        nextGeneration += 1
        live[jobID] = (nextGeneration, fireAt)
        push(Entry(fireAt: fireAt, jobID: jobID, generation: nextGeneration))
    }

    mutating func remove(_ jobID: String) {
        live[jobID] = nil
    }

    func nextFireTime(of jobID: String) -> Int64? {
        live[jobID]?.fireAt
    }

    /// The earliest live entry's time.
    mutating func peek() -> Int64? {
        dropStale()
        return heap.first?.fireAt
    }

    /// Removes and returns every live entry due at or before `now`.
    mutating func popDue(now: Int64) -> [Entry] {
        var due: [Entry] = []
        while true {
            dropStale()
            guard let top = heap.first, top.fireAt <= now else { return due }
            pop()
            live[top.jobID] = nil
            due.append(top)
        }
    }

    private mutating func dropStale() {
        while let top = heap.first, live[top.jobID]?.generation != top.generation { pop() }
    }

    private mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].fireAt < heap[parent].fireAt else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].fireAt < heap[smallest].fireAt { smallest = left }
            if right < heap.count, heap[right].fireAt < heap[smallest].fireAt { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
