import Hummingbird
import KeepwatchCore
import KeepwatchHTTP
import Testing

/// The role each route needs, including the paths that try to slip past it.
@Suite struct AccessPolicyTests {
    let closed = AccessPolicy(publicStatus: false)
    let open = AccessPolicy(publicStatus: true)

    @Test func openRoutes() {
        #expect(closed.requirement(method: .get, path: "/healthz") == .open)
        for route in ["login", "logout", "check", "register"] {
            #expect(closed.requirement(method: .post, path: "/proxy/auth/\(route)") == .open)
        }
        #expect(closed.requirement(method: .post, path: "/proxy/auth/update") == .role(.viewer))
        #expect(closed.requirement(method: .post, path: "/proxy/auth/setpassword") == .role(.viewer))
    }

    @Test func readingWritingAndRunning() {
        #expect(closed.requirement(method: .get, path: "/api/v1/jobs") == .role(.viewer))
        #expect(closed.requirement(method: .get, path: "/metrics") == .role(.viewer))
        #expect(closed.requirement(method: .head, path: "/status") == .role(.viewer))
        #expect(closed.requirement(method: .post, path: "/api/v1/jobs") == .role(.admin))
        #expect(closed.requirement(method: .put, path: "/api/v1/jobs/a") == .role(.admin))
        #expect(closed.requirement(method: .delete, path: "/api/v1/jobs/a") == .role(.admin))
        #expect(closed.requirement(method: .post, path: "/api/v1/jobs/a/event") == .role(.operator))
        #expect(closed.requirement(method: .post, path: "/backup/nightly") == .role(.operator))
        #expect(closed.requirement(method: .post, path: "/api/v1/jobs/a/run") == .role(.operator))
        #expect(closed.requirement(method: .post, path: "/api/v1/jobs/a/runs") == .role(.admin))
        #expect(closed.requirement(method: .get, path: "/api/v1/audit") == .role(.admin))
        #expect(closed.requirement(method: .post, path: "/api/v1/jobs/a/b/event") == .role(.admin))
        #expect(closed.requirement(method: .post, path: "/backup/") == .role(.admin))
    }

    @Test func publicStatusOpensOnlyStatusReads() {
        #expect(closed.requirement(method: .get, path: "/status") == .role(.viewer))
        #expect(open.requirement(method: .get, path: "/status") == .open)
        #expect(open.requirement(method: .get, path: "/status/nightly") == .open)
        #expect(open.requirement(method: .post, path: "/status") == .role(.admin))
        #expect(open.requirement(method: .get, path: "/status/nightly/extra") == .role(.viewer))
        #expect(open.requirement(method: .get, path: "/status/../api/v1/jobs") == .role(.viewer))
        #expect(open.requirement(method: .get, path: "/status//x") == .role(.viewer))
        #expect(open.requirement(method: .get, path: "/metrics") == .role(.viewer))
        open.setPublicStatus(false)
        #expect(open.requirement(method: .get, path: "/status") == .role(.viewer))
    }

    @Test func rolesIncludeTheOnesBelow() {
        #expect(Role.admin.includes(.operator) && Role.admin.includes(.viewer))
        #expect(Role.operator.includes(.viewer) && !Role.operator.includes(.admin))
        #expect(!Role.viewer.includes(.operator))
    }
}
