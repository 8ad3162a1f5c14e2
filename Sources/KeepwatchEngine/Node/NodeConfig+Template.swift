extension NodeConfig {
    /// The commented keepwatch.yaml written on first start and by `keepwatch admin init`.
    public static let defaultText = """
        # Keepwatch node configuration. Edit, then send SIGHUP (or restart) to apply.
        # Changes to port, bind, tls and the hub's three keys take effect on restart; the rest on SIGHUP.

        # HTTP(S) port of the API, the web pages, mgob's /status and /metrics.
        port: 8090
        # Address to listen on: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).
        bind: 127.0.0.1
        # trace, debug, info, notice, warning, error or critical.
        log_level: info

        # HTTPS: off, on (needs tls_cert and tls_key) or auto (uses them when present, else makes a
        # self-signed certificate in <data>/tls). TLS_CERTIFICATE_FILE and TLS_KEY_FILE override the paths.
        # A full chain (server certificate first, then the CAs) is accepted in tls_cert.
        tls: off
        # tls_cert: /etc/keepwatch/server.crt
        # tls_key: /etc/keepwatch/server.key

        # A session ends after this much idle time: a period (30m, 12h) or nanoseconds as cmon-proxy writes them.
        session_ttl: 1h

        # true opens mgob's /status and /status/{plan} to anyone (scrapers); everything else always needs a login.
        public_status: false

        # The hub (sources are managed with `keepwatch admin addcontroller` or /proxy/controllers/add):
        # ClusterControl job instances of the last N hours and backups of the last N days are read (cmon-proxy's
        # windows), and at most hub_concurrency sources are read at the same time.
        # fetch_jobs_hours: 12
        # fetch_backups_days: 7
        # hub_concurrency: 32

        # Heartbeat checks (Healthchecks-compatible ping URLs): each ping keeps the first ping_body_limit bytes of its
        # body; a check takes ping_burst pings at once and pings_per_second more each second (more get HTTP 429).
        # Promises (executables in <data>/promises, SlapOS-style) write their status files under <data>/public;
        # public: true opens /public/*, /monitor.haljson and the feeds without login.
        # monitor:
        #   ping_body_limit: 10000
        #   ping_burst: 100
        #   pings_per_second: 20
        #   public: false
        #   promise_dir: promises
        #   title: Backups on db1
        #   base_url: https://db1.example.com:8090
        #   promise_concurrency: 8

        # Checks run by the node (kind: job, backup_freshness, verify, disk_space, http) and heartbeat checks
        # (kind: heartbeat; a uuid keeps a ping URL a tool already calls). Re-read on SIGHUP.
        # checks:
        #   - name: borg-nightly
        #     kind: heartbeat
        #     period: 1d
        #     grace: 1h
        #   - name: data-disk
        #     kind: disk_space
        #     path: /var/backups
        #     min_free: 10%

        # Notifications (see the README): channels (smtp, slack, webhook with presets, command) and routes. Without
        # routes, every failure and recovery goes to every channel. Re-read on SIGHUP.
        # channels:
        #   - name: ops-mail
        #     kind: smtp
        #     host: smtp.example.com
        #     username: keepwatch
        #     password_file: /etc/keepwatch/smtp.pass
        #     from: keepwatch@example.com
        #     to: [ops@example.com]
        #   - name: team
        #     kind: slack
        #     url_file: /etc/keepwatch/slack.url
        # routes:
        #   - on: [fail, recover]
        #     channels: [ops-mail, team]

        # Users imported into the store on start and on SIGHUP when missing (ccmgr.yaml's form). Manage users with
        # `keepwatch admin adduser|setpassword|dropuser|listusers`; passwordhash is hex(salt):iterations:hex(key).
        # role: admin (default), operator (runs, stops and aborts jobs) or viewer (reads).
        # users:
        #   - username: alice
        #     email: alice@example.com
        #     role: operator
        #     passwordhash: <hash>

        """
}
