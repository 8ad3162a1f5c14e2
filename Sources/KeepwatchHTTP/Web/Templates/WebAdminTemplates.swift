/// `/sources`, `/notifications`, `/users` and the page for a request that cannot be served.
extension WebTemplates {
    static let sourceList = """
    {{> head}}
    <h1>Sources</h1>
    <div id="live" data-live="5000">
    {{^hasSources}}<p class="empty">No sources yet — {{#canAdmin}}add one below{{/canAdmin}}{{^canAdmin}}ask an admin to add one{{/canAdmin}}.</p>{{/hasSources}}
    {{#hasSources}}<div class="scroll"><table class="sources"><thead><tr><th scope="col">Status</th><th scope="col">Source</th><th scope="col" class="hide-narrow">URL</th><th scope="col">Last update</th><th scope="col" class="hide-narrow">Error</th>{{#canAdmin}}<th scope="col">Actions</th>{{/canAdmin}}</tr></thead><tbody>
    {{#items}}<tr data-source="{{name}}" data-status="{{status}}"><td class="state"><span class="dot {{dot}}" title="{{status}}" aria-hidden="true"></span> <span class="source-status">{{status}}</span></td>
    <td><a href="/?source={{xid}}">{{name}}</a> <small>{{kind}}<span class="hide-narrow"> · {{xid}}</span></small></td><td class="hide-narrow"><small>{{url}}</small></td>
    <td>{{#updated}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/updated}}{{^updated}}<span class="muted">not yet</span>{{/updated}}</td>
    <td class="hide-narrow">{{message}}</td>
    {{#canAdmin}}<td>{{^local}}<form class="inline" method="post" action="/sources/{{xid}}/remove" data-confirm="Remove the source {{name}}? Its data leaves the overview."><button type="submit" class="danger remove">Remove</button></form>{{/local}}</td>{{/canAdmin}}</tr>
    {{/items}}</tbody></table></div>{{/hasSources}}
    </div>
    {{#canAdmin}}<h2 id="add">Add a source</h2>
    {{#formNotice}}<p class="notice" role="status" id="source-outcome">{{formNotice}}</p>{{/formNotice}}
    {{#formProblem}}<p class="problem" role="alert" id="source-outcome">{{formProblem}}</p>{{/formProblem}}
    <form class="stack card" method="post" action="/sources/add" id="add-source">
    <label for="s-kind">Kind <select id="s-kind" name="kind">{{#kinds}}<option value="{{kind}}"{{#selected}} selected{{/selected}}>{{kind}}</option>{{/kinds}}</select></label>
    <label for="s-name">Name <input id="s-name" name="name" required maxlength="60" value="{{enteredName}}"></label>
    <label for="s-url">URL <input id="s-url" name="url" required placeholder="https://controller:9501" value="{{enteredURL}}"></label>
    <label for="s-username">User name (cmon) <input id="s-username" name="username" autocomplete="off" value="{{enteredUsername}}"></label>
    <label for="s-password">Password (cmon) <input id="s-password" name="password" type="password" autocomplete="new-password"></label>
    <label for="s-token">Token (keepwatch) <input id="s-token" name="token" type="password" autocomplete="off"></label>
    <label><span><input type="checkbox" name="tls_insecure" value="true"{{#enteredInsecure}} checked{{/enteredInsecure}}> Skip certificate checks (not recommended)</span></label>
    <div class="actions"><button type="submit" name="do" value="add" id="source-add">Add</button> <button type="submit" name="do" value="test" class="secondary" id="source-test">Test only</button></div>
    </form>{{/canAdmin}}
    {{> foot}}
    """

    static let notifications = """
    {{> head}}
    <h1>Notifications</h1>
    <h2>Channels</h2>
    {{^hasChannels}}<p class="empty">No channels yet — add a <code>notifications:</code> entry to keepwatch.yaml or <code>POST /api/v1/channels</code>; failures then reach e-mail, a webhook or a chat.</p>{{/hasChannels}}
    {{#hasChannels}}<div class="scroll"><table><thead><tr><th scope="col">Channel</th><th scope="col">Kind</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Failed</th><th scope="col">Last delivery</th><th scope="col">Last error</th></tr></thead><tbody>
    {{#channels}}<tr data-channel="{{name}}"><td>{{name}}</td><td>{{kind}}</td><td class="num">{{sent}}</td><td class="num">{{failed}}</td><td>{{#delivered}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/delivered}}{{^delivered}}<span class="muted">never</span>{{/delivered}}</td><td>{{error}}</td></tr>{{/channels}}
    </tbody></table></div>{{/hasChannels}}
    <h2>Outbox <small>{{queued}} waiting</small></h2>
    {{^hasOutbox}}<p class="empty">Nothing sent yet.</p>{{/hasOutbox}}
    {{#hasOutbox}}<div class="scroll"><table><thead><tr><th scope="col">When</th><th scope="col">Channel</th><th scope="col">Event</th><th scope="col">State</th><th scope="col" class="hide-narrow">Detail</th></tr></thead><tbody>
    {{#outbox}}<tr><td>{{#when}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/when}}</td><td>{{channel}}</td><td>{{event}}</td><td>{{state}}</td><td class="hide-narrow">{{detail}}</td></tr>{{/outbox}}
    </tbody></table></div>{{/hasOutbox}}
    <h2>Silences</h2>
    {{^hasSilences}}<p class="empty">No silences: every event is delivered.</p>{{/hasSilences}}
    {{#hasSilences}}<div class="scroll"><table><thead><tr><th scope="col">Matches</th><th scope="col">Until</th><th scope="col">By</th><th scope="col">Why</th></tr></thead><tbody>
    {{#silences}}<tr><td>{{matches}}</td><td>{{#until}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/until}}</td><td>{{by}}</td><td>{{comment}}</td></tr>{{/silences}}
    </tbody></table></div>{{/hasSilences}}
    {{> foot}}
    """

    static let users = """
    {{> head}}
    <h1>Users and tokens</h1>
    <h2>Users</h2>
    <div class="scroll"><table class="users"><thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">State</th><th scope="col" class="hide-narrow">E-mail</th><th scope="col">Since</th></tr></thead><tbody>
    {{#accounts}}<tr data-user="{{username}}"><td>{{username}}</td><td>{{role}}</td><td>{{state}}</td><td class="hide-narrow">{{email}}</td><td><time datetime="{{created.iso}}" title="{{created.exact}}">{{created.ago}}</time></td></tr>{{/accounts}}
    </tbody></table></div>
    <p class="muted"><code>keepwatch admin adduser NAME --role viewer|operator|admin</code> adds a user; <code>keepwatch admin setrole</code> changes one.</p>
    <h2>API tokens</h2>
    {{^hasTokens}}<p class="empty">No tokens yet — <code>keepwatch admin token create --name NAME --role ROLE</code> makes one for a script.</p>{{/hasTokens}}
    {{#hasTokens}}<div class="scroll"><table class="tokens"><thead><tr><th scope="col">Token</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Last used</th><th scope="col" class="hide-narrow">Expires</th></tr></thead><tbody>
    {{#tokens}}<tr data-token="{{id}}"><td>{{name}} <small>{{id}}</small></td><td>{{role}}</td><td>{{state}}</td><td>{{#used}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/used}}{{^used}}<span class="muted">never</span>{{/used}}</td><td class="hide-narrow">{{#expires}}<time datetime="{{iso}}" title="{{exact}}">{{ago}}</time>{{/expires}}{{^expires}}never{{/expires}}</td></tr>{{/tokens}}
    </tbody></table></div>{{/hasTokens}}
    {{> foot}}
    """

    static let problemPage = """
    {{> head}}
    <h1>{{heading}}</h1>
    <p class="problem" role="alert">{{detail}}</p>
    <p><a href="/">Back to the overview</a></p>
    {{> foot}}
    """
}
