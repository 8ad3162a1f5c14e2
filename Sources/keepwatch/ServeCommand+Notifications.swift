import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub
import KeepwatchMonitor

extension ServeCommand {
    /// What happens on the node becomes events for the notification service: finished runs, heartbeat flips,
    /// checks that start failing or pass again, and sources that stop or start answering.
    static func observe(jobs: JobService, heartbeats: HeartbeatService, promises: PromiseRunner, hub: HubService,
                        into notifications: NotificationService) async {
        await notifications.addJobChannels(await jobs.allJobs().flatMap { $0.notify?.own ?? [] })
        await jobs.setRunObserver { run, previous, job in
            let base = await notifications.nodeURL
            guard let event = NotificationEvent.run(run, previous: previous, url: "\(base)/api/v1/jobs/\(run.jobID)") else { return }
            var also: [String] = []
            if let notify = job.notify, notify.events.contains(event.kind) {
                await notifications.addJobChannels(notify.own)
                also = notify.channels
            }
            await notifications.notify(event, also: also)
        }
        await heartbeats.setFlipObserver { flip, check in
            let base = await notifications.nodeURL
            let name = check.name.isEmpty ? check.uuid : check.name
            guard let event = NotificationEvent.heartbeat(flip, name: name, tags: check.tagList, url: "\(base)/api/v1/checks/\(check.uuid)") else { return }
            await notifications.notify(event)
        }
        await promises.setCheckObserver { id, kind, failed, wasFailing, message, at in
            let base = await notifications.nodeURL
            guard let event = NotificationEvent.check(id: id, kind: kind, failed: failed, wasFailing: wasFailing, message: message,
                                                      url: "\(base)/api/v1/checks/\(id)", at: at) else { return }
            await notifications.notify(event)
        }
        hub.setSourceObserver { source, reachable, message in
            guard let event = NotificationEvent.source(name: source.name, reachable: reachable, wasReachable: !reachable, message: message,
                                                       at: NotificationService.now()) else { return }
            await notifications.notify(event)
        }
    }
}
