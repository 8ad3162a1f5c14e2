/// How events and runs move a job's status, event and result (Freezer's state machine, reference/freezer.md §5),
/// with the API and the scheduler in one process so that events take effect at once.
public enum JobLifecycle {
    /// What the node must do after an event besides saving the new state.
    public enum Effect: Equatable, Sendable {
        case none
        /// Put the job on the schedule (again).
        case arm
        /// Take the job off the schedule.
        case disarm
        /// Stop the running process tree now; the run ends as `aborted`.
        case killRun
        /// The event does not apply in this state; nothing changes (`reply` says why).
        case refused
    }

    public struct Outcome: Equatable, Sendable {
        public var state: JobState
        public var effect: Effect
        /// Freezer's reply text: `success`, or `<event> already requested`.
        public var reply: String
    }

    /// A new job starts scheduled unless it was submitted with `status: stop` (Freezer's autostart).
    public static func created(_ submitted: JobState, at now: Int64, hasNextFire: Bool) -> JobState {
        var state = JobState()
        state.timeCreated = now
        if submitted.status == .stop && submitted.event != .start {
            state.status = .stop
        } else {
            state.status = hasNextFire ? .scheduled : .completed
        }
        return state
    }

    public static func apply(_ event: JobEvent, to state: JobState, hasNextFire: Bool) -> Outcome {
        let running = state.status == .running || state.status == .aborting
        if running, state.event == event, event != .none {
            return Outcome(state: state, effect: .none, reply: "\(event.rawValue) already requested")
        }
        var next = state
        switch (event, running) {
        case (.none, _):
            return Outcome(state: state, effect: .none, reply: "success")
        case (.start, true):
            return Outcome(state: state, effect: .none, reply: "success")
        case (.start, false) where state.status == .removed:
            return Outcome(state: state, effect: .refused, reply: "was removed, so it cannot be started again (delete it and create it anew)")
        case (_, false) where state.status == .removed:
            return Outcome(state: state, effect: .none, reply: "success")
        case (.start, false):
            next.status = hasNextFire ? .scheduled : .completed
            next.event = .none
            next.result = .none
            return Outcome(state: next, effect: .arm, reply: "success")
        case (.stop, true):
            next.event = .stop
            return Outcome(state: next, effect: .disarm, reply: "success")
        case (.abort, true), (.remove, true):
            next.event = event
            next.status = .aborting
            return Outcome(state: next, effect: .killRun, reply: "success")
        case (.stop, false), (.abort, false):
            next.status = .stop
            next.event = .none
            return Outcome(state: next, effect: .disarm, reply: "success")
        case (.remove, false):
            next.status = .removed
            next.event = .none
            return Outcome(state: next, effect: .disarm, reply: "success")
        }
    }

    public static func runStarted(_ state: JobState, at now: Int64) -> JobState {
        var next = state
        next.status = .running
        next.result = .none
        next.timeStarted = now
        next.timeEnded = -1
        return next
    }

    /// After a run: a pending stop or abort leaves the job `completed` (off the schedule), a pending remove
    /// leaves it `removed`; otherwise it is `scheduled` while its schedule has fire times left.
    public static func runFinished(_ state: JobState, result: JobResult, at now: Int64, hasNextFire: Bool) -> JobState {
        var next = state
        next.result = result
        next.timeEnded = now
        next.currentPID = nil
        switch state.event {
        case .remove: next.status = .removed
        case .stop, .abort: next.status = .completed
        case .start, .none: next.status = hasNextFire ? .scheduled : .completed
        }
        next.event = .none
        return next
    }

    /// Whether an operator took the job off a schedule that still has fire times (Stop, or Abort), so that the
    /// `start` event would put it back: pending on a running job, done on a stopped or completed one.
    /// `hasNextFire` is asked only when it matters (working it out parses the schedule).
    public static func isStopped(_ state: JobState, hasNextFire: @autoclosure () -> Bool) -> Bool {
        switch state.status {
        case .running, .aborting: return state.event == .stop || state.event == .abort
        case .stop, .completed: return hasNextFire()
        case .scheduled, .none, .removed: return false
        }
    }

    /// Whether the scheduler should keep firing a job in this state.
    public static func isArmed(_ state: JobState) -> Bool {
        switch state.status {
        case .scheduled, .running, .none: return state.event != .stop && state.event != .abort && state.event != .remove
        case .completed, .stop, .aborting, .removed: return false
        }
    }
}
