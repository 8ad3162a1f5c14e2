/// The one stylesheet: Ethoscope's colours for states, light and dark schemes, phone to wall screen.
enum WebStylesheet {
    static let text = #"""
:root {
  --bg: #f7f7f5; --fg: #1d1f21; --muted: #5b6168; --card: #ffffff; --line: #d9dcdf; --link: #0b5cad; --focus: #1a73e8;
  --running: #f08c00; --success: #2b9a3e; --partial: #c99a06; --error: #d0312d; --unknown: #9aa0a6; --offline: #4a4f55;
  --notice: #e7f3e9; --problem: #fbe9e8;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171a; --fg: #e6e6e3; --muted: #a3a9b0; --card: #1e2126; --line: #343840; --link: #8ab4f8; --focus: #8ab4f8;
          --unknown: #80868b; --offline: #3c4046; --notice: #1f3324; --problem: #3d1f1e; }
}
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; padding: .6rem 1rem; background: var(--card);
  border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; color: var(--fg); }
header nav ul { display: flex; flex-wrap: wrap; gap: .25rem .9rem; list-style: none; margin: 0; padding: 0; }
header nav a { text-decoration: none; padding: .2rem 0; }
header nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--link); }
.who { margin-left: auto; display: flex; gap: .5rem; align-items: center; color: var(--muted); }
.who form { display: inline; margin: 0; }
.role { border: 1px solid var(--line); border-radius: 1rem; padding: 0 .5rem; font-size: .85em; }
main { padding: 1rem; max-width: 110rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .6rem; }
footer { padding: 1rem; color: var(--muted); font-size: .9em; text-align: center; }
.notice, .problem, .empty { padding: .6rem .9rem; border-radius: .4rem; border: 1px solid var(--line); }
.notice { background: var(--notice); }
.problem { background: var(--problem); }
.empty { background: var(--card); color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .8rem 1rem; margin-bottom: 1rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: var(--card); font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
small, .muted { color: var(--muted); }
.tag { display: inline-block; font-size: .8em; border: 1px solid var(--line); border-radius: .8rem; padding: 0 .45rem; margin: 0 .15rem; }
.dot { display: inline-block; width: .9rem; height: .9rem; border-radius: 50%; vertical-align: -.1rem; background: var(--unknown);
  border: 1px solid rgba(0,0,0,.2); }
.dot.running { background: var(--running); animation: breathe 1.6s ease-in-out infinite; }
.dot.success { background: var(--success); }
.dot.partial { background: var(--partial); }
.dot.error { background: var(--error); }
.dot.unknown { background: var(--unknown); }
.dot.offline { background: var(--offline); }
@keyframes breathe { 0%, 100% { opacity: 1; transform: scale(1); } 50% { opacity: .45; transform: scale(.85); } }
@media (prefers-reduced-motion: reduce) { .dot.running { animation: none; } }
.state, time { white-space: nowrap; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.counts a, .counts span.count { display: flex; align-items: center; gap: .4rem; padding: .45rem .8rem; background: var(--card);
  border: 1px solid var(--line); border-radius: .5rem; text-decoration: none; color: var(--fg); }
.counts b { font-size: 1.2rem; }
.counts a[aria-current="true"] { border-color: var(--link); box-shadow: inset 0 0 0 1px var(--link); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem .9rem; align-items: end; margin-bottom: 1rem; }
form.filters label, form.stack label { display: flex; flex-direction: column; font-size: .85em; color: var(--muted); gap: .15rem; }
input, select, button { font: inherit; padding: .35rem .55rem; border: 1px solid var(--line); border-radius: .35rem; background: var(--card); color: var(--fg); }
button { cursor: pointer; background: var(--link); color: #fff; border-color: var(--link); }
button.secondary { background: var(--card); color: var(--link); }
button.danger { background: var(--error); border-color: var(--error); }
button.link { background: none; border: none; color: var(--link); padding: 0; text-decoration: underline; }
form.inline { display: inline; margin: 0 .25rem 0 0; }
form.stack { display: grid; gap: .6rem; max-width: 28rem; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0; color: var(--muted); font-size: .9em; }
.pager { display: flex; gap: 1rem; align-items: center; margin: .8rem 0; }
.spark { vertical-align: middle; }
.spark .success { fill: var(--success); } .spark .fail { fill: var(--error); } .spark .aborted { fill: var(--error); }
.spark .running { fill: var(--running); }
.chart .up { fill: var(--success); } .chart .down { fill: var(--error); } .chart .other { fill: var(--unknown); }
pre.log { background: #0f1113; color: #e6e6e3; padding: .8rem; border-radius: .4rem; overflow: auto; max-height: 32rem;
  white-space: pre-wrap; word-break: break-word; font-size: .85em; }
progress { width: 14rem; max-width: 100%; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.login { max-width: 24rem; margin: 10vh auto; }
.note { color: var(--muted); border-left: 3px solid var(--partial); padding: .3rem .6rem; }
@media (max-width: 40rem) {
  body { font-size: 14px; }
  main { padding: .6rem; }
  .who { margin-left: 0; }
  th, td { padding: .35rem .4rem; }
  .hide-narrow { display: none; }
}
@media (min-width: 160rem) { body { font-size: 18px; } }
"""#
}
