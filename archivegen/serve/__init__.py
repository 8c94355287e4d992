"""The preview server: `archivegen serve` builds, serves, watches and reloads the browser.

Modules:
    server.py    Preview: the first build, then watch -> debounce -> build_site -> notify tabs
    watch.py     what is watched (content, site.yaml, templates, static, theme) and ignored
    debounce.py  bursts of file events -> one rebuild
    httpd.py     the HTTP server: site files (script injected into HTML), the event stream
    paths.py     request path -> a file inside the output folder, never outside it
    live.py      the state the tabs follow: build token and errors, as Server-Sent Events
    inject.py    the reload script (reload.js) and its tag
"""

from archivegen.serve.server import Preview, ServeError, ServeOptions, ServeReporter, serve_site

__all__ = ["Preview", "ServeError", "ServeOptions", "ServeReporter", "serve_site"]
