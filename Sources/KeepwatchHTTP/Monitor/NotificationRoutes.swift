import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchMonitor

/// Channels, silences and the outbox: `/api/v1/channels` (CRUD, `POST …/{name}/test`), `/api/v1/silences`,
/// `/api/v1/notifications` (the outbox, each channel's last delivery and error). No reply ever holds a secret.
struct NotificationRoutes {
    let notifications: NotificationService

    func register(on router: Router<KeepwatchRequestContext>) {
        let api = router.group("api/v1")
        api.get("channels") { _, _ in
            var listed: [JSONValue] = []
            for channel in await notifications.channels { listed.append(await document(channel)) }
            return JSONResponses.json(["channels": .array(listed)])
        }
        api.post("channels") { request, _ in
            await answer {
                let channel = try Self.channel(try await JSONResponses.body(request))
                try await notifications.put(channel, replacing: false)
                return JSONResponses.json(await document(channel), status: .created)
            }
        }
        api.get("channels/{name}") { _, context in
            await answer {
                let name = try context.parameters.require("name")
                guard let channel = await notifications.channel(name) else { throw NotificationService.Failure.notFound(name) }
                return JSONResponses.json(await document(channel))
            }
        }
        api.put("channels/{name}") { request, context in
            await answer {
                let name = try context.parameters.require("name")
                guard case .object(var fields) = try await JSONResponses.body(request) else {
                    throw DocumentError(field: "channel", "send the channel as a JSON object")
                }
                if let given = fields["name"], given != .string(name) { throw DocumentError(field: "name", "a channel keeps its name") }
                fields["name"] = .string(name)
                let channel = try Self.channel(.object(fields))
                try await notifications.put(channel, replacing: true)
                return JSONResponses.json(await document(channel))
            }
        }
        api.delete("channels/{name}") { _, context in
            await answer {
                try await notifications.remove(try context.parameters.require("name"))
                return Response(status: .noContent)
            }
        }
        api.post("channels/{name}/test") { _, context in
            await answer {
                let name = try context.parameters.require("name")
                do {
                    try await notifications.test(name)
                } catch let failure as NotificationService.Failure {
                    throw failure
                } catch {
                    return JSONResponses.json(["name": .string(name), "delivered": false, "error": .string("\(error)")], status: .badGateway)
                }
                return JSONResponses.json(["name": .string(name), "delivered": true])
            }
        }
        api.get("notifications") { request, _ in
            await answer {
                let limit = try NativeRoutes.limit(request)
                let entries = try await notifications.outbox(limit: limit)
                var channels: [JSONValue] = []
                for channel in await notifications.channels { channels.append(await document(channel)) }
                return JSONResponses.json(["queued": .number(Double(await notifications.queuedCount)), "channels": .array(channels),
                                           "outbox": .array(entries.map(\.json))])
            }
        }
        api.get("silences") { _, _ in
            JSONResponses.json(["silences": .array(await notifications.silenceList().map(\.json))])
        }
        api.post("silences") { request, context in
            await answer {
                let silence = try Silence(json: try await JSONResponses.body(request), id: UUID().uuidString.lowercased(),
                                          by: context.requester.name, now: Int64(Date().timeIntervalSince1970))
                try await notifications.addSilence(silence)
                return JSONResponses.json(silence.json, status: .created)
            }
        }
        api.delete("silences/{id}") { _, context in
            await answer {
                let id = try context.parameters.require("id")
                guard try await notifications.removeSilence(id) else { return JSONResponses.error("no such silence", status: .notFound) }
                return Response(status: .noContent)
            }
        }
    }

    static func channel(_ body: JSONValue) throws -> ChannelDefinition {
        do {
            return try ChannelDefinition(json: body)
        } catch {
            throw ChannelRefusal(error: error)
        }
    }

    struct ChannelRefusal: Error {
        let error: DocumentError
    }

    /// The channel without its secrets, with where it comes from and how its last delivery went.
    func document(_ channel: ChannelDefinition) async -> JSONValue {
        guard case .object(var fields) = channel.shown else { return channel.shown }
        let status = await notifications.status(channel.name)
        fields["id"] = .string(channel.name)
        fields["defined_in"] = .string(await notifications.isConfigured(channel.name) ? "keepwatch.yaml" : "api")
        fields["last_delivery"] = status.lastDelivery.map { .number(Double($0)) } ?? .null
        fields["last_error"] = status.lastError.map { .string($0) } ?? .null
        fields["last_error_at"] = status.lastErrorAt.map { .number(Double($0)) } ?? .null
        fields["sent"] = .number(Double(status.sent))
        fields["failed"] = .number(Double(status.failed))
        return .object(fields)
    }

    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let refusal as ChannelRefusal {
            return JSONResponses.error(refusal.error.message, field: refusal.error.field, status: .unprocessableContent)
        } catch let failure as NotificationService.Failure {
            switch failure {
            case .notFound: return JSONResponses.error(failure.description, status: .notFound)
            case .configured, .exists: return JSONResponses.error(failure.description, status: .conflict)
            }
        } catch let error as DocumentError {
            return JSONResponses.error(error.message, field: error.field, status: .unprocessableContent)
        } catch {
            return JSONResponses.response(for: error)
        }
    }
}
