import AioHTTP
import HTTPTypes

/// The frame every HTML page of `aio serve` shares: the stylesheet, a header whose links lead
/// to the other pages, and a layout that fits a phone as well as a desktop.
enum DemoPage {
    /// Where the stylesheet is served.
    static let stylesheetPath = "/assets/aio.css"

    /// `GET /assets/aio.css`, cached for a day: the pages change with the binary only.
    static func register(_ router: Router) {
        router.get(stylesheetPath) { _ in
            var response = Response.text(stylesheet, contentType: "text/css; charset=utf-8")
            response.headers[.cacheControl] = "public, max-age=86400"
            return response
        }
    }

    /// A whole page: `title` in the tab and as the heading, `lead` under it (both text), then
    /// `body` (HTML) and an optional `script`.
    static func html(title: String, lead: String, body: String, script: String? = nil) -> String {
        let navigation = [("/", "Endpoints"), ("/upload", "Upload"), ("/chat", "Chat"), ("/forms/post", "Form")]
            .map { #"<a href="\#($0.0)">\#($0.1)</a>"# }
            .joined()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · aio serve</title>
            <link rel="stylesheet" href="\(stylesheetPath)">
            </head>
            <body>
            <header class="bar"><a class="brand" href="/">aio serve</a><nav>\(navigation)</nav></header>
            <main>
            <h1>\(HTML.escape(title))</h1>
            <p class="lead">\(HTML.escape(lead))</p>
            \(body)
            </main>
            <footer>swift-aiohttp: httpbin's API, uploads and WebSockets on one Swift server.</footer>
            \(script.map { "<script>\n\($0)\n</script>" } ?? "")
            </body>
            </html>
            """
    }

    /// One small stylesheet for every page: system fonts, Swift's orange (a darker shade where
    /// text must keep WCAG's 4.5:1 contrast), cards
    /// in a grid that becomes one column on a phone, and a dark scheme when the system asks.
    static let stylesheet = """
        :root {
          --brand: #f05138; --accent: #c7361f; --accent-ink: #fff; --link: #c7361f; --ink: #1d1d1f; --muted: #6e6e73;
          --paper: #f5f5f7; --card: #fff; --line: #d2d2d7; --code: #f0f0f3; --good: #1a7f37;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root { --link: #ff7a5c; --ink: #f5f5f7; --muted: #a1a1a6; --paper: #111113; --card: #1c1c1f; --line: #38383d; --code: #2a2a2e; --good: #3fb950; }
        }
        * { box-sizing: border-box; }
        body {
          margin: 0; background: var(--paper); color: var(--ink); line-height: 1.5;
          font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
        }
        a { color: var(--link); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, .mono { font-family: ui-monospace, "SF Mono", Menlo, "DejaVu Sans Mono", monospace; font-size: .88em; }
        .bar {
          display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem;
          padding: .75rem max(1rem, calc((100% - 62rem) / 2)); background: var(--card); border-bottom: 1px solid var(--line);
        }
        .brand { font-weight: 700; color: var(--ink); }
        .brand::before { content: ""; display: inline-block; width: .75rem; height: .75rem; margin-right: .5rem; border-radius: 3px; background: var(--brand); }
        nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
        nav a { color: var(--muted); }
        main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        h1 { margin: .5rem 0 .25rem; font-size: 2rem; line-height: 1.2; }
        h2 { margin: 0 0 .25rem; font-size: 1.1rem; }
        .lead { margin: 0 0 1.5rem; color: var(--muted); }
        footer { max-width: 64rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .85rem; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); gap: 1rem; }
        .grid > .card + .card { margin-top: 0; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem 1.1rem; min-width: 0; }
        .card + .card { margin-top: 1rem; }
        .card > p { margin: 0 0 .75rem; color: var(--muted); font-size: .92rem; }
        .endpoints { list-style: none; margin: 0; padding: 0; }
        .endpoints li { padding: .45rem 0; border-top: 1px solid var(--line); }
        .endpoints code { display: inline-block; padding: .05rem .35rem; border-radius: 5px; background: var(--code); overflow-wrap: anywhere; }
        .endpoints .what { display: block; color: var(--muted); font-size: .88rem; }
        .try { display: inline-block; margin: .15rem .9rem 0 0; font-size: .82rem; font-weight: 600; overflow-wrap: anywhere; }
        .try::after { content: " →"; }
        form.card { display: grid; gap: 1rem; max-width: 40rem; }
        label { display: grid; gap: .3rem; font-weight: 600; font-size: .95rem; }
        input:not([type=radio]):not([type=checkbox]), textarea, select {
          width: 100%; padding: .55rem .7rem; border: 1px solid var(--line); border-radius: 8px;
          background: var(--paper); color: var(--ink); font: inherit; font-weight: 400;
        }
        textarea { min-height: 5rem; resize: vertical; }
        fieldset { border: 1px solid var(--line); border-radius: 10px; padding: .6rem 1rem .9rem; margin: 0; }
        legend { font-weight: 600; padding: 0 .3rem; }
        .choices { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
        .choices label { display: flex; align-items: center; gap: .4rem; font-weight: 400; }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem; }
        button {
          padding: .55rem 1.1rem; border: 1px solid var(--accent); border-radius: 8px; cursor: pointer;
          background: var(--accent); color: var(--accent-ink); font: inherit; font-weight: 600;
        }
        button.secondary { background: transparent; color: var(--link); border-color: var(--link); }
        button:disabled { opacity: .5; cursor: default; }
        .drop { padding: 1.25rem; border: 2px dashed var(--line); border-radius: 10px; text-align: center; color: var(--muted); }
        .drop.over { border-color: var(--brand); color: var(--ink); }
        progress { width: 100%; height: .6rem; accent-color: var(--brand); }
        .status { color: var(--muted); font-size: .92rem; min-height: 1.4em; }
        .status.done { color: var(--good); }
        table { width: 100%; border-collapse: collapse; font-size: .92rem; }
        th, td { text-align: left; padding: .45rem .4rem; border-top: 1px solid var(--line); vertical-align: top; }
        td.mono { overflow-wrap: anywhere; }
        .room { display: flex; gap: .5rem; align-items: end; }
        .room label { flex: 1; }
        .messages { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .4rem; min-height: 12rem; max-height: 55vh; overflow-y: auto; }
        .messages li { align-self: flex-start; max-width: 85%; padding: .4rem .75rem; border-radius: 14px; background: var(--code); overflow-wrap: anywhere; }
        .messages li.mine { align-self: flex-end; background: var(--accent); color: var(--accent-ink); }
        .messages li.note { align-self: center; background: none; color: var(--muted); font-size: .85rem; }
        .composer { display: flex; gap: .5rem; }
        .composer input { flex: 1; }
        @media (max-width: 40rem) {
          h1 { font-size: 1.6rem; }
          .grid { grid-template-columns: 1fr; }
          .room { flex-direction: column; align-items: stretch; }
        }
        """
}
