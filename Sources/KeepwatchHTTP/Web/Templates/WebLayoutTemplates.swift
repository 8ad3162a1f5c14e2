/// The frame of every page (head, navigation, who is signed in, footer) and the sign-in page.
extension WebTemplates {
    /// The document's start, before its title: shared by every page and the sign-in page.
    static let documentStart = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="stylesheet" href="/assets/keepwatch.css?v={{assetVersion}}">
    <link rel="icon" type="image/svg+xml" href="/assets/keepwatch.svg?v={{assetVersion}}">

    """

    static let head = """
    {{> documentStart}}<title>{{title}} · Keepwatch</title>
    <script src="/assets/keepwatch.js?v={{assetVersion}}" defer></script>
    </head>
    <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
    <a class="brand" href="/">Keepwatch</a>
    <nav aria-label="Main"><ul>{{#nav}}<li><a href="{{href}}"{{#active}} aria-current="page"{{/active}}>{{label}}</a></li>{{/nav}}</ul></nav>
    <div class="who"><span id="signed-in-as">{{user}}</span> <span class="role" title="your role">{{role}}</span>
    <form method="post" action="/logout"><button type="submit" class="link" id="logout">Log out</button></form></div>
    </header>
    <main id="main">
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{#problem}}<p class="problem" role="alert">{{problem}}</p>{{/problem}}

    """

    static let foot = """
    </main>
    <footer><a href="{{json}}">This page as JSON</a> · Keepwatch {{version}}</footer>
    </body>
    </html>

    """

    static let legend = """
    <h2 id="legend">Legend</h2>
    <ul class="legend" aria-labelledby="legend">
    <li><span class="dot running" aria-hidden="true"></span> running: a backup is running</li>
    <li><span class="dot success" aria-hidden="true"></span> success: the last backup succeeded</li>
    <li><span class="dot partial" aria-hidden="true"></span> partial: stale or partly backed up</li>
    <li><span class="dot error" aria-hidden="true"></span> error: the last backup failed</li>
    <li><span class="dot unknown" aria-hidden="true"></span> unknown: no backup known yet</li>
    <li><span class="dot offline" aria-hidden="true"></span> offline: the source is not answering</li>
    </ul>

    """

    static let login = """
    {{> documentStart}}<title>Sign in · Keepwatch</title>
    </head>
    <body>
    <main id="main" class="login">
    <h1>Keepwatch</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{#problem}}<p class="problem" role="alert" id="login-problem">{{problem}}</p>{{/problem}}
    <form class="stack card" method="post" action="/login">
    <input type="hidden" name="next" value="{{next}}">
    <label for="username">User name <input id="username" name="username" autocomplete="username" required autofocus value="{{username}}"></label>
    <label for="password">Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit" id="sign-in">Sign in</button>
    </form>
    <p class="muted">The first admin's password is printed once by <code>keepwatch serve</code> on its first start;
    <code>keepwatch admin adduser</code> makes more users.</p>
    </main>
    </body>
    </html>

    """
}
