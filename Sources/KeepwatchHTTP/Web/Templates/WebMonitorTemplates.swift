/// `/backups`, `/checks`, `/checks/{id}`: what was backed up and whether it still reads, and what watches it.
extension WebTemplates {
    static let backups = """
    {{> head}}
    <h1>Backups</h1>
    {{^hasChains}}<p class="empty">No backups yet — a job with a <code>backup</code> action (mode <code>fs</code> or a database) makes one on its next run{{#canOperate}}; press “Run now” on <a href="/jobs">Jobs</a>{{/canOperate}}.</p>{{/hasChains}}
    {{#chains}}<section class="card" data-backup="{{name}}">
    <h2>{{name}} <small>{{count}} · {{size}}</small></h2>
    {{#canOperate}}<form class="inline" method="post" action="/backups/{{name}}/verify"><button type="submit" class="secondary verify">Verify</button></form>{{/canOperate}}
    <div class="scroll"><table><thead><tr><th scope="col">Chain</th><th scope="col">Level</th><th scope="col">Created</th><th scope="col" class="num">Size</th><th scope="col">Where</th><th scope="col" class="hide-narrow">Archive</th><th scope="col" class="hide-narrow">Run</th></tr></thead><tbody>
    {{#archives}}<tr data-chain="{{chain}}"><td><small>{{chain}}</small></td><td>{{level}}</td><td><time datetime="{{created.iso}}" title="{{created.exact}}">{{created.ago}}</time></td><td class="num">{{size}}</td><td>{{location}}</td><td class="hide-narrow"><small>{{file}}</small></td><td class="hide-narrow">{{#run}}<a href="/runs/{{.}}">{{.}}</a>{{/run}}</td></tr>{{/archives}}
    </tbody></table></div>
    </section>{{/chains}}
    {{> foot}}
    """

    static let checks = """
    {{> head}}
    <h1>Checks</h1>
    <div id="live" data-live="5000">
    <ul class="counts" aria-label="Checks by state">{{#counts}}<li><span class="count"><span class="dot {{dot}}" aria-hidden="true"></span><span>{{state}}</span> <b>{{count}}</b></span></li>{{/counts}}</ul>
    {{^hasChecks}}<p class="empty">No checks yet — put a promise script in the node's <code>promises/</code> folder, add a <code>checks:</code> entry to keepwatch.yaml, or create a heartbeat with <code>POST /api/v1/checks</code>. Every job gets a <code>job</code> check by itself.</p>{{/hasChecks}}
    {{#hasChecks}}<div class="scroll"><table class="checks"><thead><tr><th scope="col">State</th><th scope="col">Check</th><th scope="col">Kind</th><th scope="col">Last</th><th scope="col" class="hide-narrow">Message</th>{{#canOperate}}<th scope="col">Actions</th>{{/canOperate}}</tr></thead><tbody>
    {{#items}}<tr data-check="{{id}}" data-state="{{status}}"><td class="state"><span class="dot {{dot}}" title="{{status}}: {{meaning}}" aria-hidden="true"></span> <span class="check-status">{{status}}</span></td>
    <td><a href="/checks/{{id}}">{{name}}</a></td><td>{{kind}}</td>
    <td>{{#last}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/last}}{{^last}}<span class="muted">never</span>{{/last}}</td>
    <td class="hide-narrow">{{message}}</td>
    {{#canOperate}}<td>{{#runnable}}<form class="inline" method="post" action="/checks/{{id}}/run"><button type="submit" class="secondary rerun">Run now</button></form>{{/runnable}}</td>{{/canOperate}}</tr>
    {{/items}}</tbody></table></div>{{/hasChecks}}
    </div>
    {{> foot}}
    """

    static let check = """
    {{> head}}
    <h1>Check {{name}} <small>{{kind}}</small></h1>
    <div id="live" data-live="5000">
    <div class="card"><dl class="facts">
    <dt>State</dt><dd class="state"><span class="dot {{dot}}" aria-hidden="true"></span> <span id="check-status">{{status}}</span> <small>{{meaning}}</small></dd>
    {{#message}}<dt>Message</dt><dd>{{.}}</dd>{{/message}}
    {{#schedule}}<dt>Schedule</dt><dd>{{.}}</dd>{{/schedule}}
    {{#last}}<dt>Last</dt><dd><time datetime="{{iso}}" title="{{exact}}">{{exact}}</time> ({{ago}})</dd>{{/last}}
    {{#next}}<dt>Next</dt><dd><time datetime="{{iso}}" title="{{exact}}">{{ago}}</time></dd>{{/next}}
    {{#pingURL}}<dt>Ping URL</dt><dd><code>{{.}}</code></dd>{{/pingURL}}
    </dl></div>
    {{#canOperate}}{{#runnable}}<form method="post" action="/checks/{{id}}/run"><button type="submit" class="rerun">Run now</button></form>{{/runnable}}{{/canOperate}}
    <h2>History</h2>
    {{#hasHistory}}<p>{{{chart}}}</p>
    <div class="scroll"><table><thead><tr><th scope="col">When</th><th scope="col">State</th><th scope="col">Message</th></tr></thead><tbody>
    {{#history}}<tr><td><time datetime="{{when.iso}}" title="{{when.exact}}">{{when.ago}}</time></td><td class="state"><span class="dot {{dot}}" aria-hidden="true"></span> {{state}}</td><td>{{message}}</td></tr>{{/history}}
    </tbody></table></div>{{/hasHistory}}
    {{^hasHistory}}<p class="empty">No history yet: it starts with the check's first result.</p>{{/hasHistory}}
    </div>
    {{> foot}}
    """
}
