"""Bridge to one warm LibreOffice: run with a Python that can ``import uno`` (Debian's /usr/bin/python3).

Not imported by docgen itself: :mod:`docgen.pdf.warm` starts it as a subprocess.

    python3 uno_bridge.py SOFFICE PROFILE_URL PIPE_NAME

It starts soffice (headless, with the given profile, listening on a named pipe),
connects over UNO, prints ``{"ready": true}``, then reads one JSON request a
line on stdin — ``{"in": "/abs/a.docx", "out": "/abs/a.pdf"}`` — and answers
one JSON line on stdout (a request may name another export ``filter``, e.g. "Calc MS Excel 2007 XML"
to save a recalculated copy of a workbook, or ``copy`` and ``copy_filter`` to store such a copy from
the same load before the PDF): ``{"ok": true}`` or ``{"ok": false, "error": "..."}``.
At end of input it closes LibreOffice. The parent enforces timeouts and
restarts; this script only reports.
"""

import contextlib
import json
import subprocess
import sys
import time

CALC_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")


def reply(**fields):
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main():
    soffice, profile, pipe = sys.argv[1:4]
    try:
        import uno
        from com.sun.star.beans import PropertyValue
    except ImportError as exc:  # the parent checks first; this is a last resort
        reply(ready=False, error=f"import uno: {exc}")
        return 3

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo", "--norestore",
         "--nodefault", "--nolockcheck", "--nofirststartwizard",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx, deadline, last = None, time.monotonic() + 60, None
    while ctx is None:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception as exc:  # NoConnectException until soffice listens
            last = exc
            if proc.poll() is not None or time.monotonic() > deadline:
                reply(ready=False, error=f"soffice did not start: {last}")
                return 3
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    reply(ready=True, pid=proc.pid)

    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        src, out = request["in"], request["out"]
        doc = None
        started = time.monotonic()
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                               (prop("Hidden", True), prop("MacroExecutionMode", 0)))
            if doc is None:
                reply(ok=False, error="cannot load")
                continue
            export = request.get("filter") or (
                "calc_pdf_Export" if src.lower().endswith(CALC_SUFFIXES) else "writer_pdf_Export")
            loaded = time.monotonic()
            if request.get("copy"):  # first a copy in another format from the same load (a recalculated xlsx)
                doc.storeToURL(uno.systemPathToFileUrl(request["copy"]), (prop("FilterName", request["copy_filter"]),))
            doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", export),))
            reply(ok=True, load=round(loaded - started, 3), export=round(time.monotonic() - loaded, 3))
        except Exception as exc:
            text = f"{type(exc).__name__}: {exc}"
            dead = "Disposed" in text or "disposed" in text or proc.poll() is not None
            reply(ok=False, error=text, dead=dead)
            if dead:  # LibreOffice is gone: the parent starts a fresh bridge
                doc = None
                proc.kill()
                return 4
        finally:
            if doc is not None:
                with contextlib.suppress(Exception):
                    doc.close(True)
    with contextlib.suppress(Exception):
        desktop.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
