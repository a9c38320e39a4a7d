/// The page at `/`: pick files, watch the upload's progress, follow links to what was stored.
enum UploadPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Uploads</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
          progress { width: 100%; height: 1.25rem; }
          table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
          td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #ddd; }
          td.size { text-align: right; font-variant-numeric: tabular-nums; }
        </style>
        <h1>Uploads</h1>
        <form id="form">
          <input type="file" name="file" multiple required>
          <button>Upload</button>
        </form>
        <p><progress id="progress" max="1" value="0"></progress> <span id="status" role="status"></span></p>
        <table><thead><tr><th>File</th><th>Size</th></tr></thead><tbody id="files"></tbody></table>
        <script>
        const form = document.getElementById("form");
        const progress = document.getElementById("progress");
        const status = document.getElementById("status");
        form.onsubmit = (event) => {
          event.preventDefault();
          const request = new XMLHttpRequest();
          request.open("POST", "/upload");
          request.responseType = "json";
          request.upload.onprogress = (e) => {
            if (!e.lengthComputable) return;
            progress.value = e.loaded / e.total;
            status.textContent = `${Math.round(100 * e.loaded / e.total)} %`;
          };
          request.onload = () => {
            if (request.status !== 201) { status.textContent = `Failed: ${request.status}`; return; }
            status.textContent = "Done";
            for (const file of request.response.files) {
              const row = document.createElement("tr");
              const link = document.createElement("a");
              link.href = file.url;
              link.textContent = file.filename;
              row.insertCell().appendChild(link);
              const size = row.insertCell();
              size.className = "size";
              size.textContent = file.size.toLocaleString();
              document.getElementById("files").appendChild(row);
            }
          };
          request.onerror = () => { status.textContent = "Failed: the connection was lost"; };
          request.send(new FormData(form));
        };
        </script>
        </html>
        """
}
