import AioHTTP
import NIOCore

/// The fixed bodies of httpbin's content endpoints.
enum Assets {
    static let teapot = """

            -=[ teapot ]=-

               _...._
             .'  _ _ `.
            | ."` ^ `". _,
            \\_;`"---"`|//
              |       ;/
              \\_     _/
                `\"\"\"`

        """

    static let deny = """

                  .-''''''-.
                .' _      _ '.
               /   O      O   \\
              :                :
              |                |
              :       __       :
               \\  .-"`  `"-.  /
                '.          .'
                  '-......-'
             YOU SHOULDN'T BE HERE

        """

    static let mobyDick = """
        <!DOCTYPE html>
        <html>
          <head>
          </head>
          <body>
              <h1>Herman Melville - Moby-Dick</h1>

              <div>
                <p>
                  Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse, \
        and nothing particular to interest me on shore, I thought I would sail about a little and see the watery \
        part of the world. It is a way I have of driving off the spleen and regulating the circulation.
                </p>
              </div>
          </body>
        </html>
        """

    static let slideshow = JSONValue.object([
        "slideshow": .object([
            "author": .string("Yours Truly"),
            "date": .string("date of publication"),
            "slides": .array([
                .object(["title": .string("Wake up to WonderWidgets!"), "type": .string("all")]),
                .object([
                    "items": .array([.string("Why <em>WonderWidgets</em> are great"), .string("Who <em>buys</em> WonderWidgets")]),
                    "title": .string("Overview"),
                    "type": .string("all"),
                ]),
            ]),
            "title": .string("Sample Slide Show"),
        ])
    ])

    static let slideshowXML = """
        <?xml version='1.0' encoding='us-ascii'?>

        <!--  A SAMPLE set of slides  -->

        <slideshow
            title="Sample Slide Show"
            date="Date of publication"
            author="Yours Truly"
            >

            <!-- TITLE SLIDE -->
            <slide type="all">
              <title>Wake up to WonderWidgets!</title>
            </slide>

            <!-- OVERVIEW -->
            <slide type="all">
                <title>Overview</title>
                <item>Why <em>WonderWidgets</em> are great</item>
                <item/>
                <item>Who <em>buys</em> WonderWidgets</item>
            </slide>

        </slideshow>
        """

    static let utf8Demo = """
        <h1>Unicode Demo</h1>
        <p>Mathematics: ∮ E⋅da = Q,  n → ∞, ∑ f(i) = ∏ g(i)</p>
        <p>Linguistics: ði ıntəˈnæʃənəl fəˈnɛtık əsoʊsiˈeıʃn</p>
        <p>Greek: Σὲ γνωρίζω ἀπὸ τὴν κόψη</p>
        <p>Russian: Зарегистрируйтесь сейчас на Десятую Международную Конференцию</p>
        <p>Thai: ๏ แผ่นดินฮั่นเสื่อมโทรมแสนสังเวช</p>
        <p>Amharic: ሰማይ አይታረስ ንጉሥ አይከሰስ።</p>
        <p>Runes: ᚻᛖ ᚳᚹᚫᚦ ᚦᚫᛏ ᚻᛖ ᛒᚢᛞᛖ ᚩᚾ ᚦᚫᛗ</p>
        <p>Braille: ⡌⠁⠧⠑ ⠼⠁⠒  ⡍⠜⠇⠑⠹⠰⠎ ⡣⠕⠌</p>
        <p>Emoji: 🦀 🐍 🐦</p>
        """

    /// `/forms/post`: httpbin's pizza order form, posting to `/post`.
    static let formsPost = DemoPage.html(
        title: "Order a pizza",
        lead: "httpbin's form: it posts to /post, which answers with the fields it read.",
        body: """
            <form class="card" method="post" action="/post">
             <label>Customer name <input name="custname" autocomplete="name"></label>
             <label>Telephone <input type="tel" name="custtel" autocomplete="tel"></label>
             <label>E-mail address <input type="email" name="custemail" autocomplete="email"></label>
             <fieldset>
              <legend>Pizza size</legend>
              <div class="choices">
               <label><input type="radio" name="size" required value="small"> Small</label>
               <label><input type="radio" name="size" required value="medium"> Medium</label>
               <label><input type="radio" name="size" required value="large"> Large</label>
              </div>
             </fieldset>
             <fieldset>
              <legend>Pizza toppings</legend>
              <div class="choices">
               <label><input type="checkbox" name="topping" value="bacon"> Bacon</label>
               <label><input type="checkbox" name="topping" value="cheese"> Extra cheese</label>
               <label><input type="checkbox" name="topping" value="onion"> Onion</label>
               <label><input type="checkbox" name="topping" value="mushroom"> Mushroom</label>
              </div>
             </fieldset>
             <label>Preferred delivery time <input type="time" min="11:00" max="21:00" step="900" name="delivery"></label>
             <label>Delivery instructions <textarea name="comments"></textarea></label>
             <div class="actions"><button>Submit order</button></div>
            </form>
            """
    )

    /// `/upload`: text fields and files posted as `multipart/form-data`. With scripts, to
    /// `POST /upload`, which streams each part and answers with its size and SHA-256, shown in
    /// a table as the upload's progress is; without, to `/post`. The sample button adds a
    /// generated file with a non-ASCII name, to see how names travel.
    static let upload = DemoPage.html(
        title: "Upload files",
        lead: "Parts are streamed as they arrive: the server hashes each one and keeps nothing.",
        body: """
            <form class="card" id="upload" method="post" action="/post" enctype="multipart/form-data">
             <label>Title <input name="title" value="Holiday photos"></label>
             <label>Comment <textarea name="comment">Ünïcödé is welcome ✓</textarea></label>
             <div class="drop" id="drop"><label>Files <input type="file" name="files" multiple id="files"></label><p>or drop them here</p></div>
             <div class="actions">
              <button id="send">Upload</button>
              <button type="button" class="secondary" id="sample">Add a sample file named “résumé 履歴書.txt”</button>
             </div>
             <progress id="progress" max="1" value="0" aria-label="Upload progress" hidden></progress>
             <p class="status" id="status" role="status"></p>
            </form>
            <section class="card" id="results" hidden>
             <h2>What the server read</h2>
             <table><thead><tr><th>Part</th><th>File</th><th>Size</th><th>SHA-256</th></tr></thead><tbody id="parts"></tbody></table>
            </section>
            """,
        script: """
            const form = document.getElementById("upload");
            const input = document.getElementById("files");
            const drop = document.getElementById("drop");
            const progress = document.getElementById("progress");
            const status = document.getElementById("status");
            const size = (bytes) => bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
            function add(files) {
              const transfer = new DataTransfer();
              for (const file of input.files) transfer.items.add(file);
              for (const file of files) transfer.items.add(file);
              input.files = transfer.files;
              status.className = "status";
              status.textContent = `${input.files.length} file(s) chosen`;
            }
            document.getElementById("sample").onclick = () => add([new File(["Bonjour, 世界\\n"], "résumé 履歴書.txt", {type: "text/plain"})]);
            // A file dropped anywhere else must not replace the page.
            for (const name of ["dragover", "drop"]) window.addEventListener(name, (event) => event.preventDefault());
            drop.ondragover = () => drop.classList.add("over");
            drop.ondragleave = (event) => { if (!drop.contains(event.relatedTarget)) drop.classList.remove("over"); };
            drop.ondrop = (event) => { drop.classList.remove("over"); add(event.dataTransfer.files); };
            const send = document.getElementById("send");
            form.onsubmit = (event) => {
              event.preventDefault();
              if (send.disabled) return;
              send.disabled = true;
              const request = new XMLHttpRequest();
              const started = performance.now();
              request.open("POST", "/upload");
              request.responseType = "json";
              progress.hidden = false;
              progress.value = 0;
              status.className = "status";
              request.upload.onprogress = (sent) => {
                if (!sent.lengthComputable) return;
                progress.value = sent.loaded / sent.total;
                status.textContent = `Sent ${size(sent.loaded)} of ${size(sent.total)}`;
              };
              request.onloadend = () => { send.disabled = false; };
              request.onload = () => {
                if (request.status !== 200 || !request.response) {
                  status.textContent = `The server answered ${request.status}`;
                  return;
                }
                const rows = document.getElementById("parts");
                rows.replaceChildren();
                for (const part of request.response.parts) {
                  const row = rows.insertRow();
                  for (const [text, mono] of [[part.name, false], [part.filename ?? "—", false], [size(part.size), false], [part.sha256, true]]) {
                    const cell = row.insertCell();
                    cell.textContent = text;
                    if (mono) cell.className = "mono sha256";
                  }
                }
                progress.value = 1;
                document.getElementById("results").hidden = false;
                status.className = "status done";
                status.textContent = `Uploaded ${request.response.parts.length} part(s) in ${((performance.now() - started) / 1000).toFixed(2)} s`;
              };
              request.onerror = () => { status.textContent = "The upload failed: the connection closed"; };
              request.send(new FormData(form));
            };
            """
    )

    static let svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">
          <rect width="100" height="100" fill="#f05138"/>
          <path d="M20 70 Q50 20 80 70" stroke="#fff" stroke-width="8" fill="none"/>
        </svg>
        """

    /// A 32×16 greyscale JPEG of eight grey blocks.
    static let jpeg = ImageEncoders.jpeg(levels: [16, 48, 80, 112, 144, 176, 208, 240], columns: 4)

    /// A 16×16 lossless WebP in Swift orange.
    static let webp = ImageEncoders.webp(width: 16, height: 16, argb: (0xFF, 0xF0, 0x51, 0x38))

    /// A 16×16 PNG in two colours, encoded here: signature, IHDR, zlib-compressed IDAT, IEND.
    static let png: [UInt8] = {
        let size = 16
        var raw = ByteBuffer()
        for row in 0..<size {
            raw.writeInteger(UInt8(0))  // filter: none
            for column in 0..<size {
                let orange = (row / 4 + column / 4) % 2 == 0
                raw.writeBytes(orange ? [0xF0, 0x51, 0x38] : [0xFF, 0xFF, 0xFF])
            }
        }
        let idat = (try? StreamCompressor.compress(raw, format: .zlib)).map { Array($0.readableBytesView) } ?? []
        var header: [UInt8] = []
        for value in [UInt32(size), UInt32(size)] { header += withUnsafeBytes(of: value.bigEndian, Array.init) }
        header += [8, 2, 0, 0, 0]  // 8-bit RGB, deflate, no filter method, no interlace
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", idat) + chunk("IEND", [])
    }()

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return withUnsafeBytes(of: UInt32(data.count).bigEndian, Array.init) + typed
            + withUnsafeBytes(of: crc32(typed).bigEndian, Array.init)
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
