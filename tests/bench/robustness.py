"""Robustness figures: bad inputs, kill -9 during import, pdfium from two threads.

    PYTHONPATH=$PWD python tests/bench/robustness.py [--kills 50] [--pdf-runs 50] [--timeout 120]

1. A corpus of odd, damaged, hostile and merely unusual inputs (see `corpus`), each imported
   (and read offline) by `receiptdesk import` in its own process on one library, then all of them
   at once in one process: inputs tried, crashes (deaths by a signal), hangs (past --timeout),
   peak memory, failures recorded, originals kept, tracebacks shown, messages naming a SHA-256.
2. --kills imports killed with SIGKILL at a random moment; after each, the library must open and
   pass SQLite's integrity check, with no original lacking its row nor row lacking its original;
   then one `receiptdesk resume` must leave no document undone.
3. --pdf-runs processes reading 20 PDFs with 2 threads (tests/pdf_threads.py): deaths by signal.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RECEIPT = "{shop}\n12 High Street\n\nMilk        1.20\nBread       2.30\n\nTOTAL       3.50\n"


# ---------------------------------------------------------------- the corpus
def _img(size: tuple[int, int] = (320, 200), mode: str = "RGB", text: str = "TOTAL 12.50") -> object:
    from PIL import Image, ImageDraw

    img = Image.new(mode, size, "white" if mode in ("RGB", "L") else 1)
    if mode in ("RGB", "L"):
        ImageDraw.Draw(img).text((20, size[1] // 2), text, fill="black")
    return img


def _sixteen_bit() -> object:
    """A grey scan saved with 16 bits a pixel, "TOTAL 12.50" printed on it."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(_img((320, 200)).convert("L"), dtype=np.uint16) * 257  # type: ignore[attr-defined]
    return Image.fromarray(grey)


def _long_roll() -> object:
    """A till roll 20,000 pixels long (80 mm at 203 dpi, 2.5 m), a line every 500 pixels."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (576, 20_000), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=22)
    for row in range(40):
        draw.text((24, 60 + row * 495), f"ITEM {row:03d}   {row}.25" if row < 39 else "TOTAL   741.75", fill="black",
                  font=font)  # fmt: skip
    return img


def _saved(img: object, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)  # type: ignore[attr-defined]
    return buf.getvalue()


def _pdf(pages: int = 1, text: str = "Invoice 42 Total EUR 12.50", size: tuple[float, float] = (595, 842)) -> bytes:
    from tests.unit.providers.local.pdfmaker import TextPage, make_pdf

    with tempfile.TemporaryDirectory() as d:
        path = make_pdf(Path(d) / "x.pdf", [TextPage([(40.0, 40.0, 12.0, text)], *size)] * pages)
        return path.read_bytes()


def _many_page_pdf(pages: int) -> bytes:
    """A PDF of `pages` blank pages, written by hand (pdfium takes minutes to make thousands)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages)).encode()
    objects.append(b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _zero_page_pdf() -> bytes:
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as d:
        pdf = pdfium.PdfDocument.new()
        pdf.save(str(Path(d) / "z.pdf"))
        pdf.close()
        return (Path(d) / "z.pdf").read_bytes()


def corpus(folder: Path) -> list[Path]:
    """At least 60 kinds of input, one file (or thing) each; returns them in order."""
    from PIL import Image

    folder.mkdir(parents=True)
    made: list[Path] = []

    def put(name: str, data: bytes | Callable[[], bytes]) -> None:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        made.append(path)

    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(50_000))
    jpeg = _saved(_img(), "JPEG", quality=85)
    png = _saved(_img(), "PNG")
    pdf = _pdf()
    tiff3 = _saved(_img(), "TIFF", save_all=True, append_images=[_img(), _img()], compression="tiff_lzw")
    put("control-receipt.jpg", (ROOT / "resources" / "samples" / "receipt.jpg").read_bytes())
    put("control-order.txt", RECEIPT.format(shop="CONTROL SHOP").encode())
    put("control-invoice.pdf", pdf)
    put("empty.pdf", b"")
    put("empty.jpg", b"")
    put("empty.txt", b"")
    put("blank-space.txt", b"   \n\t\n   ")
    put("noise.pdf", noise)
    put("noise.jpg", noise)
    put("noise-no-ending", noise)
    put("nul-bytes.pdf", bytes(1_000_000))
    put("truncated.jpg", jpeg[: len(jpeg) // 2])
    put("truncated.png", png[: len(png) // 2])
    put("truncated.pdf", pdf[: len(pdf) // 2])
    put("pdf-header-only.pdf", b"%PDF-1.7\n")
    put("pdf-garbage-body.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> garbage" * 20)
    put("pdf-no-pages.pdf", _zero_page_pdf)
    put("pdf-3001-pages.pdf", lambda: _many_page_pdf(3001))
    put("pdf-2500-pages.pdf", lambda: _many_page_pdf(2500))
    put("pdf-huge-page.pdf", lambda: _pdf(1, "Total 1.00", (14_400, 14_400)))
    put("pdf-broken-xref.pdf", pdf.replace(b"xref", b"xrex"))
    put("zip-named.pdf", b"PK\x03\x04" + noise[:2000])
    put("tiff-three-pages.tif", tiff3)
    put("tiff-truncated-multipage.tif", tiff3[: len(tiff3) * 2 // 3])
    for kept in sorted((ROOT / "tests" / "data" / "fuzz").iterdir()):
        put(f"fuzz-{kept.name}", kept.read_bytes())
    put("png-16-bit.png", lambda: _saved(_sixteen_bit(), "PNG"))
    put("jpeg-comment-mentions-pdf.jpg", _saved(_img(), "JPEG", comment=b"made from %PDF-1.4 template"))
    put("long-roll-20000px.png", lambda: _saved(_long_roll(), "PNG"))
    put("utf16le-no-bom.txt", RECEIPT.format(shop="UTF16 LE").encode("utf-16-le"))
    put("utf16be-no-bom.txt", RECEIPT.format(shop="UTF16 BE").encode("utf-16-be"))
    put("utf16-bom.txt", RECEIPT.format(shop="UTF16 BOM").encode("utf-16"))
    put("cp1252.txt", RECEIPT.format(shop="Café Müller £").encode("cp1252"))
    put("web-page.txt", b"<!doctype html><html><body><p>Total 3.50</p></body></html>")
    put("rtf.txt", b"{\\rtf1\\ansi Total 3.50}")
    put("binary.txt", noise[:4000])
    put("data.json", b'{"total": 3.50}')
    put("text-3mb.txt", (b"a long row of text " * 50 + b"\n") * 3300)
    put("text-one-1mb-line.txt", b"x" * 1_000_000)
    put("png-169-megapixels.png", lambda: _saved(Image.new("1", (13_000, 13_000), 1), "PNG"))
    put("jpeg-100-megapixels.jpg", lambda: _saved(Image.new("L", (10_000, 10_000), 255), "JPEG", quality=50))
    frames = [Image.new("P", (64, 64), i % 256) for i in range(1999)]
    put("gif-1999-frames.gif", lambda: _saved(frames[0], "GIF", save_all=True, append_images=frames[1:]))
    pages = [Image.new("L", (32, 32), i % 256) for i in range(300)]
    put("tiff-300-pages.tif", lambda: _saved(pages[0], "TIFF", save_all=True, append_images=pages[1:]))
    bomb = bytearray(png)
    bomb[16:24] = (60_000).to_bytes(4, "big") + (60_000).to_bytes(4, "big")  # header claims 3.6 gigapixels
    put("png-bomb-header.png", bytes(bomb))
    put("png-bad-crc.png", png[:40] + bytes([png[40] ^ 0xFF]) + png[41:])
    put("gif-one-frame.gif", _saved(_img().convert("P"), "GIF"))
    put("gif-truncated.gif", _saved(_img().convert("P"), "GIF")[:300])
    put("webp.webp", _saved(_img(), "WEBP"))
    put("bmp.bmp", _saved(_img(), "BMP"))
    put("bmp-truncated.bmp", _saved(_img(), "BMP")[:5000])
    put("cmyk.jpg", _saved(_img().convert("CMYK"), "JPEG"))
    put("grey-alpha.png", _saved(_img().convert("LA"), "PNG"))
    put("palette-transparent.png", _saved(_img().convert("P"), "PNG", transparency=0))
    put("one-pixel.png", _saved(Image.new("RGB", (1, 1)), "PNG"))
    put("jpeg-named.png", jpeg)
    put("png-named.pdf", png)
    put("pdf-named.jpg", pdf)
    put("svg-named.png", b'<svg xmlns="http://www.w3.org/2000/svg"><text>Total 3.50</text></svg>')
    exif = Image.Exif()
    exif[0x0112] = 6
    put("jpeg-exif-rotated.jpg", _saved(_img(), "JPEG", exif=exif.tobytes()))
    put("jpeg-damaged-exif.jpg", jpeg[:2] + b"\xff\xe1\x00\x10Exif\x00\x00MM\x00*\x00\x00\x00\xff" + jpeg[2:])
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
        heic = _saved(_img(), "HEIF")
        put("photo.heic", heic)
        put("truncated.heic", heic[: len(heic) // 2])
    except Exception as e:  # noqa: BLE001 - HEIC writing is optional for the bench
        print(f"(no HEIC inputs: {e})")
    # Names
    put(os.fsdecode(b"caf\xe9-latin1-name.jpg"), jpeg)
    put("new\nline.jpg", _saved(_img(text="NEWLINE 1.00"), "JPEG"))
    put("l" * 240 + ".png", _saved(_img(text="LONG NAME 2.00"), "PNG"))
    put("émoji-🧾-قبض.png", _saved(_img(text="EMOJI 3.00"), "PNG"))
    put(".hidden-receipt.jpg", _saved(_img(text="HIDDEN 4.00"), "JPEG"))
    # Things that are no regular files
    fifo = folder / "named-pipe.pdf"
    os.mkfifo(fifo)
    made.append(fifo)
    loop = folder / "link-loop.jpg"
    loop.symlink_to(loop)
    made.append(loop)
    for name, target in (("link-dev-zero.pdf", "/dev/zero"), ("link-dev-urandom.jpg", "/dev/urandom"),
                         ("link-dangling.png", str(folder / "nowhere.png"))):  # fmt: skip
        (folder / name).symlink_to(target)
        made.append(folder / name)
    (folder / "folder-named.pdf").mkdir()
    made.append(folder / "folder-named.pdf")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.pdf"))
    made.append(folder / "socket.pdf")
    put("unreadable.jpg", jpeg + b"unreadable")
    (folder / "unreadable.jpg").chmod(0)
    return made


# ---------------------------------------------------------------- running the CLI
@dataclass
class Run:
    code: int | None  # exit status, negative: the signal that killed it; None: hung and killed
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str


def cli(data: Path, *args: str, timeout: float, kill_after: float | None = None) -> Run:
    """`receiptdesk ARGS` in its own process, with its own peak memory (wait4)."""
    env = {**os.environ, "RECEIPTDESK_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "receiptdesk", *args], env=env, stdout=out, stderr=err)
        hung = threading.Event()

        def stop(sig: int, mark: bool) -> None:
            if mark:
                hung.set()
            proc.send_signal(sig)

        timer = threading.Timer(timeout, stop, (signal.SIGKILL, True))
        killer = threading.Timer(kill_after, stop, (signal.SIGKILL, False)) if kill_after else None
        timer.start()
        if killer:
            killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        timer.cancel()
        if killer:
            killer.cancel()
        out.seek(0)
        err.seek(0)
        code = None if hung.is_set() else proc.returncode
        return Run(code, time.perf_counter() - started, usage.ru_maxrss / 1024, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"))  # fmt: skip


def _sha(path: Path) -> str | None:
    """The SHA-256 of a regular file we can read, else None (nothing there to keep)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def library_state(data: Path) -> dict[str, object]:
    """Whether the library opens and is whole, and what it holds."""
    db = data / "library.sqlite3"
    conn = sqlite3.connect(db)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(conn.execute("SELECT sha256, status FROM documents").fetchall())
    finally:
        conn.close()
    blobs = {p.name for p in (data / "originals").glob("??/*") if p.is_file()}
    leftovers = list((data / "originals").rglob(".incoming-*"))
    return {
        "integrity_ok": ok,
        "documents": len(rows),
        "statuses": rows,
        "originals_without_row": len(blobs - set(rows)),
        "rows_without_original": len(set(rows) - blobs),
        "incoming_leftovers": len(leftovers),
    }


# ---------------------------------------------------------------- the three parts
def bad_inputs(work: Path, timeout: float, verbose: bool) -> None:
    inputs = corpus(work / "inputs")
    data = work / "library"
    print(f"\n== bad inputs: {len(inputs)} kinds, each imported and read alone (`receiptdesk import PATH`)")
    crashes, hangs, tracebacks, named_by_sha, not_added, already = [], [], 0, 0, 0, 0
    peak = (0.0, "")
    slowest = (0.0, "")
    for path in inputs:
        run = cli(data, "import", str(path), timeout=timeout)
        label = path.name.encode("utf-8", "replace").decode()[:60]
        if run.code is None:
            hangs.append(label)
        elif run.code < 0:
            crashes.append(f"{label} ({signal.Signals(-run.code).name})")
        tracebacks += "Traceback" in run.stderr or "Traceback" in run.stdout
        not_added += "1 could not be added" in run.stdout
        already += "1 already in the library" in run.stdout
        if verbose:
            said = (run.stdout + run.stderr).strip().splitlines()
            print(
                f"  {label:<40} exit {run.code} {run.seconds:5.1f} s {run.peak_mb:4.0f} MB  {said[-2:] if said else ''}"
            )
        named_by_sha += any(len(w) == 64 and all(c in "0123456789abcdef" for c in w)
                            for w in (run.stdout + run.stderr).split())  # fmt: skip
        if run.peak_mb > peak[0]:
            peak = (run.peak_mb, label)
        if run.seconds > slowest[0]:
            slowest = (run.seconds, label)
    state = library_state(data)
    statuses = state["statuses"]
    assert isinstance(statuses, dict)
    listed = cli(data, "list", "--format", "jsonl", timeout=timeout)
    docs = [json.loads(line) for line in listed.stdout.splitlines()]
    failed_docs = sum(d["status"] == "failed" for d in docs)
    readable = {s for p in inputs if (s := _sha(p)) is not None}
    kept = sum(1 for s in readable if (data / "originals" / s[:2] / s).is_file())
    print(f"inputs tried: {len(inputs)}")
    print(f"crashes (death by signal): {len(crashes)} {crashes or ''}")
    print(f"hangs (over {timeout:.0f} s): {len(hangs)} {hangs or ''}")
    print(f"peak memory of one import: {peak[0]:.0f} MB ({peak[1]}); slowest: {slowest[0]:.1f} s ({slowest[1]})")
    print(f"documents: {len(docs)}: ok {sum(d['status'] == 'ok' for d in docs)}, failed (recorded, with why) "
          f"{failed_docs}; same bytes as an earlier input: {already}; not added (no regular file we could "
          f"read), reported by name: {not_added}")  # fmt: skip
    print(f"originals kept: {kept} of {len(readable)} readable distinct inputs")
    print(f"tracebacks shown: {tracebacks}; messages naming a SHA-256: {named_by_sha}")
    print(f"library: integrity {'ok' if state['integrity_ok'] else 'BROKEN'}, originals without row "
          f"{state['originals_without_row']}, rows without original {state['rows_without_original']}")  # fmt: skip
    batch = work / "batch-library"
    run = cli(batch, "import", *map(str, inputs), timeout=timeout * 4)
    summary = [line for line in run.stdout.splitlines() if line.startswith("Imported")]
    print(f"all at once (one `receiptdesk import` of {len(inputs)} inputs): exit {run.code}, {run.seconds:.0f} s, "
          f"peak {run.peak_mb:.0f} MB; {summary[0] if summary else 'no summary'}")  # fmt: skip


def kills(work: Path, count: int, timeout: float) -> None:
    print(f"\n== {count} imports killed with SIGKILL at a random moment, then `receiptdesk resume`")
    from PIL import Image, ImageDraw

    data = work / "killed-library"
    rng = random.Random(11)
    broken, orphans, dangling, leftovers_after_start = 0, 0, 0, 0
    killed = 0
    duration = None  # of an import left to finish: kills land within it
    for k in range(count + 1):
        batch = work / f"kill-{k:03d}"
        batch.mkdir(parents=True)
        files = []
        for i in range(8):
            p = batch / f"order-{k}-{i}.txt"
            p.write_text(RECEIPT.format(shop=f"SHOP {k} {i}"))
            files.append(p)
        img = Image.new("RGB", (400, 240), "white")
        ImageDraw.Draw(img).text((20, 100), f"RECEIPT {k} TOTAL {k}.50", fill="black")
        img.save(batch / f"photo-{k}.png")
        files.append(batch / f"photo-{k}.png")
        when = None if duration is None else rng.uniform(0.1, 0.95) * duration
        run = cli(data, "import", *map(str, files), timeout=timeout, kill_after=when)
        if duration is None:
            duration = run.seconds
            print(f"an import of {len(files)} files left to finish: {duration:.1f} s; kills land within it")
            continue
        killed += run.code == -signal.SIGKILL
        if not (data / "library.sqlite3").exists():
            continue
        state = library_state(data)
        broken += not state["integrity_ok"]
        orphans += int(state["originals_without_row"])  # type: ignore[call-overload]
        dangling += int(state["rows_without_original"])  # type: ignore[call-overload]
    resumed = cli(data, "resume", timeout=timeout * 10)
    state = library_state(data)
    leftovers_after_start = int(state["incoming_leftovers"])  # type: ignore[call-overload]
    statuses = state["statuses"]
    assert isinstance(statuses, dict)
    undone = sum(s in ("queued", "extracting", "waiting") for s in statuses.values())
    print(f"killed: {killed} of {count} (the others finished first)")
    print(f"library fails integrity check: {broken}; originals without row: {orphans}; "
          f"rows without original: {dangling}")  # fmt: skip
    print(f"resume: exit {resumed.code}, {resumed.seconds:.0f} s; {resumed.stdout.strip().splitlines()[-1:]}")
    failed = sum(s == "failed" for s in statuses.values())
    print(f"after resume: {state['documents']} documents, undone {undone}, failed {failed}; "
          f".incoming leftovers {leftovers_after_start}")  # fmt: skip


def pdf_threads(work: Path, runs: int) -> None:
    print(f"\n== pdfium: {runs} processes each reading 20 PDFs with 2 threads, twice")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    deaths: list[int] = []
    started = time.perf_counter()
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-m", "tests.pdf_threads", str(work / "pdfs"), "--rounds", "2"],
                           env=env, cwd=ROOT, capture_output=True, timeout=600)  # fmt: skip
        if r.returncode < 0:
            deaths.append(r.returncode)
    names = [signal.Signals(-d).name for d in deaths]
    print(f"deaths by signal: {len(deaths)} of {runs} {names or ''} ({time.perf_counter() - started:.0f} s)")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--pdf-runs", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before an import counts as hung")
    ap.add_argument("--verbose", action="store_true", help="one line per input: exit status, time, memory, message")
    ap.add_argument("--skip", choices=("inputs", "kills", "pdf"), action="append", default=[])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="receiptdesk-robustness-") as d:
        work = Path(d)
        if "inputs" not in args.skip:
            bad_inputs(work, args.timeout, args.verbose)
        if "kills" not in args.skip and args.kills:
            kills(work, args.kills, args.timeout)
        if "pdf" not in args.skip and args.pdf_runs:
            pdf_threads(work, args.pdf_runs)
        for p in work.rglob("*"):  # the unreadable input, so the folder can be removed
            if not p.is_symlink():
                p.chmod(0o700)


if __name__ == "__main__":
    main()
