/// `/`: every source and every target it holds, worst first, with counts by state, filters and a legend. The rows
/// are written by `WebOverviewRows`.
extension WebTemplates {
    static let overview = """
    {{> head}}
    <h1>Overview</h1>
    <form class="filters" method="get" action="/" role="search" aria-label="Filter targets">
    <label for="f-source">Source <select id="f-source" name="source"><option value="">all</option>{{{sourceOptions}}}</select></label>
    <label for="f-kind">Kind <select id="f-kind" name="kind"><option value="">all</option>{{#kindOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kindOptions}}</select></label>
    <label for="f-state">State <select id="f-state" name="state"><option value="">all</option>{{#stateOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stateOptions}}</select></label>
    <label for="f-tag">Tag <select id="f-tag" name="tag"><option value="">all</option>{{#tagOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tagOptions}}</select></label>
    <label for="f-q">Search <input id="f-q" type="search" name="q" value="{{search}}" placeholder="name, type, tag"></label>
    <button type="submit" id="apply-filters">Filter</button> <a href="/">Clear</a>
    </form>
    {{#filterNote}}<p class="note" role="status" id="filter-note">{{filterNote}}</p>{{/filterNote}}
    <div id="live" data-live="5000">
    <ul class="counts" aria-label="Targets by state">
    {{#counts}}<li><a href="{{href}}" class="count" data-state="{{state}}"{{#current}} aria-current="true"{{/current}}><span class="dot {{state}}" aria-hidden="true"></span><span>{{state}}</span> <b>{{count}}</b></a></li>{{/counts}}
    </ul>
    {{#noSources}}<p class="empty">No other sources yet — add one on <a href="/sources">Sources</a>{{#canAdmin}} (or with <code>keepwatch admin addcontroller</code>){{/canAdmin}}. This node's own jobs appear here as soon as it has one: <code>keepwatch job create</code>.</p>{{/noSources}}
    {{#noMatch}}<p class="empty">No target matches these filters. <a href="/">Show every target</a>.</p>{{/noMatch}}
    {{#hasTargets}}
    <h2>Targets <small>{{totalText}} shown worst first</small></h2>
    <div class="scroll"><table class="targets">
    <thead><tr><th scope="col">State</th><th scope="col">Target</th><th scope="col">Source</th><th scope="col">Last good backup</th><th scope="col" class="hide-narrow">Detail</th></tr></thead>
    <tbody>
    {{{targetRows}}}
    </tbody></table></div>
    {{#paging}}<nav class="pager" aria-label="Pages">{{#previous}}<a href="{{.}}" rel="prev">← previous</a>{{/previous}} <span>page {{page}} of {{pages}}</span> {{#next}}<a href="{{.}}" rel="next">next →</a>{{/next}}</nav>{{/paging}}
    {{/hasTargets}}
    <h2>Sources <small>{{sourceCount}}</small></h2>
    <div class="scroll"><table class="sources">
    <thead><tr><th scope="col">Source</th><th scope="col">Status</th><th scope="col">Targets by state</th><th scope="col">Last update</th></tr></thead>
    <tbody>
    {{{sourceRows}}}
    </tbody></table></div>
    </div>
    {{> legend}}
    {{> foot}}
    """
}
