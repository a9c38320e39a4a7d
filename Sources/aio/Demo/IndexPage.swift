/// The HTML index of `aio serve`.
enum IndexPage {
    static let endpoints: [(String, String)] = [
        ("/get", "the request's query, headers, origin and URL"),
        ("/post, /put, /patch, /delete", "the above plus form fields, JSON, raw data and files"),
        ("/anything/{anything}", "any method, any path"),
        ("/headers, /ip, /user-agent, /uuid", "one field of the request, or a UUID"),
        ("/status/{codes}", "one of the given status codes (weights as 200:0.8,500:0.2)"),
        ("/delay/{n}", "answers after n seconds (at most 10)"),
        ("/redirect/{n}, /relative-redirect/{n}, /absolute-redirect/{n}", "n redirects, then /get"),
        ("/redirect-to?url=&status_code=", "a redirect to url"),
        ("/cookies, /cookies/set?k=v, /cookies/delete?k", "read, set and delete cookies"),
        ("/basic-auth/{user}/{passwd}, /hidden-basic-auth/…", "HTTP Basic authentication"),
        ("/digest-auth/{qop}/{user}/{passwd}/{algorithm}", "HTTP Digest authentication"),
        ("/bearer", "Bearer token authentication"),
        ("/bytes/{n}, /stream-bytes/{n}", "n random bytes, whole or chunked (seed=)"),
        ("/stream/{n}", "n JSON lines, chunked"),
        ("/range/{n}", "n bytes with Range support"),
        ("/drip?duration=&numbytes=&code=&delay=", "bytes dripped over time"),
        ("/links/{n}/{offset}", "a page of links"),
        ("/gzip, /deflate", "compressed JSON"),
        ("/cache, /cache/{n}, /etag/{etag}", "conditional requests and caching"),
        ("/response-headers?k=v", "the headers you ask for"),
        ("/html, /json, /xml, /encoding/utf8, /robots.txt, /deny", "fixed content"),
        ("/image, /image/png, /image/jpeg, /image/webp, /image/svg", "images"),
        ("/base64/{value}", "decoded base64"),
        ("/forms/post", "an HTML form posting to /post"),
        ("/upload", "text fields and files posted as multipart/form-data to /post, which reports each file's size and SHA-256"),
        ("/discard (POST, PUT)", "reads a body of any size, reports its length and SHA-256"),
        ("/stats", "requests in flight"),
        ("/health", "200 while the server runs, for load balancers' checks"),
        ("/static/…", "files of the --static directory"),
    ]

    static let html: String = {
        let rows = endpoints.map { "<li><code>\($0.0)</code> — \($0.1)</li>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html>
            <head><meta charset="utf-8"><title>aio serve</title></head>
            <body>
            <h1>aio serve</h1>
            <p>httpbin's API on swift-aiohttp.</p>
            <ul>
            \(rows)
            </ul>
            </body>
            </html>
            """
    }()
}
