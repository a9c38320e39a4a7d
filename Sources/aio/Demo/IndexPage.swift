import AioHTTP

/// The HTML index of `aio serve`: its endpoints in httpbin's groups, each with a link that
/// tries it.
enum IndexPage {
    /// An endpoint: its path as documented, what it does, and the URLs that try it (none for
    /// those a browser cannot simply open).
    struct Endpoint {
        var path: String
        var what: String
        var tries: [String] = []
    }

    /// A group of endpoints, as httpbin's index groups them.
    struct Group {
        var title: String
        var about: String
        var endpoints: [Endpoint]
    }

    static let groups: [Group] = [
        Group(title: "HTTP methods", about: "What you sent, echoed as JSON.", endpoints: [
            Endpoint(path: "/get", what: "the query, headers, origin and URL", tries: ["/get?hello=world"]),
            Endpoint(path: "/post, /put, /patch, /delete", what: "the above plus form fields, JSON, raw data and files", tries: ["/forms/post"]),
            Endpoint(path: "/anything/{anything}", what: "any method, any path", tries: ["/anything/any/path?x=1"]),
        ]),
        Group(title: "Request inspection", about: "One part of the request.", endpoints: [
            Endpoint(path: "/headers", what: "the request's header fields", tries: ["/headers"]),
            Endpoint(path: "/ip", what: "the client's address (after the trusted proxies)", tries: ["/ip"]),
            Endpoint(path: "/user-agent", what: "the User-Agent field", tries: ["/user-agent"]),
        ]),
        Group(title: "Status codes", about: "Answers with the status you ask for.", endpoints: [
            Endpoint(path: "/status/{codes}", what: "one of the codes, weights as 200:0.8,500:0.2", tries: ["/status/418", "/status/200:0.5,201:0.5"])
        ]),
        Group(title: "Redirects", about: "Chains that end at /get.", endpoints: [
            Endpoint(path: "/redirect/{n}", what: "n redirects", tries: ["/redirect/3"]),
            Endpoint(path: "/relative-redirect/{n}, /absolute-redirect/{n}", what: "n relative or absolute redirects", tries: ["/relative-redirect/2", "/absolute-redirect/2"]),
            Endpoint(path: "/redirect-to?url=&status_code=", what: "a redirect to url", tries: ["/redirect-to?url=/get&status_code=307"]),
        ]),
        Group(title: "Cookies", about: "Read, set and delete the client's cookies.", endpoints: [
            Endpoint(path: "/cookies", what: "the cookies sent", tries: ["/cookies"]),
            Endpoint(path: "/cookies/set?name=value", what: "sets them, then redirects to /cookies", tries: ["/cookies/set?flavour=oat"]),
            Endpoint(path: "/cookies/delete?name", what: "deletes them, then redirects to /cookies", tries: ["/cookies/delete?flavour"]),
        ]),
        Group(title: "Auth", about: "Challenges to log in to (the user is user, the password passwd).", endpoints: [
            Endpoint(path: "/basic-auth/{user}/{passwd}", what: "HTTP Basic authentication", tries: ["/basic-auth/user/passwd"]),
            Endpoint(path: "/hidden-basic-auth/{user}/{passwd}", what: "Basic, answering 404 instead of 401", tries: []),
            Endpoint(path: "/digest-auth/{qop}/{user}/{passwd}/{algorithm}", what: "HTTP Digest authentication (MD5, SHA-256, SHA-512)", tries: ["/digest-auth/auth/user/passwd/SHA-256"]),
            Endpoint(path: "/bearer", what: "a Bearer token", tries: []),
        ]),
        Group(title: "Dynamic data", about: "Generated for each request.", endpoints: [
            Endpoint(path: "/uuid", what: "a random UUID", tries: ["/uuid"]),
            Endpoint(path: "/base64/{value}", what: "the value, decoded", tries: ["/base64/SGVsbG8gZnJvbSBhaW8h"]),
            Endpoint(path: "/bytes/{n}, /stream-bytes/{n}", what: "n random bytes, whole or chunked (seed= repeats them)", tries: ["/bytes/64?seed=7", "/stream-bytes/4096"]),
            Endpoint(path: "/stream/{n}", what: "n JSON lines, chunked", tries: ["/stream/5"]),
            Endpoint(path: "/range/{n}", what: "n bytes that honour Range", tries: ["/range/1024"]),
            Endpoint(path: "/drip?duration=&numbytes=&code=&delay=", what: "bytes dripped over time", tries: ["/drip?duration=1&numbytes=5&delay=0"]),
            Endpoint(path: "/delay/{n}", what: "answers after n seconds (at most 10)", tries: ["/delay/1"]),
            Endpoint(path: "/links/{n}/{offset}", what: "a page of n links", tries: ["/links/10/0"]),
        ]),
        Group(title: "Response inspection", about: "Caching, and the header fields you choose.", endpoints: [
            Endpoint(path: "/cache", what: "304 when If-Modified-Since or If-None-Match is sent", tries: ["/cache"]),
            Endpoint(path: "/cache/{n}", what: "Cache-Control: public, max-age=n", tries: ["/cache/60"]),
            Endpoint(path: "/etag/{etag}", what: "If-None-Match and If-Match against the ETag", tries: ["/etag/aio"]),
            Endpoint(path: "/response-headers?name=value", what: "the header fields you ask for", tries: ["/response-headers?X-Demo=aio"]),
        ]),
        Group(title: "Response formats", about: "Fixed content in many types and codings.", endpoints: [
            Endpoint(path: "/html, /json, /xml", what: "a page, a slide show as JSON and as XML", tries: ["/html", "/json", "/xml"]),
            Endpoint(path: "/gzip, /deflate", what: "JSON, compressed", tries: ["/gzip", "/deflate"]),
            Endpoint(path: "/encoding/utf8, /robots.txt, /deny", what: "UTF-8 text, a robots file, a page robots may not read", tries: ["/encoding/utf8", "/robots.txt", "/deny"]),
        ]),
        Group(title: "Images", about: "Encoded by the server itself.", endpoints: [
            Endpoint(path: "/image", what: "the type the Accept field prefers", tries: ["/image"]),
            Endpoint(path: "/image/png, /image/jpeg, /image/webp, /image/svg", what: "one type", tries: ["/image/png", "/image/jpeg", "/image/webp", "/image/svg"]),
        ]),
        Group(title: "Forms and uploads", about: "Multipart, streamed: a 1 GiB upload runs in about 40 MiB.", endpoints: [
            Endpoint(path: "/forms/post", what: "an HTML form posting to /post", tries: ["/forms/post"]),
            Endpoint(path: "/upload", what: "files posted as multipart/form-data; each part's size and SHA-256", tries: ["/upload"]),
            Endpoint(path: "/discard (POST, PUT)", what: "reads a body of any size, reports its length and SHA-256", tries: []),
        ]),
        Group(title: "WebSockets", about: "RFC 6455, with permessage-deflate and a heartbeat.", endpoints: [
            Endpoint(path: "/chat", what: "a page whose visitors talk in rooms over /chat/ws/{room}", tries: ["/chat"]),
            Endpoint(path: "/ws", what: "echoes text and binary messages (up to 20 MiB)", tries: []),
        ]),
        Group(title: "Operations", about: "For load balancers and dashboards.", endpoints: [
            Endpoint(path: "/health", what: "200 while the server runs", tries: ["/health"]),
            Endpoint(path: "/stats", what: "requests in flight", tries: ["/stats"]),
            Endpoint(path: "/metrics", what: "Prometheus's text format (with --metrics)", tries: []),
            Endpoint(path: "/static/…", what: "the files of --static DIR", tries: []),
        ]),
    ]

    static let html: String = {
        let cards = groups.map { group in
            let rows = group.endpoints.map { endpoint in
                let tries = endpoint.tries.map { #"<a class="try" href="\#(HTML.escape($0))">\#(HTML.escape($0))</a>"# }.joined()
                return #"<li><code>\#(HTML.escape(endpoint.path))</code><span class="what">\#(HTML.escape(endpoint.what))</span>\#(tries)</li>"#
            }
            return """
                <section class="card"><h2>\(HTML.escape(group.title))</h2><p>\(HTML.escape(group.about))</p>
                <ul class="endpoints">\(rows.joined())</ul></section>
                """
        }
        return DemoPage.html(
            title: "Endpoints",
            lead: "httpbin's API on swift-aiohttp, plus uploads, WebSockets and the endpoints load balancers ask for.",
            body: #"<div class="grid">\#(cards.joined(separator: "\n"))</div>"#
        )
    }()
}
