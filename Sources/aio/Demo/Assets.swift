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

    static let formsPost = """
        <!DOCTYPE html>
        <html>
          <body>
          <form method="post" action="/post">
           <p><label>Customer name: <input name="custname"></label></p>
           <p><label>Telephone: <input type=tel name="custtel"></label></p>
           <p><label>E-mail address: <input type=email name="custemail"></label></p>
           <fieldset>
            <legend> Pizza Size </legend>
            <p><label> <input type=radio name=size required value="small"> Small </label></p>
            <p><label> <input type=radio name=size required value="medium"> Medium </label></p>
            <p><label> <input type=radio name=size required value="large"> Large </label></p>
           </fieldset>
           <fieldset>
            <legend> Pizza Toppings </legend>
            <p><label> <input type=checkbox name="topping" value="bacon"> Bacon </label></p>
            <p><label> <input type=checkbox name="topping" value="cheese"> Extra Cheese </label></p>
            <p><label> <input type=checkbox name="topping" value="onion"> Onion </label></p>
            <p><label> <input type=checkbox name="topping" value="mushroom"> Mushroom </label></p>
           </fieldset>
           <p><label>Preferred delivery time: <input type=time min="11:00" max="21:00" step="900" name="delivery"></label></p>
           <p><label>Delivery instructions: <textarea name="comments"></textarea></label></p>
           <p><button>Submit order</button></p>
          </form>
          </body>
        </html>
        """

    /// `/upload`: text fields and several files posted as `multipart/form-data` to `/post`,
    /// which answers with each file's size and SHA-256. The button adds a generated file with
    /// a non-ASCII name, to see how names travel.
    static let upload = """
        <!DOCTYPE html>
        <html>
          <head><meta charset="utf-8"><title>Upload</title></head>
          <body>
          <h1>Upload files to /post</h1>
          <form method="post" action="/post" enctype="multipart/form-data">
           <p><label>Title: <input name="title" value="Holiday photos"></label></p>
           <p><label>Comment: <textarea name="comment">Ünïcödé is welcome ✓</textarea></label></p>
           <p><label>Files: <input type="file" name="files" multiple id="files"></label></p>
           <p><button type="button" id="sample">Add a sample file named “résumé 履歴書.txt”</button></p>
           <p><button id="send">Upload</button></p>
          </form>
          <script>
          document.getElementById("sample").onclick = () => {
            const input = document.getElementById("files");
            const transfer = new DataTransfer();
            for (const file of input.files) transfer.items.add(file);
            transfer.items.add(new File(["Bonjour, 世界\n"], "résumé 履歴書.txt", {type: "text/plain"}));
            input.files = transfer.files;
          };
          </script>
          </body>
        </html>
        """

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
