/// `/jobs`, `/jobs/{id}` and `/runs/{id}`: schedules in words, next runs, results, durations, live logs.
extension WebTemplates {
    static let runButtons = """
    {{#canOperate}}<div class="actions">
    <form class="inline" method="post" action="/jobs/{{id}}/run"><button type="submit" class="run-now" data-job="{{id}}">Run now</button></form>
    {{#running}}<form class="inline" method="post" action="/jobs/{{id}}/stop"><button type="submit" class="secondary stop" title="Let this run finish, then keep the job off its schedule">Stop</button></form>
    <form class="inline" method="post" action="/jobs/{{id}}/abort" data-confirm="Abort the running job {{id}}? Its process is killed."><button type="submit" class="danger abort">Abort</button></form>{{/running}}
    {{^running}}{{#stopped}}<form class="inline" method="post" action="/jobs/{{id}}/start"><button type="submit" class="secondary start" title="Put the job back on its schedule">Start</button></form>{{/stopped}}
    {{^stopped}}{{#scheduled}}<form class="inline" method="post" action="/jobs/{{id}}/stop"><button type="submit" class="secondary stop" title="Keep the job off its schedule until started">Stop</button></form>{{/scheduled}}{{/stopped}}{{/running}}
    </div>{{/canOperate}}
    """

    static let jobs = """
    {{> head}}
    <h1>Jobs</h1>
    <div id="live" data-live="3000">
    {{^hasJobs}}<p class="empty">No jobs yet — add one with <code>keepwatch job create FILE</code> or <code>POST /api/v1/jobs</code> (see the README's Jobs section).</p>{{/hasJobs}}
    {{#hasJobs}}<div class="scroll"><table class="jobs">
    <thead><tr><th scope="col">Job</th><th scope="col">Schedule</th><th scope="col">Next run</th><th scope="col">Last result</th><th scope="col" class="hide-narrow">Last 30 runs</th>{{#canOperate}}<th scope="col">Actions</th>{{/canOperate}}</tr></thead>
    <tbody>{{/hasJobs}}
    {{#jobs}}<tr data-job="{{id}}"><td><a href="/jobs/{{id}}">{{id}}</a>{{#description}} <small>{{.}}</small>{{/description}}</td>
    <td>{{schedule}}{{#stopped}} <strong class="stopped">(stopped)</strong>{{/stopped}}</td>
    <td>{{#next}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/next}}{{^next}}<span class="muted">none</span>{{/next}}</td>
    <td class="state"><span class="dot {{dot}}" title="{{resultTitle}}" aria-hidden="true"></span> <span class="result">{{result}}</span>{{#lastTime}} <small><time datetime="{{iso}}" title="{{exact}}">{{ago}}</time></small>{{/lastTime}}</td>
    <td class="hide-narrow">{{{sparkline}}}</td>
    {{#canOperate}}<td>{{> runButtons}}</td>{{/canOperate}}</tr>
    {{/jobs}}
    {{#hasJobs}}</tbody></table></div>{{/hasJobs}}
    </div>
    {{> foot}}
    """

    static let job = """
    {{> head}}
    <h1>Job {{id}}</h1>
    <div id="live" data-live="2000">
    <div class="card"><dl class="facts">
    {{#description}}<dt>Description</dt><dd>{{.}}</dd>{{/description}}
    <dt>Schedule</dt><dd>{{schedule}}{{#stopped}} <strong class="stopped" id="job-stopped">— stopped: it fires only after Start</strong>{{/stopped}}</dd>
    <dt>Next run</dt><dd>{{#next}}<time datetime="{{iso}}" title="{{exact}}">{{exact}}</time> ({{ago}}){{/next}}{{^next}}none{{/next}}</dd>
    <dt>Last result</dt><dd class="state"><span class="dot {{dot}}" aria-hidden="true"></span> <span id="job-state">{{result}}</span></dd>
    <dt>Actions</dt><dd>{{actionSummary}}</dd>
    </dl></div>
    {{> runButtons}}
    <h2>Runs</h2>
    <p>{{{sparkline}}}</p>
    {{^hasRuns}}<p class="empty">No runs yet{{#canOperate}} — press “Run now” to start one{{/canOperate}}.</p>{{/hasRuns}}
    {{#hasRuns}}<div class="scroll"><table class="runs"><thead><tr><th scope="col">Run</th><th scope="col">Result</th><th scope="col">Started</th><th scope="col" class="num hide-narrow">Duration</th><th scope="col" class="hide-narrow">Trigger</th><th scope="col" class="hide-narrow">Message</th></tr></thead><tbody>{{/hasRuns}}
    {{#runs}}<tr data-run="{{id}}" data-status="{{status}}"><td><a href="/runs/{{id}}">{{id}}</a></td>
    <td class="state"><span class="dot {{dot}}" aria-hidden="true"></span> <span class="run-status">{{status}}</span></td>
    <td><time datetime="{{started.iso}}" title="{{started.exact}}">{{started.ago}}</time></td><td class="num hide-narrow">{{duration}}</td><td class="hide-narrow">{{trigger}}</td><td class="hide-narrow">{{message}}</td></tr>
    {{/runs}}
    {{#hasRuns}}</tbody></table></div>{{/hasRuns}}
    </div>
    {{> foot}}
    """

    static let run = """
    {{> head}}
    <h1>Run {{id}} <small>of <a href="/jobs/{{job}}">{{job}}</a></small></h1>
    <div id="live"{{#running}} data-live="1500"{{/running}}>
    <div class="card"><dl class="facts">
    <dt>Result</dt><dd class="state"><span class="dot {{dot}}" aria-hidden="true"></span> <span id="run-status">{{status}}</span></dd>
    <dt>Started</dt><dd><time datetime="{{started.iso}}" title="{{started.exact}}">{{started.exact}}</time> ({{started.ago}})</dd>
    {{#ended}}<dt>Ended</dt><dd><time datetime="{{iso}}" title="{{exact}}">{{exact}}</time></dd>{{/ended}}
    <dt>Duration</dt><dd>{{duration}}</dd>
    <dt>Trigger</dt><dd>{{trigger}}</dd>
    {{#message}}<dt>Message</dt><dd>{{.}}</dd>{{/message}}
    <dt>Progress</dt><dd>{{#running}}<progress max="{{actionCount}}" value="{{actionsDone}}">{{actionsDone}} of {{actionCount}}</progress> {{actionsDone}} of {{actionCount}} actions done{{/running}}{{^running}}{{actionsDone}} of {{actionCount}} actions done{{/running}}</dd>
    </dl></div>
    {{#hasActions}}<div class="scroll"><table><thead><tr><th scope="col">#</th><th scope="col">Action</th><th scope="col">Result</th><th scope="col" class="num">Attempts</th><th scope="col">Message</th></tr></thead><tbody>{{/hasActions}}
    {{#actions}}<tr><td>{{index}}</td><td>{{action}}{{#mode}} <small>{{.}}</small>{{/mode}}</td><td>{{status}}</td><td class="num">{{attempts}}</td><td>{{message}}</td></tr>{{/actions}}
    {{#hasActions}}</tbody></table></div>{{/hasActions}}
    <h2>Log{{#truncated}} <small>(last 256 KiB; the whole log: <a href="/api/v1/runs/{{id}}/log?follow=false">raw</a>)</small>{{/truncated}}</h2>
    <pre class="log" id="run-log" data-follow>{{log}}</pre>
    {{#running}}<p class="muted" id="live-note">Live: this page follows the run until it ends.</p>{{/running}}
    </div>
    {{> foot}}
    """
}
